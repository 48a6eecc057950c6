"""Reminders in the store: what a pass of the reminder loop reads, writing reminders once, stop links,
and deleting a client's reminders not yet sent (see ``coachkit.homework.reminders``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from coachkit.store import tables as t
from coachkit.store.assignments import REMINDER, _rows
from coachkit.store.records import Rows
from coachkit.store.signins import digest, new_secret


class Reminders:
    """The store's reminder methods (mixed into ``Store``)."""

    now: Callable[[], dt.datetime]
    _writing: Callable[[], AbstractContextManager[Connection]]
    _reading: Callable[[], AbstractContextManager[Connection]]
    _insert: Callable[..., Any]
    _require_client: Callable[..., None]
    _upsert: Callable[..., None]

    def stop_reminders(self, client_id: int) -> None:
        """Reminders off (the address is forgotten too), and none still waiting is sent."""
        with self._writing() as connection:
            self._upsert(connection, client_id, reminders_on=False, email=None)
            self._forget_reminders(connection, client_id)

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

    def reminder_rows(self, around: dt.date | None = None) -> tuple[Rows, Rows, Rows, set[str]]:
        """What a pass of the reminder loop reads, in one snapshot: open assignments with a due date or a
        repeat, of clients with reminders on (``assignment_id, client_id, worksheet_id, starts_on, due_on,
        every_days, times, time_zone, email, remind_hour, chosen_language, browser_language,
        coach_language``; ``around``: only one-offs due within two days
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
                c.c.language.label("chosen_language"),
                c.c.browser_language,
                t.clients.c.language.label("coach_language"),
            )
            .select_from(
                a.join(c, c.c.client_id == a.c.client_id).join(t.clients, t.clients.c.id == a.c.client_id)
            )
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
