"""In a session: which clients have a page open now, the coach's notes, and a quick "what changed" read.

``client_pages``: a row per client page the client server has open (its kernel), with whether the
browser is connected. ``coach_notes``: the coach's note about a response (one each) or about a client.
``ix_responses_client_updated``: a client's latest response in one index lookup, which the live view
reads several times a second while the coach follows a client.

Revision ID: 0011_live_view
Revises: 0010_draft_version
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_live_view"
down_revision = "0010_draft_version"
branch_labels = None
depends_on = None


def _cascade(column: str, target: str, **more: object) -> sa.Column:
    return sa.Column(column, sa.Integer, sa.ForeignKey(target, ondelete="CASCADE"), **more)


def upgrade() -> None:
    op.create_table(
        "client_pages",
        sa.Column("kernel_id", sa.String(64), primary_key=True),
        _cascade("session_id", "client_sessions.id", nullable=False),
        _cascade("client_id", "clients.id", nullable=False, index=True),
        sa.Column("server", sa.String(32), nullable=False),
        sa.Column("connected", sa.Boolean, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "coach_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        _cascade("client_id", "clients.id", nullable=False, index=True),
        _cascade("response_id", "responses.id", unique=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_responses_client_updated", "responses", ["client_id", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_responses_client_updated", table_name="responses")
    op.drop_table("coach_notes")
    op.drop_table("client_pages")
