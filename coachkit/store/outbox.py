"""The outbox: mail is written to the store first, then sent once by the server's sender (``coachkit.mail``).

Writing a mail is part of the transaction it is about (an alert with the flag that raised it), so a crash
can lose neither. The sender claims due mail for a while (``claim_due_mail``), sends it, and marks it sent
or failed (with when to try again); a claim that is never marked, because the sender died, expires and the
mail is claimed again. ``dedupe_key`` keeps the same mail from being written twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, delete, func, or_, select, update

from coachkit.store import tables as t

CLAIM_MINUTES = 5
"""How long a claimed mail is left to its sender before another may claim it."""


@dataclass(frozen=True)
class Mail:
    """One mail in the outbox."""

    id: int
    kind: str
    recipient: str
    subject: str
    body: str
    created_at: dt.datetime
    due_at: dt.datetime
    sent_at: dt.datetime | None
    attempts: int
    last_error: str
    dedupe_key: str | None = None


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _mail(row: Row[Any]) -> Mail:
    return Mail(
        id=row.id,
        kind=row.kind,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
        created_at=_utc(row.created_at),  # type: ignore[arg-type]
        due_at=_utc(row.due_at),  # type: ignore[arg-type]
        sent_at=_utc(row.sent_at),
        attempts=row.attempts,
        last_error=row.last_error or "",
        dedupe_key=row.dedupe_key,
    )


@dataclass(frozen=True)
class Alert:
    """A mail to write when a save raises one of ``flags`` for the first time on its response."""

    flags: frozenset[str]
    recipient: str
    subject: str
    body: str


def mail_row(
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    now: dt.datetime,
    *,
    due_at: dt.datetime | None = None,
    dedupe_key: str | None = None,
) -> dict[str, Any]:
    """The outbox row for a new mail (for ``Outbox.queue_mail``, or a caller's own transaction)."""
    return {
        "kind": kind,
        "recipient": recipient,
        "subject": subject,
        "body": body,
        "dedupe_key": dedupe_key,
        "created_at": now,
        "due_at": due_at or now,
        "attempts": 0,
    }


class Outbox:
    """The store's outbox methods (mixed into ``Store``)."""

    now: Callable[[], dt.datetime]
    _writing: Callable[[], AbstractContextManager[Connection]]
    _reading: Callable[[], AbstractContextManager[Connection]]
    _insert: Callable[..., Any]

    def queue_mail(
        self,
        kind: str,
        recipient: str,
        subject: str,
        body: str,
        *,
        due_at: dt.datetime | None = None,
        dedupe_key: str | None = None,
    ) -> bool:
        """Write a mail to send at ``due_at`` (now); False if its ``dedupe_key`` is there already."""
        row = mail_row(kind, recipient, subject, body, self.now(), due_at=due_at, dedupe_key=dedupe_key)
        with self._writing() as connection:
            return self._queue(connection, row)

    def _queue(self, connection: Connection, row: dict[str, Any]) -> bool:
        statement = self._insert(t.outbox).values(row)
        if row.get("dedupe_key"):
            statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
        return connection.execute(statement.returning(t.outbox.c.id)).first() is not None

    def claim_due_mail(self, limit: int = 20) -> list[Mail]:
        """Mail due now and not claimed (or claimed so long ago that its sender must have died): claimed."""
        mail, now = t.outbox, self.now()
        stale = now - dt.timedelta(minutes=CLAIM_MINUTES)
        due = (
            mail.c.sent_at.is_(None)
            & (mail.c.due_at <= now)
            & or_(mail.c.claimed_at.is_(None), mail.c.claimed_at < stale)
        )
        with self._writing() as connection:
            rows = connection.execute(
                select(mail).where(due).order_by(mail.c.due_at, mail.c.id).limit(limit).with_for_update()
            ).all()
            ids = [row.id for row in rows]
            if ids:
                connection.execute(update(mail).where(mail.c.id.in_(ids)).values(claimed_at=now))
        return [_mail(row) for row in rows]

    def mark_mail_sent(self, mail_id: int) -> None:
        with self._writing() as connection:
            connection.execute(
                update(t.outbox)
                .where(t.outbox.c.id == mail_id)
                .values(sent_at=self.now(), attempts=t.outbox.c.attempts + 1, last_error=None)
            )

    def mark_mail_failed(self, mail_id: int, error: str, retry_at: dt.datetime) -> None:
        """It could not be sent: ``error`` (plain words, no secret) and when to try again."""
        with self._writing() as connection:
            connection.execute(
                update(t.outbox)
                .where(t.outbox.c.id == mail_id)
                .values(
                    claimed_at=None, due_at=retry_at, attempts=t.outbox.c.attempts + 1, last_error=error[:300]
                )
            )

    def find_mail(self, *, unsent_only: bool = False) -> list[Mail]:
        """The outbox, newest first (``unsent_only``: what is still to be sent, failures included)."""
        query = select(t.outbox).order_by(t.outbox.c.created_at.desc(), t.outbox.c.id.desc())
        if unsent_only:
            query = query.where(t.outbox.c.sent_at.is_(None))
        with self._reading() as connection:
            return [_mail(row) for row in connection.execute(query)]

    def drop_mail(self, mail_id: int) -> None:
        """Delete a mail not yet sent that must not be (its client has gone)."""
        box = t.outbox
        with self._writing() as connection:
            connection.execute(delete(box).where(box.c.id == mail_id, box.c.sent_at.is_(None)))

    def count_unsent_mail(self) -> int:
        with self._reading() as connection:
            query = select(func.count()).select_from(t.outbox).where(t.outbox.c.sent_at.is_(None))
            return int(connection.execute(query).scalar_one())
