"""The store's tables (SQLAlchemy Core). Changes here go through a named migration too."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

clients = Table(
    "clients",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("code", String(32), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("language", String(16)),
)
"""``language``: the one the coach set for the client (none: their own choice, else their browser's)."""

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
    Column("language", String(16)),
    Column("version", Integer, nullable=False, default=0, server_default="0"),
    Index("ix_responses_client_worksheet_status", "client_id", "worksheet_id", "status"),
    Index("ix_responses_client_updated", "client_id", "updated_at"),
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
    Column("cleared_at", DateTime(timezone=True)),
    Column("checked_at", DateTime(timezone=True)),
    Column("checked_note", Text),
    Index(
        "uq_response_flags_standing",
        "response_id",
        "flag",
        unique=True,
        sqlite_where=text("cleared_at IS NULL"),
        # Partial on PostgreSQL too (migration 0007); not named here, since naming ``postgresql_where``
        # would load SQLAlchemy's PostgreSQL dialect into every client's kernel (tests/coach/test_startup).
    ),
)
"""A flag raised by a response, from ``raised_at`` until its answer changed (``cleared_at``; a draft only);
raised again, it is a new row. ``checked_at``/``checked_note``: the coach checked in with the client."""

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

sign_in_links = Table(
    "sign_in_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("sheet", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)
"""Links a coach hands out: each opens a sign-in once (only a hash of its key is kept)."""

client_sessions = Table(
    "client_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("sheet", String(100)),
    Column("code_typed", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
)
"""One browser signed in as a client, from a link or a typed code; its cookie holds the token (only a
hash is kept). ``sheet`` is the page it shows (none: the client's own page)."""

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("dedupe_key", String(200), unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("claimed_at", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", String(300)),
    Index("ix_outbox_unsent", "sent_at", "due_at"),
)
"""Mail to send (alerts to the coach, reminders): written first, then sent once by the server's sender."""

couple_members = Table(
    "couple_members",
    metadata,
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
    Column("couple_id", Integer, nullable=False, index=True),
    Column("linked_at", DateTime(timezone=True), nullable=False),
)
"""Two clients linked as partners share a ``couple_id``; a client is in one couple at most."""

shares = Table(
    "shares",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("from_client_id", ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("to_client_id", ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("response_id", ForeignKey("responses.id", ondelete="CASCADE"), nullable=False),
    Column("what", String(20), nullable=False),
    Column("asked_at", DateTime(timezone=True), nullable=False),
    Column("approved_at", DateTime(timezone=True)),
    Column("withdrawn_at", DateTime(timezone=True)),
)
"""A partner's choice to share a finished summary or card with the other: shown once the coach approves,
until either withdraws."""

assignments = Table(
    "assignments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("worksheet_id", String(100), nullable=False),
    Column("note", String(500)),
    Column("programme_id", String(100)),
    Column("batch", String(32)),
    Column("starts_on", Date, nullable=False),
    Column("due_on", Date),
    Column("every_days", Integer),
    Column("times", Integer),
    Column("assigned_at", DateTime(timezone=True), nullable=False),
    Column("assigned_by", String(100), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("ended_by", String(100)),
)
"""Homework: a worksheet the coach assigned a client, once (``due_on``) or every ``every_days`` for
``times`` occurrences from ``starts_on``; dates are the client's own calendar days. Unassigning keeps
the row (``ended_at``), so the store says who assigned what, when."""

client_contact = Table(
    "client_contact",
    metadata,
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
    Column("time_zone", String(64)),
    Column("email", String(320)),
    Column("remind_hour", Integer),
    Column("reminders_on", Boolean, nullable=False, default=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("language", String(16)),
    Column("browser_language", String(16)),
)
"""What a client chose themselves: their time zone (from their browser), reminders by email, and the
language they picked on their page (``browser_language``: the one their browser asked for, as last seen)."""

reminder_stops = Table(
    "reminder_stops",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
"""The stop link of each reminder sent (only a hash of its key): it turns that client's reminders off."""

client_pages = Table(
    "client_pages",
    metadata,
    Column("kernel_id", String(64), primary_key=True),
    Column("session_id", ForeignKey("client_sessions.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("server", String(32), nullable=False),
    Column("connected", Boolean, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)
"""A client's page open now, as the client server sees it: the page's kernel, the session it serves,
whether the browser is connected to it (since ``changed_at``). The server renews ``seen_at`` while it runs
(``store/pages.py``), so the pages of a server that stopped without a word are read as closed."""

coach_notes = Table(
    "coach_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("response_id", ForeignKey("responses.id", ondelete="CASCADE"), unique=True),
    Column("note", Text, nullable=False),
    Column("written_at", DateTime(timezone=True), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)
"""The coach's own note from a session, about one worksheet the client filled (``response_id``: one note
each) or about the client alone. Shown on the dashboard and in exports; never on a client's page."""
