"""Each worksheet version's file, as it was: old answers are read with the words they were given in.

Revision ID: 0004_worksheet_definitions
Revises: 0003_draft_writer
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_worksheet_definitions"
down_revision = "0003_draft_writer"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worksheet_definitions",
        sa.Column("worksheet_id", sa.String(100), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("worksheet_definitions")
