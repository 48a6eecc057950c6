"""The store's tables (SQLAlchemy Core). Changes here go through a named migration too."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

clients = Table(
    "clients",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("code", String(32), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

responses = Table(
    "responses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("worksheet_id", String(100), nullable=False),
    Column("worksheet_version", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("current_step", Integer, nullable=False, default=0),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("completed_at", DateTime(timezone=True)),
    Column("writer", String(64)),
    Index("ix_responses_client_worksheet_status", "client_id", "worksheet_id", "status"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("response_id", ForeignKey("responses.id", ondelete="CASCADE"), nullable=False),
    Column("step_id", String(100), nullable=False),
    Column("field_id", String(100), nullable=False),
    Column("value_json", Text, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("response_id", "field_id", name="uq_answers_response_field"),
)

response_flags = Table(
    "response_flags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("response_id", ForeignKey("responses.id", ondelete="CASCADE"), nullable=False),
    Column("flag", String(50), nullable=False),
    Column("raised_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("response_id", "flag", name="uq_response_flags_response_flag"),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

worksheet_definitions = Table(
    "worksheet_definitions",
    metadata,
    Column("worksheet_id", String(100), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)
"""Every version of every worksheet a response was started on: its file's text, as it was."""
