"""Telling the store which client pages are open, for the coach's live view ("open now").

``PresenceKernelManager`` is the client server's kernel manager (``ClientKernelManager``, which counts
each kernel's websocket connections) and also notes, for each kernel that serves a client's page, when
its browser connects, when the last connection drops and when the kernel ends (``Store.note_page``,
``note_page_closed``). The gate sets the session a page serves in its kernel's ``QUERY_STRING``; that is
read here from the kernel's environment, so nothing a browser sends decides it. While it has pages, the
server renews them every ``PAGE_LEASE`` (one statement for all), so a server that stops without a word
leaves no page "open" for long.

Costs: three short writes per page (connected, disconnected, closed) and one per ``PAGE_LEASE`` while any
page is open, on a worker thread of their own, never on the event loop and never on a client's save.
Nothing is read or written for a coach who does not watch. A store that cannot be written loses a note
(logged); the page itself never notices.
"""

from __future__ import annotations

import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs

from tornado.ioloop import PeriodicCallback
from traitlets import Unicode

from coachkit.store import Store
from coachkit.store.pages import PAGE_LEASE
from coachkit.web.lifetimes import ClientKernelManager

log = logging.getLogger("coachkit.web")
SESSION_PARAMETER = "session"


def session_of(env: dict[str, str] | None) -> int | None:
    """The session a page's kernel serves, from the ``QUERY_STRING`` the gate set (None: not a page)."""
    values = parse_qs((env or {}).get("QUERY_STRING", "")).get(SESSION_PARAMETER, [])
    return int(values[0]) if len(values) == 1 and values[0].isdigit() else None


class PageNotes:
    """The store's open-page notes of one server, written in order on one worker thread."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.server = secrets.token_hex(8)
        self._store: Store | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coachkit-pages")

    def _open(self) -> Store:
        if self._store is None:
            self._store = Store(self.database_url)
        return self._store

    def _run(self, what: str, method: str, *args: Any, **kwargs: Any) -> None:
        def write() -> None:
            try:
                getattr(self._open(), method)(*args, **kwargs)
            except Exception:
                log.warning("Could not note a page %s in the store", what)

        self._worker.submit(write)

    def connected(self, kernel_id: str, session_id: int, connected: bool) -> None:
        state = "connected" if connected else "disconnected"
        self._run(state, "note_page", kernel_id, session_id, self.server, connected=connected)

    def closed(self, kernel_id: str) -> None:
        self._run("closed", "note_page_closed", kernel_id)

    def renew(self) -> None:
        self._run("renewed", "keep_pages", self.server)

    def stop(self) -> None:
        """Close every page of this server in the store, then let the worker go."""
        self._run("closed", "forget_pages", self.server)
        self._worker.shutdown(wait=True)
        if self._store is not None:
            self._store.close()


class PresenceKernelManager(ClientKernelManager):
    """``ClientKernelManager`` that also notes its client pages in the store (see the module)."""

    database_url = Unicode(
        "", config=True, help="The store in which client pages are noted as open (empty: none noted)."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sessions: dict[str, int] = {}
        self._notes: PageNotes | None = PageNotes(self.database_url) if self.database_url else None
        self._renewing: PeriodicCallback | None = None

    async def start_kernel(self, **kwargs: Any) -> str:  # type: ignore[override]
        kernel_id = await super().start_kernel(**kwargs)
        session_id = session_of(kwargs.get("env"))
        if session_id is not None and self._notes is not None:
            self._sessions[kernel_id] = session_id
        return kernel_id

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        if self._connections(kernel_id) == 1:
            self._note(kernel_id, connected=True)

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)
        if self._connections(kernel_id) == 0:
            self._note(kernel_id, connected=False)

    def remove_kernel(self, kernel_id: str) -> Any:
        removed = super().remove_kernel(kernel_id)
        if self._sessions.pop(kernel_id, None) is not None and self._notes is not None:
            self._notes.closed(kernel_id)
        return removed

    def _connections(self, kernel_id: str) -> int:
        return int(self._kernel_connections.get(kernel_id, 0))

    def _note(self, kernel_id: str, *, connected: bool) -> None:
        session_id = self._sessions.get(kernel_id)
        if session_id is None or self._notes is None:
            return
        self._notes.connected(kernel_id, session_id, connected)
        if self._renewing is None:
            self._renewing = PeriodicCallback(self._renew, PAGE_LEASE.total_seconds() * 1000)
            self._renewing.start()

    def _renew(self) -> None:
        if self._sessions and self._notes is not None:
            self._notes.renew()

    async def shutdown_all(self, now: bool = False) -> None:  # type: ignore[override]
        await super().shutdown_all(now=now)
        if self._renewing is not None:
            self._renewing.stop()
        if self._notes is not None:
            notes, self._notes = self._notes, None
            notes.stop()  # the server is stopping: waiting for the last writes is fine
