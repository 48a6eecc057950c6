"""Homework in the store: assignments (who assigned what, when), each client's own choices about
reminders, and the stop links reminders carry.

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

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from coachkit.store import tables as t
from coachkit.store.records import MissingEntry, Rows
from coachkit.store.signins import digest, new_secret

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
    _queue: Callable[[Connection, dict[str, Any]], bool]

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

    def stop_reminders(self, client_id: int) -> None:
        """Reminders off (the address is forgotten too), and none still waiting is sent."""
        with self._writing() as connection:
            self._upsert(connection, client_id, reminders_on=False, email=None)
            self._forget_reminders(connection, client_id)

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

    # -- stop links --------------------------------------------------------------------------

    def add_reminder_stop(self, client_id: int) -> str:
        """A new stop key for one reminder: using it turns this client's reminders off."""
        key = new_secret()
        with self._writing() as connection:
            self._require_client(connection, client_id, lock=True)
            row = {"key_hash": digest(key), "client_id": client_id, "created_at": self.now()}
            connection.execute(insert(t.reminder_stops).values(row))
        return key

    def use_reminder_stop(self, key: str) -> bool:
        """Turn reminders off for the client this stop key belongs to; False for an unknown key. A key
        works every time (stopping twice harms no one)."""
        stops = t.reminder_stops
        with self._writing() as connection:
            client_id = connection.execute(
                select(stops.c.client_id).where(stops.c.key_hash == digest(key))
            ).scalar_one_or_none()
            if client_id is None:
                return False
            self._upsert(connection, client_id, reminders_on=False, email=None)
            self._forget_reminders(connection, client_id)
        return True

    # -- reading for the reminder loop and the coach ---------------------------------------------

    def reminder_rows(self, around: dt.date | None = None) -> tuple[Rows, Rows, Rows, set[str]]:
        """What a pass of the reminder loop reads, in one snapshot: open assignments with a due date or a
        repeat, of clients with reminders on (``assignment_id, client_id, worksheet_id, starts_on, due_on,
        every_days, times, time_zone, email, remind_hour``; ``around``: only one-offs due within two days
        of that day, the only ones whose reminder can be due in any time zone); those clients' completed
        responses (``client_id, worksheet_id, completed_at``); the latest answer each gave to
        ``safe_contact`` (``client_id, value_json``); and the keys of the reminders already written."""
        a, c, r = t.assignments, t.client_contact, t.responses
        reminded = c.c.reminders_on.is_(True) & c.c.email.is_not(None)
        due = a.c.due_on.is_not(None)
        if around is not None:
            window = a.c.due_on.between(around - dt.timedelta(days=2), around + dt.timedelta(days=2))
            due = due & window
        assigned = (
            select(
                a.c.id.label("assignment_id"),
                a.c.client_id,
                a.c.worksheet_id,
                a.c.starts_on,
                a.c.due_on,
                a.c.every_days,
                a.c.times,
                c.c.time_zone,
                c.c.email,
                c.c.remind_hour,
            )
            .select_from(a.join(c, c.c.client_id == a.c.client_id))
            .where(a.c.ended_at.is_(None), reminded, due | a.c.every_days.is_not(None))
            .order_by(a.c.id)
        )
        done = (
            select(r.c.client_id, r.c.worksheet_id, r.c.completed_at)
            .select_from(r.join(c, c.c.client_id == r.c.client_id))
            .where(r.c.status == "completed", reminded)
        )
        box = t.outbox
        written = select(box.c.dedupe_key).where(box.c.kind == REMINDER)
        if around is not None:
            written = written.where(
                box.c.created_at >= dt.datetime.combine(around, dt.time(), dt.UTC) - dt.timedelta(days=3)
            )
        with self._reading() as connection:
            return (
                _rows(connection, assigned),
                _rows(connection, done),
                self._safe_contact(connection, reminded),
                set(connection.execute(written).scalars()),
            )

    @staticmethod
    def _safe_contact(connection: Connection, reminded: Any) -> Rows:
        an, r, c = t.answers, t.responses, t.client_contact
        latest = (
            select(r.c.client_id, func.max(an.c.id).label("answer_id"))
            .select_from(an.join(r, r.c.id == an.c.response_id).join(c, c.c.client_id == r.c.client_id))
            .where(an.c.field_id == "safe_contact", reminded)
            .group_by(r.c.client_id)
            .subquery()
        )
        query = select(latest.c.client_id, an.c.value_json).select_from(
            latest.join(an, an.c.id == latest.c.answer_id)
        )
        return _rows(connection, query)

    def queue_reminders(self, mails: Iterable[Mapping[str, Any]]) -> int:
        """Write reminders to the outbox (each ``mail_row`` with its ``reminder_key``), once each; one
        whose assignment ended or whose client stopped reminders since it was planned is left out.
        Returns how many were new."""
        wanted = {mail["dedupe_key"]: dict(mail) for mail in mails}
        if not wanted:
            return 0
        a, c, box = t.assignments, t.client_contact, t.outbox
        ids = {int(key.split(":")[2]) for key in wanted}
        with self._writing() as connection:
            still = set(
                connection.execute(
                    select(a.c.id)
                    .select_from(a.join(c, c.c.client_id == a.c.client_id))
                    .where(a.c.id.in_(ids), a.c.ended_at.is_(None), c.c.reminders_on.is_(True))
                ).scalars()
            )
            there = set(
                connection.execute(select(box.c.dedupe_key).where(box.c.dedupe_key.in_(wanted))).scalars()
            )
            new = [row for key, row in wanted.items() if key not in there and int(key.split(":")[2]) in still]
            if new:
                connection.execute(
                    self._insert(box).on_conflict_do_nothing(index_elements=["dedupe_key"]), new
                )
        return len(new)

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

    # -- internals ---------------------------------------------------------------------------

    @staticmethod
    def _forget_reminders(connection: Connection, client_id: int, assignment_id: int | None = None) -> None:
        """Delete reminders not yet sent: the client's, or one assignment's."""
        prefix = f"{REMINDER}:{client_id}:" + (f"{assignment_id}:" if assignment_id is not None else "")
        box = t.outbox
        connection.execute(
            delete(box).where(
                box.c.kind == REMINDER,
                box.c.sent_at.is_(None),
                box.c.dedupe_key.startswith(prefix, autoescape=True),
            )
        )
