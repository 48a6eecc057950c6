"""Homework in the store: assignments (who assigned what, when) and each client's own choices (their
time zone, reminders by email); the reminders themselves are ``reminders.py``'s.

An assignment is never deleted by unassigning: it ends (``ended_at``, ``ended_by``), so the store keeps
who assigned what, when. A reminder is written to the outbox with the key
``reminder:CLIENT:ASSIGNMENT:OCCURRENCE``, so each is written once; ending an assignment, stopping
reminders and removing a client delete that client's reminders not yet sent, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from coachkit.store import tables as t
from coachkit.store.records import MissingEntry, Rows

MAX_NOTE = 500
REMINDER = "reminder"


def reminder_key(client_id: int, assignment_id: int, occurrence: int) -> str:
    """The outbox's dedupe key of one reminder: one per assignment and occurrence."""
    return f"{REMINDER}:{client_id}:{assignment_id}:{occurrence}"


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


@dataclass(frozen=True)
class Assignment:
    """A worksheet assigned to a client: once (due on ``due_on``, if given), or every ``every_days``
    days, ``times`` times, from ``starts_on``. Dates are days of the client's own calendar."""

    id: int
    client_id: int
    worksheet_id: str
    note: str
    programme_id: str | None
    batch: str | None
    starts_on: dt.date
    due_on: dt.date | None
    every_days: int | None
    times: int | None
    assigned_at: dt.datetime
    assigned_by: str
    ended_at: dt.datetime | None = None
    ended_by: str | None = None


@dataclass(frozen=True)
class Contact:
    """What a client chose: their time zone (None: not known yet) and reminders by email."""

    client_id: int
    time_zone: str | None = None
    email: str | None = None
    remind_hour: int | None = None
    reminders_on: bool = False


def _assignment(row: Row[Any]) -> Assignment:
    return Assignment(
        id=row.id,
        client_id=row.client_id,
        worksheet_id=row.worksheet_id,
        note=row.note or "",
        programme_id=row.programme_id,
        batch=row.batch,
        starts_on=row.starts_on,
        due_on=row.due_on,
        every_days=row.every_days,
        times=row.times,
        assigned_at=_utc(row.assigned_at),  # type: ignore[arg-type]
        assigned_by=row.assigned_by,
        ended_at=_utc(row.ended_at),
        ended_by=row.ended_by,
    )


def _rows(connection: Connection, query: Any) -> Rows:
    result = connection.execute(query)
    return Rows(tuple(result.keys()), [tuple(row) for row in result])


