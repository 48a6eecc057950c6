"""Languages: the one a coach sets for a client, the one a client chose on their page and the one their
browser asked for, and the language each response was given in.

Revision ID: 0012_languages
Revises: 0011_live_view
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_languages"
down_revision = "0011_live_view"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("language", sa.String(16), nullable=True))
    with op.batch_alter_table("client_contact") as batch:
        batch.add_column(sa.Column("language", sa.String(16), nullable=True))
        batch.add_column(sa.Column("browser_language", sa.String(16), nullable=True))
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("language", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("client_contact") as batch:
        batch.drop_column("browser_language")
        batch.drop_column("language")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("language")
