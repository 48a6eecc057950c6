"""Flags as the answers stand, and the coach's check-ins (mixed into ``Store``).

A save hands over the response's flags as its answers now stand: a flag not raised yet gets a row, and a
standing flag no longer among them is cleared (``cleared_at``), so a corrected misclick in a draft stops
flagging. Nothing is deleted: raised again, a flag gets a new row, and the history keeps every span with
its times. The coach marks a flag checked in, with a note and a time; flags still open (standing and not
checked in) are what keeps a client at the top of the dashboard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager

from sqlalchemy import Connection, insert, select, update

from coachkit.store import tables as t
from coachkit.store.records import MissingEntry

MAX_NOTE_LENGTH = 2000
"""The longest check-in note (a few sentences: what was said, what comes next)."""


def clean_note(note: str) -> str:
    """A check-in note as kept: trimmed, without NUL, at most ``MAX_NOTE_LENGTH`` characters."""
    cleaned = note.replace("\x00", "").strip()
    if len(cleaned) > MAX_NOTE_LENGTH:
        raise ValueError(f"a note can be at most {MAX_NOTE_LENGTH} characters")
    return cleaned


class Flags:
    """The store's flag methods."""

    now: Callable[[], dt.datetime]
    _writing: Callable[[], AbstractContextManager[Connection]]
    _reading: Callable[[], AbstractContextManager[Connection]]

    def find_flags(self, response_id: int) -> set[str]:
        """The flags a response raises as its answers stand (cleared ones are history)."""
        f = t.response_flags
        query = select(f.c.flag).where(f.c.response_id == response_id, f.c.cleared_at.is_(None))
        with self._reading() as connection:
            return set(connection.execute(query).scalars())

    def check_in_flags(self, flag_ids: Iterable[int], note: str = "") -> dt.datetime:
        """Mark these flags checked in by the coach, now, with ``note``; returns the time written.

        A flag already checked in gets the new note and time (the coach checked in again). Raises
        ``MissingEntry`` if any id is unknown (then nothing is written), ``ValueError`` for a note too long.
        """
        ids = sorted(set(flag_ids))
        kept, now = clean_note(note), self.now()
        f = t.response_flags
        with self._writing() as connection:
            found = set(connection.execute(select(f.c.id).where(f.c.id.in_(ids))).scalars())
            if missing := set(ids) - found:
                raise MissingEntry(f"no flag {', '.join(map(str, sorted(missing)))}")
            values = {"checked_at": now, "checked_note": kept}
            connection.execute(update(f).where(f.c.id.in_(ids)).values(values))
        return now

    def _set_flags(
        self, connection: Connection, response_id: int, flags: set[str], now: dt.datetime
    ) -> set[str]:
        """Raise ``flags`` not standing yet and clear standing ones not among them; the newly raised."""
        f = t.response_flags
        standing = dict(
            connection.execute(
                select(f.c.flag, f.c.id).where(f.c.response_id == response_id, f.c.cleared_at.is_(None))
            ).all()
        )
        raised = flags - set(standing)
        if raised:
            rows = [{"response_id": response_id, "flag": flag, "raised_at": now} for flag in sorted(raised)]
            connection.execute(insert(f), rows)
        gone = [flag_id for flag, flag_id in standing.items() if flag not in flags]
        if gone:
            connection.execute(update(f).where(f.c.id.in_(gone)).values(cleared_at=now))
        return raised
