"""Who may write a draft: the page (tab) that opened it last. A second tab takes a draft over.

Revision ID: 0003_draft_writer
Revises: 0002_response_lookup
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_draft_writer"
down_revision = "0002_response_lookup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("writer", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("writer")