class Assignments:
    """The store's homework methods (mixed into ``Store``)."""

    now: Callable[[], dt.datetime]
    _writing: Callable[[], AbstractContextManager[Connection]]
    _reading: Callable[[], AbstractContextManager[Connection]]
    _insert: Callable[..., Any]
    _require_client: Callable[..., None]
    _forget_reminders: Callable[..., None]  # the Reminders mixin's

    # -- assigning ---------------------------------------------------------------------------

    def add_assignments(
        self, client_id: int, items: Iterable[Mapping[str, Any]], assigned_by: str
    ) -> list[int]:
        """Assign each of ``items`` (``worksheet_id``, ``starts_on`` and optionally ``due_on``,
        ``every_days``, ``times``, ``note``, ``programme_id``, ``batch``) in one transaction; their ids."""
        now, ids = self.now(), []
        with self._writing() as connection:
            self._require_client(connection, client_id, lock=True)
            for item in items:
                note = (item.get("note") or "").strip()
                if len(note) > MAX_NOTE or "\x00" in note:
                    raise ValueError(f"a note is at most {MAX_NOTE} characters of text")
                row = {
                    "client_id": client_id,
                    "worksheet_id": item["worksheet_id"],
                    "note": note or None,
                    "programme_id": item.get("programme_id"),
                    "batch": item.get("batch"),
                    "starts_on": item["starts_on"],
                    "due_on": item.get("due_on"),
                    "every_days": item.get("every_days"),
                    "times": item.get("times"),
                    "assigned_at": now,
                    "assigned_by": assigned_by[:100],
                }
                ids.append(connection.execute(insert(t.assignments).values(row)).inserted_primary_key[0])
        return ids

    def end_assignments(self, assignment_ids: Iterable[int], ended_by: str) -> int:
        """Unassign: the assignments end now (kept, with who ended them); their reminders not yet sent
        are deleted. Returns how many were still open."""
        wanted = list(assignment_ids)
        a = t.assignments
        with self._writing() as connection:
            rows = connection.execute(
                select(a.c.id, a.c.client_id).where(a.c.id.in_(wanted), a.c.ended_at.is_(None))
            ).all()
            if not rows:
                return 0
            connection.execute(
                update(a)
                .where(a.c.id.in_([row.id for row in rows]))
                .values(ended_at=self.now(), ended_by=ended_by[:100])
            )
            for row in rows:
                self._forget_reminders(connection, row.client_id, row.id)
        return len(rows)

    def find_assignments(self, client_id: int | None = None, *, ended: bool = False) -> list[Assignment]:
        """Assignments (a client's, or everyone's), oldest first; ``ended``: those unassigned too."""
        a = t.assignments
        query = select(a).order_by(a.c.starts_on, a.c.id)
        if client_id is not None:
            query = query.where(a.c.client_id == client_id)
        if not ended:
            query = query.where(a.c.ended_at.is_(None))
        with self._reading() as connection:
            return [_assignment(row) for row in connection.execute(query)]

    def get_assignment(self, assignment_id: int) -> Assignment:
        with self._reading() as connection:
            row = connection.execute(select(t.assignments).where(t.assignments.c.id == assignment_id)).first()
        if row is None:
            raise MissingEntry(f"no assignment {assignment_id}")
        return _assignment(row)

    # -- the client's own choices ------------------------------------------------------------

    def get_contact(self, client_id: int) -> Contact:
        with self._reading() as connection:
            row = connection.execute(
                select(t.client_contact).where(t.client_contact.c.client_id == client_id)
            ).first()
        if row is None:
            return Contact(client_id)
        return Contact(client_id, row.time_zone, row.email, row.remind_hour, bool(row.reminders_on))

    def note_time_zone(self, client_id: int, time_zone: str) -> None:
        """The time zone the client's browser gave (checked by the caller); kept until it changes."""
        self._upsert_contact(client_id, time_zone=time_zone)

    def set_reminders(self, client_id: int, email: str, hour: int, time_zone: str) -> None:
        """The client turned reminders on: to ``email`` at ``hour`` o'clock in ``time_zone``."""
        if not 0 <= hour <= 23:
            raise ValueError("the hour is 0 to 23")
        self._upsert_contact(client_id, email=email, remind_hour=hour, time_zone=time_zone, reminders_on=True)

    def _upsert_contact(self, client_id: int, **values: Any) -> None:
        with self._writing() as connection:
            self._require_client(connection, client_id, lock=True)
            self._upsert(connection, client_id, **values)

    def _upsert(self, connection: Connection, client_id: int, **values: Any) -> None:
        values["changed_at"] = self.now()
        statement = self._insert(t.client_contact).values(
            {"client_id": client_id, "reminders_on": False, **values}
        )
        connection.execute(statement.on_conflict_do_update(index_elements=["client_id"], set_=values))

    # -- reading for the coach -------------------------------------------------------------------

    def assignment_rows(self, client_id: int | None = None) -> tuple[Rows, Rows]:
        """For the coach, in one snapshot: every assignment (ended ones too) with the client's name and
        time zone, and every completed response (``client_id, worksheet_id, completed_at``)."""
        a, cl, c, r = t.assignments, t.clients, t.client_contact, t.responses
        query = (
            select(
                a.c.id.label("assignment_id"),
                a.c.client_id,
                cl.c.name.label("client"),
                a.c.worksheet_id.label("worksheet"),
                a.c.programme_id.label("programme"),
                a.c.note,
                a.c.starts_on,
                a.c.due_on,
                a.c.every_days,
                a.c.times,
                a.c.assigned_at,
                a.c.assigned_by,
                a.c.ended_at,
                c.c.time_zone,
            )
            .select_from(a.join(cl, cl.c.id == a.c.client_id).outerjoin(c, c.c.client_id == a.c.client_id))
            .order_by(a.c.id)
        )
        done = select(r.c.client_id, r.c.worksheet_id.label("worksheet"), r.c.completed_at).where(
            r.c.status == "completed"
        )
        if client_id is not None:
            query = query.where(a.c.client_id == client_id)
            done = done.where(r.c.client_id == client_id)
        with self._reading() as connection:
            return _rows(connection, query), _rows(connection, done)
