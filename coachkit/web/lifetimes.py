"""How long client kernels live: at most ``max_kernels`` at once, at most ``kernels_per_client`` for one
client (``shares.py``: the newest page takes over the oldest), and none outlives its page for long.

Voila starts a kernel for every page and never ends it itself (its shutdown request on closing the tab
is refused for a missing XSRF token, voila#1458). This manager counts each kernel's websocket
connections (jupyter_server tells it of each connect and disconnect) and, every ``cull_interval``
seconds, shuts down every kernel that has had no connection for ``reclaim_after`` seconds: the page was
closed, reloaded, navigated away from, or its phone went offline (the server's websocket pings notice).
A page still being sent (the notebook runs while it streams) is never reclaimed; its clock starts when
the last byte has gone. A page left open keeps its kernel until it has been idle ``cull_idle_timeout``
seconds (jupyter_server's own culler, here also for connected pages).

Whenever a kernel ends (reclaimed, culled, or dead and restarted by jupyter_client, which would leave
the page's widgets talking to an empty kernel), its websockets are closed: the page then finds its
kernel gone and reloads itself into the saved draft (``coachkit/web/static/page.js``).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from contextvars import ContextVar
from typing import Any

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.ioloop import IOLoop, PeriodicCallback
from traitlets import Float, Integer, Unicode, default

from coachkit.web.ready import ReadyKernels
from coachkit.web.shares import Shares

RENDERING: ContextVar[Any] = ContextVar("coachkit_rendering", default=None)
"""The render request that is starting a kernel, if any (set by the gate for its own task)."""


QUIET_AFTER_PAGE = 3.0
"""Seconds after a page was sent during which no kernel is started ahead: its browser is busy with it."""


class AtCapacity(Exception):
    """Every kernel slot is taken: a new page must wait."""


class ClientKernelManager(AsyncMappingKernelManager):
    """Kernels for client pages: a ceiling on how many, and reclaimed soon after their page has gone."""

    max_kernels = Integer(
        0, config=True, help="At most this many kernels at once; past it a page gets no kernel (0: no limit)."
    )
    reclaim_after = Float(
        30.0,
        config=True,
        help="Shut a kernel down once its page has had no connection this many seconds (closed or gone).",
    )
    kernels_per_client = Integer(
        2,
        config=True,
        help="At most this many pages (kernels) for one client; their newest page takes over the oldest "
        "(0: no limit).",
    )
    ready_kernels = Integer(
        0, config=True, help="Kernels kept started and warmed up for the next pages (see coachkit.web.ready)."
    )
    warm_up_code = Unicode(
        "import ipywidgets",
        config=True,
        help="Run in each ready kernel once started (the notebook's imports).",
    )

    @default("cull_interval")
    def _default_cull_interval(self) -> int:
        return 5

    @default("cull_connected")
    def _default_cull_connected(self) -> bool:
        return True  # a page left open and idle past cull_idle_timeout gives its kernel back too

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._reserved: set[str] = set()
        self._alone_since: dict[str, float | None] = {}
        self._leaving: set[str] = set()
        self._sending: set[str] = set()
        self._last_sent = -QUIET_AFTER_PAGE
        self.ready = ReadyKernels(self, self.ready_kernels, self.warm_up_code, self._busy)
        self.shares = Shares(self.kernels_per_client)

    def _busy(self) -> bool:
        """Whether a page is being sent, a kernel started for one, or a page was sent in the last
        ``QUIET_AFTER_PAGE`` seconds (its browser is still drawing it): ready kernels wait for quiet."""
        recent = time.monotonic() - self._last_sent < QUIET_AFTER_PAGE
        return bool(self._sending or self._reserved - set(self._kernels)) or recent

    # -- the ceiling --------------------------------------------------------------------------

    def kernels_alive(self) -> int:
        """Kernels running, starting or still shutting down (each holds its memory until it exits)."""
        return len(set(self._kernels) | set(self._pending_kernels) | self._reserved)

    def has_room(self) -> bool:
        return self.max_kernels <= 0 or self.kernels_alive() < self.max_kernels

    def can_open_page(self, client_id: int | None = None) -> bool:
        """Whether a new page (of this client) can get a kernel now: a ready one, room to start one, or
        one of the client's own that can give way."""
        if self.ready.available() or self.has_room():
            return True
        return client_id is not None and self.shares.could_give_way(client_id, self._sending)

    def connected(self, kernel_id: str) -> bool:
        return self._kernel_connections.get(kernel_id, 0) > 0

    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs: Any) -> str:  # type: ignore[override]
        """A kernel for a page: first, its client's pace is kept, and their oldest pages give way if they
        have too many (``ClientBusy`` if they cannot yet); then a ready kernel if there is one, or a new
        one, or ``AtCapacity`` at once past ``max_kernels``."""
        page = RENDERING.get()
        client_id = getattr(page, "client_id", None)
        if client_id is None:
            return await self._start(page, kernel_id, 0, **kwargs)
        wait = self.shares.pace(client_id)
        if wait > 0:
            self.log.warning("A client asked for pages faster than their pace; the next waits %.0f s", wait)
            await asyncio.sleep(wait)
        keep = 1 if self.shares.kernels_of(client_id) else 0  # the last ready kernel: for a newcomer
        room = self.ready.available(keep) or self.has_room()
        victims = self.shares.make_way(client_id, room=room, sending=self._sending, connected=self.connected)
        try:
            for victim in victims:
                await self._give_way(victim)
            started = await self._start(page, kernel_id, keep, **kwargs)
            self.shares.started(started, client_id)
            return started
        finally:
            self.shares.settled(client_id)

    async def _give_way(self, kernel_id: str) -> None:
        """End a client's kernel for their newer page; its page is told so (``Shares.gave_way``)."""
        self.log.info("Kernel %s gives way to a newer page of its client", kernel_id)
        try:
            await self.shutdown_kernel(kernel_id)
        except Exception:  # it ended meanwhile (reclaimed, or died)
            self.log.debug("Kernel %s had already gone", kernel_id)

    async def _start(self, page: Any, kernel_id: str | None, keep: int, **kwargs: Any) -> str:
        if page is not None and self.ready.available(keep):
            cwd = self.cwd_for_path(kwargs.get("path") or "")
            taken = await self.ready.take(kwargs.get("env") or {}, cwd, keep)
            if taken is not None:
                self._sending.add(taken)
                page.kernel_id = taken
                return taken
        if not self.has_room():
            raise AtCapacity
        kernel_id = kernel_id or str(uuid.uuid4())
        self._reserved.add(kernel_id)  # counted from now, before any await
        self._alone_since[kernel_id] = None  # a page being sent, or a ready kernel: never alone
        try:
            started = await super().start_kernel(kernel_id=kernel_id, **kwargs)
        except BaseException:
            self._alone_since.pop(kernel_id, None)
            raise
        finally:
            self._reserved.discard(kernel_id)
        if page is not None:
            self._sending.add(started)
            page.kernel_id = started
        self.add_restart_callback(started, lambda: self._restarted(started), "restart")
        return started

    def _restarted(self, kernel_id: str) -> None:
        """A kernel died and is being restarted empty: end it, so that its page resumes with a new one."""
        self.log.warning("Kernel %s died; its page will resume with a new one", kernel_id)
        IOLoop.current().add_callback(self._end_when_restarted, kernel_id)

    async def _end_when_restarted(self, kernel_id: str) -> None:
        # jupyter_client cannot shut a kernel down while it restarts it: wait until it is back.
        for _ in range(240):
            await asyncio.sleep(0.5)
            if kernel_id not in self:
                return
            kernel = self.get_kernel(kernel_id)
            if kernel.ready.done() and await kernel.is_alive():
                break
        await self.shutdown_kernel(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, now: bool = False, restart: bool = False) -> None:  # type: ignore[override]
        """Shut a kernel down, then close its pages' websockets (they reload into their draft)."""
        await super().shutdown_kernel(kernel_id, now=now, restart=restart)
        if not restart:
            for connection in list(ZMQChannelsWebsocketConnection._open_sockets):
                if connection.kernel_id == kernel_id and connection.websocket_handler is not None:
                    connection.websocket_handler.close()

    # -- connections --------------------------------------------------------------------------

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        if kernel_id in self._alone_since:
            self._alone_since[kernel_id] = None

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)
        if kernel_id in self._alone_since and self._kernel_connections.get(kernel_id, 0) <= 0:
            self._alone_since[kernel_id] = time.monotonic()

    def page_sent(self, kernel_id: str) -> None:
        """The page that asked for this kernel has been sent (or its request was dropped)."""
        self._sending.discard(kernel_id)
        self._last_sent = time.monotonic()
        if self._alone_since.get(kernel_id, 0) is None and not self._kernel_connections.get(kernel_id):
            self._alone_since[kernel_id] = time.monotonic()

    def page_left(self, kernel_id: str) -> None:
        """The page said it is closing: reclaim its kernel as soon as it has no connection left."""
        if kernel_id in self._alone_since:
            self._leaving.add(kernel_id)

    def alone_for(self, kernel_id: str) -> float:
        """Seconds since this kernel's page was last connected (0 while connected or being sent)."""
        since = self._alone_since.get(kernel_id)
        if since is None:
            return 0.0
        return float("inf") if kernel_id in self._leaving else time.monotonic() - since

    def remove_kernel(self, kernel_id: str) -> Any:
        self.shares.forget(kernel_id)
        self._alone_since.pop(kernel_id, None)
        self._leaving.discard(kernel_id)
        self._sending.discard(kernel_id)
        if kernel_id in self.ready.ready:
            self.ready.ready.remove(kernel_id)
        return super().remove_kernel(kernel_id)

    # -- reclaiming ---------------------------------------------------------------------------

    def initialize_culler(self) -> None:
        """Check kernels every ``cull_interval`` seconds, whether or not idle culling is on."""
        if not self._initialized_culler and self._culler_callback is None:
            self._culler_callback = PeriodicCallback(self.cull_kernels, 1000 * self.cull_interval)
            self._culler_callback.start()
        self._initialized_culler = True

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id in self._pending_kernels or kernel_id in self.ready:
            return  # starting, already shutting down, or waiting for a page
        if self.alone_for(kernel_id) > self.reclaim_after:
            self.log.info("Reclaiming kernel %s: its page has gone", kernel_id)
            await self.shutdown_kernel(kernel_id)
        elif self.cull_idle_timeout > 0:
            await super().cull_kernel_if_idle(kernel_id)
