"""The store: one facade over clients, responses and answers, with verb-named methods.

Rows come back as plain records. Every write is one short transaction, so a killed server loses
nothing that was saved before it. The store never imports widgets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Insert, Row, Table, delete, insert, select, update
from sqlalchemy.exc import DBAPIError

from coachkit import clock, codes, config
from coachkit.store import history
from coachkit.store import tables as t
from coachkit.store.assignments import Assignments
from coachkit.store.couples import Couples
from coachkit.store.database import READ_ONLY, create_store_engine, ensure_schema, store_url
from coachkit.store.errors import domain_error
from coachkit.store.flags import Flags
from coachkit.store.languages import Languages
from coachkit.store.live import Live
from coachkit.store.notes import CoachNotes
from coachkit.store.outbox import Alert, Outbox, mail_row
from coachkit.store.pages import Pages
from coachkit.store.records import (
    Client,
    DefinitionChanged,
    DraftChanged,
    DraftTakenOver,
    MissingEntry,
    Response,
    ResponseCompleted,
    Rows,
    StoreConflict,
    StoreUnavailable,
)
from coachkit.store.reminders import Reminders
from coachkit.store.signins import SignIns

MAX_NAME_LENGTH = 200


def _now() -> dt.datetime:
    return clock.now()


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite keeps no zone and everything is written in UTC; PostgreSQL answers in its session's zone.
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _storable(text: str, what: str) -> str:
    # PostgreSQL's text cannot hold NUL; refusing it everywhere keeps both databases alike.
    if "\x00" in text:
        raise ValueError(f"{what} cannot contain a NUL character")
    return text


def _client_name(name: str) -> str:
    """A client's name as kept: spaces tidied, 1 to ``MAX_NAME_LENGTH`` characters (``ValueError``)."""
    name = " ".join(_storable(name, "a client's name").split())
    if not 0 < len(name) <= MAX_NAME_LENGTH:
        raise ValueError(f"a client's name must be 1 to {MAX_NAME_LENGTH} characters")
    return name


def _language(language: str | None) -> dict[str, str]:
    return {"language": language[:16]} if language else {}


def _client(row: Row[Any]) -> Client:
    return Client(id=row.id, name=row.name, code=row.code, created_at=_utc(row.created_at))


def _response(row: Row[Any]) -> Response:
    return Response(
        id=row.id,
        client_id=row.client_id,
        worksheet_id=row.worksheet_id,
        worksheet_version=row.worksheet_version,
        status=row.status,
        current_step=row.current_step,
        started_at=_utc(row.started_at),
        updated_at=_utc(row.updated_at),
        completed_at=_utc(row.completed_at),
        language=row.language,
        version=row.version,
    )


