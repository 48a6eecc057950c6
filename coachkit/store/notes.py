"""The coach's notes from a session (mixed into ``Store``): about one response, or about the client.

A note about a response is one per response, written over as the coach types; a note about the client
alone is kept by its id. The client's pages never read this table: a note is the coach's own, shown on the
dashboard and in exports only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from coachkit.store import tables as t
from coachkit.store.records import MissingEntry, Rows

MAX_NOTE_CHARACTERS = 10_000
"""The longest note: a few pages of writing during a session."""


def clean_coach_note(text: str) -> str:
    """A note as kept: without NUL, trailing spaces trimmed, at most ``MAX_NOTE_CHARACTERS``."""
    cleaned = text.replace("\x00", "").rstrip()
    if len(cleaned) > MAX_NOTE_CHARACTERS:
        raise ValueError(f"a note can be at most {MAX_NOTE_CHARACTERS:,} characters")
    return cleaned


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


@dataclass(frozen=True)
class CoachNote:
    id: int
    client_id: int
    response_id: int | None
    note: str
    written_at: dt.datetime
    changed_at: dt.datetime


def _note(row: Row[Any]) -> CoachNote:
    return CoachNote(
        row.id, row.client_id, row.response_id, row.note, _utc(row.written_at), _utc(row.changed_at)
    )


class CoachNotes:
    """The store's note methods."""

    now: Callable[[], dt.datetime]
    _writing: Callable[[], AbstractContextManager[Connection]]
    _reading: Callable[[], AbstractContextManager[Connection]]
    _require_client: Callable[..., None]

    def write_coach_note(
        self, client_id: int, text: str, *, response_id: int | None = None, note_id: int | None = None
    ) -> CoachNote | None:
        """Write the note about this response (or, without one, the client's note ``note_id``, or a new
        one); empty text deletes it (None). ``MissingEntry`` for a client, response or note not theirs,
        ``ValueError`` for a note too long."""
        kept, now, notes = clean_coach_note(text), self.now(), t.coach_notes
        with self._writing() as connection:
            self._require_client(connection, client_id, lock=True)
            if response_id is not None:
                self._require_response_of(connection, client_id, response_id)
                which = notes.c.response_id == response_id
            else:
                which = (notes.c.id == (note_id or 0)) & notes.c.response_id.is_(None)
            found = connection.execute(select(notes).where(which, notes.c.client_id == client_id)).first()
            if note_id is not None and response_id is None and found is None:
                raise MissingEntry(f"no note {note_id} of client {client_id}")
            if not kept.strip():
                if found is not None:
                    connection.execute(delete(notes).where(notes.c.id == found.id))
                return None
            if found is None:
                row = {"client_id": client_id, "response_id": response_id, "note": kept}
                values = {**row, "written_at": now, "changed_at": now}
                new_id = connection.execute(insert(notes).values(values)).inserted_primary_key[0]
                return CoachNote(new_id, client_id, response_id, kept, now, now)
            connection.execute(update(notes).where(notes.c.id == found.id).values(note=kept, changed_at=now))
            return CoachNote(found.id, client_id, response_id, kept, _utc(found.written_at), now)

    def _require_response_of(self, connection: Connection, client_id: int, response_id: int) -> None:
        r = t.responses
        query = select(r.c.id).where(r.c.id == response_id, r.c.client_id == client_id)
        if connection.execute(query).first() is None:
            raise MissingEntry(f"no response {response_id} of client {client_id}")

    def find_coach_note(self, response_id: int) -> CoachNote | None:
        """The coach's note about this response, if any."""
        notes = t.coach_notes
        with self._reading() as connection:
            row = connection.execute(select(notes).where(notes.c.response_id == response_id)).first()
        return None if row is None else _note(row)

    def coach_note_rows(self, client_id: int | None = None) -> Rows:
        """Every note (of one client), oldest first: ``note_id, client_id, client, response_id, worksheet,
        note, written_at, changed_at``."""
        n, c, r = t.coach_notes, t.clients, t.responses
        query = (
            select(
                n.c.id.label("note_id"),
                n.c.client_id,
                c.c.name.label("client"),
                n.c.response_id,
                r.c.worksheet_id.label("worksheet"),
                n.c.note,
                n.c.written_at,
                n.c.changed_at,
            )
            .select_from(n.join(c, n.c.client_id == c.c.id).outerjoin(r, n.c.response_id == r.c.id))
            .order_by(n.c.written_at, n.c.id)
        )
        if client_id is not None:
            query = query.where(n.c.client_id == client_id)
        with self._reading() as connection:
            result = connection.execute(query)
            return Rows(tuple(result.keys()), [tuple(row) for row in result])
