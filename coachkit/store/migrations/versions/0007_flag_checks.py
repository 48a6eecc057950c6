"""Flags that follow the answer, and the coach's check-ins: a flag row is one span of a flag being raised.

A corrected answer clears a draft's flag (``cleared_at``) instead of leaving it raised for ever; raised
again, it is a new row, so the history keeps each span with its times. The coach marks a flag checked in
(``checked_at``, ``checked_note``). At most one row per response and flag is standing (not cleared): a
partial unique index, where the unique constraint used to be.

Revision ID: 0007_flag_checks
Revises: 0006_outbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_flag_checks"
down_revision = "0006_outbox"
branch_labels = None
depends_on = None

STANDING = sa.text("cleared_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("response_flags") as batch:
        batch.drop_constraint("uq_response_flags_response_flag", type_="unique")
        batch.add_column(sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("checked_note", sa.Text, nullable=True))
    op.create_index(
        "uq_response_flags_standing",
        "response_flags",
        ["response_id", "flag"],
        unique=True,
        sqlite_where=STANDING,
        postgresql_where=STANDING,
    )


def downgrade() -> None:
    op.drop_index("uq_response_flags_standing", table_name="response_flags")
    op.execute(sa.text("DELETE FROM response_flags WHERE cleared_at IS NOT NULL"))
    with op.batch_alter_table("response_flags") as batch:
        batch.drop_column("checked_note")
        batch.drop_column("checked_at")
        batch.drop_column("cleared_at")
        batch.create_unique_constraint("uq_response_flags_response_flag", ["response_id", "flag"])
