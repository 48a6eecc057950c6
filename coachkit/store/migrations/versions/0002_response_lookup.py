"""Index responses by client, worksheet and status: finding a client's draft stays fast as history grows.

Revision ID: 0002_response_lookup
Revises: 0001_initial
"""

from alembic import op

revision = "0002_response_lookup"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_responses_client_worksheet_status", "responses", ["client_id", "worksheet_id", "status"]
    )


def downgrade() -> None:
    op.drop_index("ix_responses_client_worksheet_status", table_name="responses")
