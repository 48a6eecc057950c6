"""What the coach's side reads: every answer, response, flag and client, as plain rows (``Rows``).

Read-only queries, each run inside one read-only transaction by the facade so a set of them sees one
snapshot. Times of answers and responses come as the stored values; ``coachkit.coach.frames`` shapes
them with pandas (which stays out of the store).
"""

from __future__ import annotations

from sqlalchemy import Connection, Select, String, func, select, type_coerce

from coachkit.store import tables as t
from coachkit.store.records import Rows


def _rows(connection: Connection, query: Select) -> Rows:  # type: ignore[type-arg]
    result = connection.execute(query)
    return Rows(tuple(result.keys()), [tuple(row) for row in result])


def _raw_time(column):  # type: ignore[no-untyped-def]
    # Times as the stored text on SQLite: pandas parses a whole column far faster than row by row.
    return type_coerce(column, String).label(column.name)


def answers(connection: Connection, client_id: int | None) -> tuple[Rows, Rows]:
    """Every saved answer (``answer_id, response_id, step, field, value_json, saved_at``), and the
    responses they belong to (``response_id, client_id, client, worksheet, version, status,
    language, completed_at``). Two narrow reads, joined by the caller, beat one wide join."""
    c, r, a = t.clients, t.responses, t.answers
    rows = select(
        a.c.id.label("answer_id"),
        a.c.response_id,
        a.c.step_id.label("step"),
        a.c.field_id.label("field"),
        a.c.value_json,
        _raw_time(a.c.saved_at),
    )
    meta = select(
        r.c.id.label("response_id"),
        c.c.id.label("client_id"),
        c.c.name.label("client"),
        r.c.worksheet_id.label("worksheet"),
        r.c.worksheet_version.label("version"),
        r.c.status,
        r.c.language,
        _raw_time(r.c.completed_at),
    ).select_from(r.join(c, r.c.client_id == c.c.id))
    if client_id is not None:
        rows = rows.where(a.c.response_id.in_(select(r.c.id).where(r.c.client_id == client_id)))
        meta = meta.where(r.c.client_id == client_id)
    return _rows(connection, rows), _rows(connection, meta)


def flags(connection: Connection, client_id: int | None) -> Rows:
    """Every flag raised, oldest first: ``flag_id, client_id, client, response_id, worksheet, status, flag,
    raised_at, cleared_at, checked_at, checked_note`` (cleared: its answer changed; checked: the coach
    checked in)."""
    c, r, f = t.clients, t.responses, t.response_flags
    query = (
        select(
            f.c.id.label("flag_id"),
            c.c.id.label("client_id"),
            c.c.name.label("client"),
            r.c.id.label("response_id"),
            r.c.worksheet_id.label("worksheet"),
            r.c.status,
            f.c.flag,
            f.c.raised_at,
            f.c.cleared_at,
            f.c.checked_at,
            f.c.checked_note,
        )
        .select_from(f.join(r, f.c.response_id == r.c.id).join(c, r.c.client_id == c.c.id))
        .order_by(f.c.raised_at, f.c.id)
    )
    if client_id is not None:
        query = query.where(r.c.client_id == client_id)
    return _rows(connection, query)


def responses(connection: Connection, client_id: int | None) -> Rows:
    """Every response, oldest first, with how many answers it has."""
    c, r, a = t.clients, t.responses, t.answers
    counts = select(a.c.response_id, func.count().label("answers")).group_by(a.c.response_id).subquery()
    query = (
        select(
            r.c.id.label("response_id"),
            c.c.id.label("client_id"),
            c.c.name.label("client"),
            r.c.worksheet_id.label("worksheet"),
            r.c.worksheet_version.label("version"),
            r.c.status,
            r.c.language,
            r.c.current_step,
            r.c.started_at,
            r.c.updated_at,
            r.c.completed_at,
            func.coalesce(counts.c.answers, 0).label("answers"),
        )
        .select_from(r.join(c, r.c.client_id == c.c.id).outerjoin(counts, counts.c.response_id == r.c.id))
        .order_by(r.c.started_at, r.c.id)
    )
    if client_id is not None:
        query = query.where(r.c.client_id == client_id)
    return _rows(connection, query)


def clients(connection: Connection) -> Rows:
    """Every client by name: ``client_id, client, added``."""
    c = t.clients
    query = select(c.c.id.label("client_id"), c.c.name.label("client"), c.c.created_at.label("added"))
    return _rows(connection, query.order_by(c.c.name, c.c.id))
