"""Signing in: links that open once, and the browser sessions they (or a typed code) start.

A link's key and a session's token are random secrets that only their holder knows: the store keeps a
SHA-256 hash of each, never the secret, so a copy of the store opens nothing. A link opens a session once
(``use_sign_in_link`` spends it in the same transaction); a session ends when the client leaves (Quick
exit, finishing), after ``idle`` without use, or ``longest`` after it began, whichever comes first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, or_, select, update

from coachkit.store import tables as t
from coachkit.store.records import ClientSession, MissingEntry

LINK_DAYS = 14
"""How long a link the coach hands out stays usable, unused."""


def new_secret() -> str:
    """A fresh key or token: 128 bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _session(row: Row[Any]) -> ClientSession:
    return ClientSession(
        id=row.id,
        client_id=row.client_id,
        sheet=row.sheet,
        code_typed=bool(row.code_typed),
        created_at=_utc(row.created_at),
        seen_at=_utc(row.seen_at),
    )


class SignIns:
    """The store's sign-in methods (mixed into ``Store``)."""

    now: Callable[[], dt.datetime]
    _writing: Callable[[], AbstractContextManager[Connection]]
    _reading: Callable[[], AbstractContextManager[Connection]]
    _require_client: Callable[..., None]

    def add_sign_in_link(self, client_id: int, sheet: str | None = None, *, days: float = LINK_DAYS) -> str:
        """A new link key for this client, opening ``sheet`` (None: their own page); usable once."""
        key, now = new_secret(), self.now()
        row = {
            "key_hash": digest(key),
            "client_id": client_id,
            "sheet": sheet,
            "created_at": now,
            "expires_at": now + dt.timedelta(days=days),
        }
        with self._writing() as connection:
            self._require_client(connection, client_id, lock=True)
            connection.execute(insert(t.sign_in_links).values(row))
        return key

    def use_sign_in_link(self, key: str, *, code_typed: bool = False) -> tuple[ClientSession, str] | None:
        """Spend a link and start its session: (the session, its token), or None for a key that is
        unknown, used or expired. Two uses at once: one wins, the other gets None."""
        links, now = t.sign_in_links, self.now()
        with self._writing() as connection:
            row = connection.execute(
                select(links).where(links.c.key_hash == digest(key)).with_for_update()
            ).first()
            if row is None or row.used_at is not None or _utc(row.expires_at) <= now:
                return None
            connection.execute(update(links).where(links.c.id == row.id).values(used_at=now))
            return self._start(connection, row.client_id, row.sheet, code_typed)

    def start_session(
        self, client_id: int, sheet: str | None = None, *, code_typed: bool = False
    ) -> tuple[ClientSession, str]:
        """A new session for this client (after a typed code): (the session, its token)."""
        with self._writing() as connection:
            self._require_client(connection, client_id, lock=True)
            return self._start(connection, client_id, sheet, code_typed)

    def _start(
        self, connection: Connection, client_id: int, sheet: str | None, code_typed: bool
    ) -> tuple[ClientSession, str]:
        token, now = new_secret(), self.now()
        row = {
            "token_hash": digest(token),
            "client_id": client_id,
            "sheet": sheet,
            "code_typed": code_typed,
            "created_at": now,
            "seen_at": now,
        }
        session_id = connection.execute(insert(t.client_sessions).values(row)).inserted_primary_key[0]
        return ClientSession(session_id, client_id, sheet, code_typed, now, now), token

    def find_session(
        self, token: str, *, idle: dt.timedelta, longest: dt.timedelta, touch: bool = True
    ) -> ClientSession | None:
        """The live session this token belongs to (its last use now, with ``touch``), or None.

        A session is live until it is ended, has gone unused for ``idle``, or began ``longest`` ago.
        """
        sessions, now = t.client_sessions, self.now()
        live = (
            (sessions.c.token_hash == digest(token))
            & sessions.c.ended_at.is_(None)
            & (sessions.c.seen_at > now - idle)
            & (sessions.c.created_at > now - longest)
        )
        if not touch:
            with self._reading() as connection:
                row = connection.execute(select(sessions).where(live)).first()
            return _session(row) if row else None
        with self._writing() as connection:
            row = connection.execute(select(sessions).where(live).with_for_update()).first()
            if row is None:
                return None
            connection.execute(update(sessions).where(sessions.c.id == row.id).values(seen_at=now))
            return _session(row)

    def get_session(self, session_id: int) -> ClientSession:
        """A session by id, ended or not (the kernel of a page reads its own)."""
        with self._reading() as connection:
            query = select(t.client_sessions).where(t.client_sessions.c.id == session_id)
            row = connection.execute(query).first()
        if row is None:
            raise MissingEntry(f"no session {session_id}")
        return _session(row)

    def show_in_session(self, session_id: int, sheet: str | None) -> None:
        """Note the page a session shows now (None: the client's own page), so a reload reopens it."""
        self._update_session(session_id, sheet=sheet)

    def note_code_typed(self, session_id: int) -> None:
        """The client typed their code in this session: their private answers may be shown in it."""
        self._update_session(session_id, code_typed=True)

    def touch_session(self, session_id: int) -> None:
        """The session's page is in use (keeps it from ending as idle)."""
        self._update_session(session_id)

    def _update_session(self, session_id: int, **values: Any) -> None:
        # An ended session stays ended, whatever its page still does.
        sessions = t.client_sessions
        with self._writing() as connection:
            connection.execute(
                update(sessions)
                .where(sessions.c.id == session_id, sessions.c.ended_at.is_(None))
                .values(seen_at=self.now(), **values)
            )

    def end_session(self, *, token: str | None = None, session_id: int | None = None) -> None:
        """End one session (by its token or id) at once: its cookie opens nothing from now on."""
        sessions = t.client_sessions
        which = sessions.c.token_hash == digest(token) if token is not None else sessions.c.id == session_id
        with self._writing() as connection:
            connection.execute(
                update(sessions).where(which, sessions.c.ended_at.is_(None)).values(ended_at=self.now())
            )

    def forget_old_sign_ins(self, before: dt.datetime) -> None:
        """Delete links expired or used, and sessions ended or begun, before ``before``."""
        links, sessions = t.sign_in_links, t.client_sessions
        with self._writing() as connection:
            connection.execute(
                delete(links).where(or_(links.c.expires_at < before, links.c.used_at < before))
            )
            connection.execute(
                delete(sessions).where(or_(sessions.c.ended_at < before, sessions.c.created_at < before))
            )
