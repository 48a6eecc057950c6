"""What the coach's live view reads (mixed into ``Store``): a cheap "what changed" and, on a change, the rest.

``live_marks`` is read several times a second while the coach follows clients: for each client asked
about, whether they still exist and their latest response's id, status, step and time of its last save
(one indexed lookup each, ``ix_responses_client_updated``), and every open page (``Pages``), in one
snapshot. Only when a mark changes does the view read the response itself (``live_response``): its
answers, its flags and, for a finished one, what it carried from the client's other worksheets.

A save moves ``updated_at`` on (to the microsecond) and counts up the response's ``version`` (the one
two tabs write on), so either tells a new save, even under a test clock that stands still.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, select

from coachkit.store import tables as t
from coachkit.store.pages import OpenPage


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


@dataclass(frozen=True)
class ResponseMark:
    """A response as far as "has it changed?" goes."""

    response_id: int
    worksheet_id: str
    version: int
    status: str
    current_step: int
    updated_at: dt.datetime
    saves: int = 0


@dataclass(frozen=True)
class LiveMarks:
    """One snapshot: the clients that exist (of those asked about), each one's latest response (None
    before their first), and every open page."""

    clients: dict[int, ResponseMark | None]
    pages: list[OpenPage]


@dataclass(frozen=True)
class SavedAnswer:
    value: Any
    saved_at: dt.datetime


@dataclass(frozen=True)
class RaisedFlag:
    flag: str
    raised_at: dt.datetime
    cleared_at: dt.datetime | None
    checked_at: dt.datetime | None


@dataclass(frozen=True)
class LiveResponse:
    """A response as the live view shows it: its answers (by field), and every flag it raised."""

    mark: ResponseMark
    started_at: dt.datetime
    completed_at: dt.datetime | None
    answers: dict[str, SavedAnswer]
    flags: list[RaisedFlag]


def _mark(row: Row[Any]) -> ResponseMark:
    return ResponseMark(
        response_id=row.id,
        worksheet_id=row.worksheet_id,
        version=row.worksheet_version,
        status=row.status,
        current_step=row.current_step,
        updated_at=_utc(row.updated_at),  # type: ignore[arg-type]
        saves=row.version,
    )


class Live:
    """The store's reads for the coach's live view."""

    _reading: Callable[[], AbstractContextManager[Connection]]
    _open_pages: Callable[[Connection, Iterable[int] | None], list[OpenPage]]

    def live_marks(self, client_ids: Iterable[int]) -> LiveMarks:
        """Which of these clients exist, their latest responses, and every page open now (one snapshot)."""
        ids = sorted(set(client_ids))
        with self._reading() as connection:
            clients = self._latest(connection, ids) if ids else {}
            return LiveMarks(clients, self._open_pages(connection, None))

    def _latest(self, connection: Connection, ids: list[int]) -> dict[int, ResponseMark | None]:
        c, r = t.clients, t.responses
        latest = (
            select(r.c.id)
            .where(r.c.client_id == c.c.id)
            .order_by(r.c.updated_at.desc(), r.c.id.desc())
            .limit(1)
            .correlate(c)
            .scalar_subquery()
        )
        query = (
            select(
                c.c.id.label("client_id"),
                r.c.id,
                r.c.worksheet_id,
                r.c.worksheet_version,
                r.c.status,
                r.c.current_step,
                r.c.updated_at,
                r.c.version,
            )
            .select_from(c.outerjoin(r, r.c.id == latest))
            .where(c.c.id.in_(ids))
        )
        return {row.client_id: None if row.id is None else _mark(row) for row in connection.execute(query)}

    def latest_response_of(self, client_id: int, worksheet_id: str) -> ResponseMark | None:
        """The client's latest response to this worksheet (the page they have open shows it)."""
        r = t.responses
        query = (
            select(r)
            .where(r.c.client_id == client_id, r.c.worksheet_id == worksheet_id)
            .order_by(r.c.updated_at.desc(), r.c.id.desc())
            .limit(1)
        )
        with self._reading() as connection:
            row = connection.execute(query).first()
        return None if row is None else _mark(row)

    def live_response(self, response_id: int) -> LiveResponse | None:
        """A response with its answers and flags (None once it no longer exists)."""
        return self.live_responses([response_id]).get(response_id)

    def live_responses(self, response_ids: Iterable[int]) -> dict[int, LiveResponse]:
        """These responses with their answers and flags, in one snapshot of three statements however
        many (those that no longer exist are left out)."""
        ids = sorted(set(response_ids))
        if not ids:
            return {}
        r, a, f = t.responses, t.answers, t.response_flags
        with self._reading() as connection:
            rows = connection.execute(select(r).where(r.c.id.in_(ids))).all()
            answers = connection.execute(
                select(a.c.response_id, a.c.field_id, a.c.value_json, a.c.saved_at).where(
                    a.c.response_id.in_(ids)
                )
            ).all()
            flags = connection.execute(
                select(f.c.response_id, f.c.flag, f.c.raised_at, f.c.cleared_at, f.c.checked_at)
                .where(f.c.response_id.in_(ids))
                .order_by(f.c.raised_at, f.c.id)
            ).all()
        found = {
            row.id: LiveResponse(
                mark=_mark(row),
                started_at=_utc(row.started_at),  # type: ignore[arg-type]
                completed_at=_utc(row.completed_at),
                answers={},
                flags=[],
            )
            for row in rows
        }
        for answer in answers:
            if answer.response_id in found:
                saved = SavedAnswer(json.loads(answer.value_json), _utc(answer.saved_at))  # type: ignore[arg-type]
                found[answer.response_id].answers[answer.field_id] = saved
        for flag in flags:
            if flag.response_id in found:
                times = (_utc(flag.raised_at), _utc(flag.cleared_at), _utc(flag.checked_at))
                found[flag.response_id].flags.append(RaisedFlag(flag.flag, *times))  # type: ignore[arg-type]
        return found