class Store(SignIns, Outbox, Flags, Couples, Assignments, Reminders, Languages, Pages, Live, CoachNotes):
    """The client store. ``Store()`` opens the configured database, creating or upgrading it.

    ``url`` is a SQLAlchemy URL: ``sqlite:///path/to/coachkit.sqlite`` or
    ``postgresql+psycopg://user@host/database`` (``postgresql://`` means the same). Every database error
    comes out as one of the store's own (``StoreUnavailable``, ``StoreConflict``, ``StoreFault``).
    """

    def __init__(self, url: str | None = None, *, now: Callable[[], dt.datetime] | None = None) -> None:
        self.url = store_url(config.database_url(url))
        self.now = now or _now
        """The clock every write is stamped with (demo data sets one in the past)."""
        self.engine = create_store_engine(self.url)
        with self._guard():
            ensure_schema(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- clients ---------------------------------------------------------------------------

    def add_client(self, name: str) -> Client:
        """Add a client with a fresh, unguessable code."""
        name = _client_name(name)
        for _ in range(5):
            row = {"name": name, "code": codes.new_code(), "created_at": self.now()}
            try:
                with self._writing() as connection:
                    row["id"] = connection.execute(insert(t.clients).values(row)).inserted_primary_key[0]
                return Client(**row)
            except StoreConflict:  # a code collision: astronomically rare, so simply retry
                continue
        raise StoreUnavailable("could not find a free client code")

    def rename_client(self, client_id: int, name: str) -> Client:
        """Give a client another name (their code, links and answers stay); ``MissingEntry`` if unknown."""
        name = _client_name(name)
        with self._writing() as connection:
            self._require_client(connection, client_id)
            connection.execute(update(t.clients).where(t.clients.c.id == client_id).values(name=name))
        return self.get_client(client_id)

    def find_client_by_code(self, typed_code: str) -> Client | None:
        """The client a typed code belongs to, or None (whatever was typed)."""
        code = codes.normalize_code(typed_code or "")
        if code is None:
            return None
        with self._reading() as connection:
            row = connection.execute(select(t.clients).where(t.clients.c.code == code)).first()
        return _client(row) if row else None

    def get_client(self, client_id: int) -> Client:
        with self._reading() as connection:
            row = connection.execute(select(t.clients).where(t.clients.c.id == client_id)).first()
        if row is None:
            raise MissingEntry(f"no client {client_id}")
        return _client(row)

    def find_clients(self, name: str | None = None) -> list[Client]:
        """All clients by name, or those whose name is ``name`` (case-insensitive).

        Sorted here, by code point, not by the database: PostgreSQL would sort by its locale.
        """
        with self._reading() as connection:
            rows = connection.execute(select(t.clients)).all()
        found = sorted((_client(row) for row in rows), key=lambda c: (c.name, c.id))
        wanted = None if name is None else " ".join(name.split()).casefold()
        return [c for c in found if wanted is None or c.name.casefold() == wanted]

    def remove_client(self, client_id: int) -> None:
        """Delete a client and every one of their responses, answers and flags, in one transaction.

        The rows go by ``ON DELETE CASCADE`` (foreign keys are on for every connection). There is no
        undo: callers ask for an explicit confirmation first. Raises ``MissingEntry`` for an unknown id.
        """
        with self._writing() as connection:
            self._require_client(connection, client_id)
            self._forget_reminders(connection, client_id)  # the outbox keeps no key to this client
            connection.execute(delete(t.clients).where(t.clients.c.id == client_id))

    # -- responses -------------------------------------------------------------------------

    def start_response(
        self,
        client_id: int,
        worksheet_id: str,
        version: int,
        *,
        writer: str | None = None,
        language: str | None = None,
    ) -> Response:
        """A new draft response (claimed by ``writer``, the page that starts it, if given), given in
        ``language`` (none: not known, as before languages were kept)."""
        now = self.now()
        row = {
            "client_id": client_id,
            "worksheet_id": worksheet_id,
            "worksheet_version": version,
            "status": "draft",
            "current_step": 0,
            "started_at": now,
            "updated_at": now,
            "completed_at": None,
            "language": language,
            "version": 0,
        }
        with self._writing() as connection:
            self._require_client(connection, client_id, lock=True)
            values = {**row, "writer": writer}
            row["id"] = connection.execute(insert(t.responses).values(values)).inserted_primary_key[0]
        return Response(**row)

    def find_draft(self, client_id: int, worksheet_id: str) -> Response | None:
        """The client's most recently updated draft of this worksheet, if any."""
        query = (
            select(t.responses)
            .where(t.responses.c.client_id == client_id)
            .where(t.responses.c.worksheet_id == worksheet_id)
            .where(t.responses.c.status == "draft")
            .order_by(t.responses.c.updated_at.desc(), t.responses.c.id.desc())
        )
        with self._reading() as connection:
            row = connection.execute(query).first()
        return _response(row) if row else None

    def get_response(self, response_id: int) -> Response:
        with self._reading() as connection:
            return self._load_response(connection, response_id)

    def find_responses(self, client_id: int, worksheet_id: str | None = None) -> list[Response]:
        """A client's responses, newest first."""
        query = select(t.responses).where(t.responses.c.client_id == client_id)
        if worksheet_id is not None:
            query = query.where(t.responses.c.worksheet_id == worksheet_id)
        query = query.order_by(t.responses.c.started_at.desc(), t.responses.c.id.desc())
        with self._reading() as connection:
            return [_response(row) for row in connection.execute(query)]

    def get_answers(self, response_id: int) -> dict[str, Any]:
        """The saved answers of a response, by field id."""
        query = select(t.answers.c.field_id, t.answers.c.value_json).where(
            t.answers.c.response_id == response_id
        )
        with self._reading() as connection:
            return {row.field_id: json.loads(row.value_json) for row in connection.execute(query)}

    def find_latest_answers(
        self,
        client_id: int,
        field_ids: Iterable[str],
        *,
        until: dt.datetime | None = None,
        excluding_response: int | None = None,
    ) -> dict[str, Any]:
        """The latest saved answer to each of these fields, across all of a client's responses.

        Drafts count (a safety answer matters as soon as it is given). ``until`` limits it to answers
        saved by then; ``excluding_response`` leaves one response out (the one being answered).
        Fields never answered are missing from the result.
        """
        wanted = list(field_ids)
        if not wanted:
            return {}
        a, r = t.answers, t.responses
        query = (
            select(a.c.field_id, a.c.value_json)
            .select_from(a.join(r, a.c.response_id == r.c.id))
            .where(r.c.client_id == client_id, a.c.field_id.in_(wanted))
            .order_by(a.c.saved_at, a.c.id)
        )
        if until is not None:
            query = query.where(a.c.saved_at <= until)
        if excluding_response is not None:
            query = query.where(a.c.response_id != excluding_response)
        with self._reading() as connection:
            return {row.field_id: json.loads(row.value_json) for row in connection.execute(query)}

    def claim_draft(self, response_id: int, writer: str) -> Response:
        """Make ``writer`` (one open page) the only one that may save this draft from now on.

        The page that opened the draft last wins: an earlier page's next save raises ``DraftTakenOver``.
        Raises ``ResponseCompleted`` for a completed response. The page then reads the answers afresh
        (``get_answers``): no other page can write them any more, so what it reads is what it writes on.
        """
        with self._writing() as connection:
            if self._load_response(connection, response_id, lock=True).status == "completed":
                raise ResponseCompleted(f"response {response_id} is completed")
            query = update(t.responses).where(t.responses.c.id == response_id).values(writer=writer)
            connection.execute(query)
            return self._load_response(connection, response_id)

    def save_step(
        self,
        response_id: int,
        step_id: str,
        answers: Mapping[str, Any],
        *,
        current_step: int,
        flags: set[str] = frozenset(),  # type: ignore[assignment]
        writer: str | None = None,
        alert: Alert | None = None,
        language: str | None = None,
        expected_version: int | None = None,
    ) -> Response:
        """Autosave one step: its answers replace the step's earlier ones, in one transaction.

        ``None`` means unanswered and removes the field's row. ``flags`` are the response's flags as its
        answers now stand: new ones are raised, standing ones not among them cleared (``Flags``); an
        ``alert`` is written to the outbox, in the same transaction, when one of its flags is raised here.
        ``language``, if given, is the one these answers were given in (a client may change it midway).
        Raises ``ResponseCompleted`` for a completed response, ``DraftTakenOver`` when ``writer`` is
        given but another page has claimed the draft since, and ``DraftChanged`` when
        ``expected_version`` is given but the draft has been written since it was read at that version
        (compare-and-set: a page never writes over answers it has not seen). Each save adds one to the
        response's ``version``.
        """
        with self._writing() as connection:
            self._save(connection, response_id, step_id, answers, flags, writer, alert, expected_version)
            values = {"current_step": current_step, "updated_at": self.now(), **_language(language)}
            connection.execute(update(t.responses).where(t.responses.c.id == response_id).values(values))
            return self._load_response(connection, response_id)

    def complete_response(
        self,
        response_id: int,
        step_id: str,
        answers: Mapping[str, Any],
        *,
        flags: set[str] = frozenset(),  # type: ignore[assignment]
        writer: str | None = None,
        alert: Alert | None = None,
        language: str | None = None,
        expected_version: int | None = None,
    ) -> Response:
        """Save the last step and mark the response completed, in one transaction (see ``save_step``)."""
        with self._writing() as connection:
            self._save(connection, response_id, step_id, answers, flags, writer, alert, expected_version)
            now = self.now()
            values = {"status": "completed", "updated_at": now, "completed_at": now, **_language(language)}
            connection.execute(update(t.responses).where(t.responses.c.id == response_id).values(values))
            return self._load_response(connection, response_id)

    # -- settings --------------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        query = select(t.settings.c.value).where(t.settings.c.key == key)
        with self._reading() as connection:
            value = connection.execute(query).scalar()
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        """Set ``key`` to ``value`` in one statement (an upsert): two saving at once both succeed."""
        upsert = self._insert(t.settings).values(key=key, value=_storable(value, "a setting"))
        with self._writing() as connection:
            connection.execute(upsert.on_conflict_do_update(index_elements=["key"], set_={"value": value}))

    # -- internals -------------------------------------------------------------------------

    def _save(
        self,
        connection: Connection,
        response_id: int,
        step_id: str,
        answers: Mapping[str, Any],
        flags: set[str],
        writer: str | None,
        alert: Alert | None = None,
        expected_version: int | None = None,
    ) -> None:
        # Lock the response first (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the database):
        # two saves of one response run one after the other, so the second never inserts an answer
        # the first has inserted meanwhile (a duplicate of uq_answers_response_field).
        row = connection.execute(
            select(t.responses.c.status, t.responses.c.writer, t.responses.c.version)
            .where(t.responses.c.id == response_id)
            .with_for_update()
        ).first()
        if row is None:
            raise MissingEntry(f"no response {response_id}")
        if row.status == "completed":
            raise ResponseCompleted(f"response {response_id} is completed")
        if writer is not None and row.writer not in (None, writer):
            raise DraftTakenOver(f"response {response_id} was opened by another page")
        if expected_version is not None and row.version != expected_version:
            raise DraftChanged(f"response {response_id} is at version {row.version}, not {expected_version}")
        connection.execute(
            update(t.responses).where(t.responses.c.id == response_id).values(version=row.version + 1)
        )
        now = self.now()
        connection.execute(
            delete(t.answers)
            .where(t.answers.c.response_id == response_id)
            .where(t.answers.c.field_id.in_(list(answers)))
        )
        rows = [
            {
                "response_id": response_id,
                "step_id": step_id,
                "field_id": field_id,
                "value_json": json.dumps(value),
                "saved_at": now,
            }
            for field_id, value in answers.items()
            if value is not None
        ]
        if rows:
            connection.execute(insert(t.answers), rows)
        new_flags = self._set_flags(connection, response_id, flags, now)
        raised = sorted(alert.flags & new_flags) if alert is not None else []
        if alert is not None and raised:
            key = f"alert:{response_id}:{raised[0]}"
            row = mail_row("alert", alert.recipient, alert.subject, alert.body, now, dedupe_key=key)
            self._queue(connection, row)

    def _load_response(self, connection: Connection, response_id: int, *, lock: bool = False) -> Response:
        query = select(t.responses).where(t.responses.c.id == response_id)
        row = connection.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise MissingEntry(f"no response {response_id}")
        return _response(row)

    def _require_client(self, connection: Connection, client_id: int, *, lock: bool = False) -> None:
        # ``lock`` keeps the client from being removed before this transaction ends (FOR KEY SHARE).
        query = select(t.clients.c.id).where(t.clients.c.id == client_id)
        if lock:
            query = query.with_for_update(read=True, key_share=True)
        if connection.execute(query).first() is None:
            raise MissingEntry(f"no client {client_id}")

    # -- worksheet versions ------------------------------------------------------------------

    def record_definition(self, worksheet_id: str, version: int, source: str) -> None:
        """Keep a worksheet version's file; ``DefinitionChanged`` if that version was kept with other
        words."""
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        table = t.worksheet_definitions
        key = (table.c.worksheet_id == worksheet_id) & (table.c.version == version)
        with self._reading() as connection:
            kept = connection.execute(select(table.c.digest).where(key)).scalar_one_or_none()
        if kept is None:  # first use: write (a store that is only read never needs to)
            with self._writing() as connection:
                row = {"worksheet_id": worksheet_id, "version": version, "digest": digest, "source": source}
                connection.execute(
                    self._insert(table).values(**row, recorded_at=self.now()).on_conflict_do_nothing()
                )
                kept = connection.execute(select(table.c.digest).where(key)).scalar_one()
        if kept != digest:
            raise DefinitionChanged(
                f"the worksheet {worksheet_id!r} has changed since version {version} was first used; "
                f"raise its `version` to {version + 1}"
            )

    def find_definition(self, worksheet_id: str, version: int) -> str | None:
        """The file a worksheet version was used with, as it was (None if never recorded)."""
        table = t.worksheet_definitions
        key = (table.c.worksheet_id == worksheet_id) & (table.c.version == version)
        with self._reading() as connection:
            return connection.execute(select(table.c.source).where(key)).scalar_one_or_none()

    # -- the coach's reading: plain rows, one snapshot per call ----------------------------------

    def answer_rows(self, client_id: int | None = None) -> tuple[Rows, Rows]:
        """Every answer, and the responses they belong to (``history.answers``)."""
        with self._reading() as connection:
            return history.answers(connection, client_id)

    def response_rows(self, client_id: int | None = None) -> tuple[Rows, Rows]:
        """Every response, and every flag raised (``history.responses``, ``history.flags``)."""
        with self._reading() as connection:
            return history.responses(connection, client_id), history.flags(connection, client_id)

    def flag_rows(self, client_id: int | None = None) -> Rows:
        with self._reading() as connection:
            return history.flags(connection, client_id)

    def client_rows(self) -> tuple[Rows, Rows, Rows]:
        """Every client, response and flag (``history.clients`` …), for the coach's list."""
        with self._reading() as connection:
            return (
                history.clients(connection),
                history.responses(connection, None),
                history.flags(connection, None),
            )

    def _insert(self, table: Table) -> Insert:
        """The dialect's own INSERT, which has ``on_conflict_do_update``. PostgreSQL's is imported only
        for a PostgreSQL store: a client's kernel on SQLite is spared its 1.5 MiB of modules."""
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        return dialect_insert(table)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Every database error, SQLAlchemy's or the driver's own, becomes one of the store's errors."""
        try:
            yield
        except (DBAPIError, self.engine.dialect.loaded_dbapi.Error) as error:
            raise domain_error(error) from error

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self._guard(), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self._guard(), self.engine.connect() as connection:
            yield connection.execution_options(**READ_ONLY)
