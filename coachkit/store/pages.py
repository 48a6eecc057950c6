"""Which client pages are open now, as the client server sees them (mixed into ``Store``).

The client server notes each client page it serves: when the browser connects to the page's kernel, when
the connection drops, and when the page's kernel ends (``coachkit.web.presence``). That is what "open"
means here: a signed-in page whose browser is connected to the server now. A page whose connection
dropped is kept, not connected, until the server reclaims its kernel (``--reclaim-after-seconds``), so
the coach can tell a lost connection from a closed page. Each server renews ``seen_at`` of its pages
every ``PAGE_LEASE`` while it runs; a page not renewed for ``PAGE_GONE_AFTER`` (its server stopped
without a word) is read as closed, and removed at the next renewal of any server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Insert, Row, Table, delete, select, update

from coachkit.store import tables as t

PAGE_LEASE = dt.timedelta(seconds=20)
"""How often a running client server renews its pages."""
PAGE_GONE_AFTER = 3 * PAGE_LEASE
"""A page its server has not renewed for this long is read as closed."""
FORGET_AFTER = dt.timedelta(hours=1)
"""Pages not renewed for this long are deleted (their server stopped without a word)."""


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


@dataclass(frozen=True)
class OpenPage:
    """One client page a client server has open: whose, which session (and the page it shows: ``sheet``,
    None for their own page; ``code_typed`` in that visit), whether the browser is connected now and
    since when (``changed_at``)."""

    kernel_id: str
    client_id: int
    client: str
    session_id: int
    sheet: str | None
    code_typed: bool
    connected: bool
    opened_at: dt.datetime
    changed_at: dt.datetime


def _page(row: Row[Any]) -> OpenPage:
    return OpenPage(
        kernel_id=row.kernel_id,
        client_id=row.client_id,
        client=row.client,
        session_id=row.session_id,
        sheet=row.sheet,
        code_typed=bool(row.code_typed),
        connected=bool(row.connected),
        opened_at=_utc(row.opened_at),
        changed_at=_utc(row.changed_at),
    )


class Pages:
    """The store's open-page methods."""

    now: Callable[[], dt.datetime]
    _writing: Callable[[], AbstractContextManager[Connection]]
    _reading: Callable[[], AbstractContextManager[Connection]]
    _insert: Callable[[Table], Insert]

    def note_page(self, kernel_id: str, session_id: int, server: str, *, connected: bool) -> None:
        """A page of this session (its kernel) is connected to its browser now, or no longer is.

        The first note of a kernel makes its row; a session that no longer exists notes nothing.
        """
        pages, now = t.client_pages, self.now()
        with self._writing() as connection:
            sessions = t.client_sessions
            client_id = connection.execute(
                select(sessions.c.client_id).where(sessions.c.id == session_id)
            ).scalar()
            if client_id is None:
                return
            changed = {"connected": connected, "changed_at": now, "seen_at": now}
            row = {"kernel_id": kernel_id, "session_id": session_id, "client_id": client_id}
            upsert = self._insert(pages).values(**row, server=server, opened_at=now, **changed)
            connection.execute(upsert.on_conflict_do_update(index_elements=["kernel_id"], set_=changed))

    def note_page_closed(self, kernel_id: str) -> None:
        """The page's kernel has ended: the page is closed."""
        with self._writing() as connection:
            connection.execute(delete(t.client_pages).where(t.client_pages.c.kernel_id == kernel_id))

    def keep_pages(self, server: str) -> None:
        """Renew this server's pages (it still runs), and delete pages no server has renewed for long."""
        pages, now = t.client_pages, self.now()
        with self._writing() as connection:
            connection.execute(update(pages).where(pages.c.server == server).values(seen_at=now))
            connection.execute(delete(pages).where(pages.c.seen_at < now - FORGET_AFTER))

    def forget_pages(self, server: str) -> None:
        """This server stops: none of its pages stays open."""
        with self._writing() as connection:
            connection.execute(delete(t.client_pages).where(t.client_pages.c.server == server))

    def find_open_pages(self, client_ids: Iterable[int] | None = None) -> list[OpenPage]:
        """The pages open now (connected or not), of these clients or everyone's, oldest first."""
        with self._reading() as connection:
            return self._open_pages(connection, client_ids)

    def _open_pages(self, connection: Connection, client_ids: Iterable[int] | None) -> list[OpenPage]:
        p, s, c = t.client_pages, t.client_sessions, t.clients
        query = (
            select(
                p.c.kernel_id,
                p.c.client_id,
                c.c.name.label("client"),
                p.c.session_id,
                s.c.sheet,
                s.c.code_typed,
                p.c.connected,
                p.c.opened_at,
                p.c.changed_at,
            )
            .select_from(p.join(s, p.c.session_id == s.c.id).join(c, p.c.client_id == c.c.id))
            .where(p.c.seen_at > self.now() - PAGE_GONE_AFTER)
            .order_by(p.c.opened_at, p.c.kernel_id)
        )
        if client_ids is not None:
            query = query.where(p.c.client_id.in_(list(client_ids)))
        return [_page(row) for row in connection.execute(query)]
