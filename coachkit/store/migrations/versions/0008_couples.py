"""Couples: two clients linked as partners, and what one chooses to share with the other.

Revision ID: 0008_couples
Revises: 0007_flag_checks
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_couples"
down_revision = "0007_flag_checks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "couple_members",
        sa.Column("client_id", sa.Integer, sa.ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("couple_id", sa.Integer, nullable=False, index=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "from_client_id",
            sa.Integer,
            sa.ForeignKey("clients.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "to_client_id",
            sa.Integer,
            sa.ForeignKey("clients.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "response_id", sa.Integer, sa.ForeignKey("responses.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("what", sa.String(20), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("shares")
    op.drop_table("couple_members")
