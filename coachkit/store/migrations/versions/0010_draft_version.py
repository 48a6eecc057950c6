"""A version counter on each response, so that a save written on top of answers it never read is refused.

Revision ID: 0010_draft_version
Revises: 0009_assignments
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_draft_version"
down_revision = "0009_assignments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("version")
