"""Homework: assignments (who assigned what, when), what each client chose about reminders, stop links.

Revision ID: 0009_assignments
Revises: 0008_couples
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_assignments"
down_revision = "0008_couples"
branch_labels = None
depends_on = None


def _client_id(**more: object) -> sa.Column:
    return sa.Column(
        "client_id", sa.Integer, sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, **more
    )


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer, primary_key=True),
        _client_id(index=True),
        sa.Column("worksheet_id", sa.String(100), nullable=False),
        sa.Column("note", sa.String(500)),
        sa.Column("programme_id", sa.String(100)),
        sa.Column("batch", sa.String(32)),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date),
        sa.Column("every_days", sa.Integer),
        sa.Column("times", sa.Integer),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_by", sa.String(100), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("ended_by", sa.String(100)),
    )
    op.create_table(
        "client_contact",
        _client_id(primary_key=True),
        sa.Column("time_zone", sa.String(64)),
        sa.Column("email", sa.String(320)),
        sa.Column("remind_hour", sa.Integer),
        sa.Column("reminders_on", sa.Boolean, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "reminder_stops",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        _client_id(index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reminder_stops")
    op.drop_table("client_contact")
    op.drop_table("assignments")
