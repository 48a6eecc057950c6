"""Kernels started ahead of time: the next client's page skips the kernel's start and its imports.

A new kernel process takes most of a page's wait on a small server (Python, ipykernel, then the
worksheet's imports: ipywidgets, SQLAlchemy, coachkit). A few kernels are kept started, with those
imports done, and handed to the next pages. Unlike Voila's pre-heated kernels they have not run the
notebook, so they need no ``wait_for_request()``: when one is handed over, the request's variables
(``QUERY_STRING`` with the client's code, ``SCRIPT_NAME``…) are set in it first, exactly as Voila sets
them for a new kernel, and then Voila runs the notebook in it as usual. A kernel is handed out once
and never reused. Ready kernels count toward the ceiling; they are refilled only while no page is
being sent, so that they never slow a client down.

A client who already has a page (a second tab, a reload) leaves the last ready kernel for someone who
has none (``keep``): otherwise one client opening page after page would take every ready kernel, and
the next client's page would wait for a kernel to start, while the pool, refilled only when the server
is quiet, stayed empty.

A page that arrives while a kernel is still being readied (started, its imports under way) waits for
that one rather than starting another: it was started first, so it is ready first, and a second
kernel would only compete with it for the processor. (Before, such a page started a kernel of its
own, which on a busy machine made the page slower and left the readied kernel unused.)
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import os
from collections.abc import Callable
from typing import Any

READY_TIMEOUT_SECONDS = 60
QUIET_SECONDS = 1.0
"""How long the server must have sent no page before it starts a kernel for the next one."""


class ReadyKernels:
    """A pool of ``size`` started kernels of one manager."""

    def __init__(self, manager: Any, size: int, warm_up: str, busy: Callable[[], bool]) -> None:
        self.manager = manager
        self.size = size
        self.warm_up = warm_up
        self.busy = busy
        self.ready: list[str] = []
        self.starting = 0
        self.warming: dict[str, asyncio.Future[bool]] = {}
        """Kernels started and being readied: each future says whether its warm-up worked."""
        self.promised: set[str] = set()
        """Warming kernels a page is already waiting for."""
        self._filling: asyncio.Task[None] | None = None

    def __contains__(self, kernel_id: str) -> bool:
        return kernel_id in self.ready or kernel_id in self.warming

    def available(self, keep: int = 0) -> bool:
        """Whether a page asking now gets one of these (a ready kernel, or one nearly ready) with ``keep``
        of them left for others."""
        unpromised = sum(1 for kernel_id in self.warming if kernel_id not in self.promised)
        return len(self.ready) + unpromised > keep

    def refill_soon(self) -> None:
        """Start kernels until ``size`` are ready (or the ceiling is reached), when the server is quiet.

        The filling runs in a context of its own: not the page request's that asked for a kernel (whose
        context variables would make its kernels look like that page's).
        """
        if self.size > 0 and (self._filling is None or self._filling.done()):
            loop = asyncio.get_running_loop()
            self._filling = loop.create_task(self._fill(), context=contextvars.Context())

    async def _fill(self) -> None:
        while len(self.ready) + self.starting < self.size:
            while self.busy():
                await asyncio.sleep(QUIET_SECONDS)
            if not self.manager.has_room():
                return
            self.starting += 1
            try:
                kernel_id = await self.manager.start_kernel(path="", env=dict(os.environ))
            except Exception:
                self.starting -= 1
                self.manager.log.exception("Could not start a kernel ahead")
                return
            warmed = asyncio.get_running_loop().create_future()
            self.warming[kernel_id] = warmed
            try:
                await self.run(kernel_id, self.warm_up)
            except Exception:
                self.manager.log.exception("Could not get a kernel ready")
                warmed.set_result(False)
                await self._end(kernel_id)
                return
            finally:
                self.starting -= 1
                self.warming.pop(kernel_id, None)
            if kernel_id in self.promised:
                self.promised.discard(kernel_id)
            else:
                self.ready.append(kernel_id)
            warmed.set_result(True)

    async def _end(self, kernel_id: str) -> None:
        self.promised.discard(kernel_id)
        with contextlib.suppress(Exception):  # already gone
            await self.manager.shutdown_kernel(kernel_id)

    async def _next(self) -> str | None:
        """A ready kernel, or the one being readied that no page waits for yet (once it is ready)."""
        if self.ready:
            return self.ready.pop(0)
        waiting = next((kernel_id for kernel_id in self.warming if kernel_id not in self.promised), None)
        if waiting is None:
            return None
        self.promised.add(waiting)
        if await self.warming[waiting]:
            return waiting
        return await self._next()

    async def take(self, env: dict[str, str], cwd: str, keep: int = 0) -> str | None:
        """A ready kernel set up for this request, or None (none ready beyond ``keep``, or it failed: it
        is ended)."""
        while self.available(keep) and (kernel_id := await self._next()) is not None:
            request = {key: value for key, value in env.items() if os.environ.get(key) != value}
            code = (
                "import json as _j, os as _o\n"
                f"_o.environ.update(_j.loads({json.dumps(request)!r}))\n"
                f"_o.chdir({cwd!r})\n"
                "del _j, _o"
            )
            try:
                await self.run(kernel_id, code)
            except Exception:
                self.manager.log.warning("A ready kernel could not be handed over; ending it")
                await self.manager.shutdown_kernel(kernel_id)
                continue
            self.refill_soon()
            return kernel_id
        self.refill_soon()
        return None

    async def run(self, kernel_id: str, code: str) -> None:
        """Run ``code`` silently in the kernel (no history, nothing broadcast as input); raise on error."""
        client = self.manager.get_kernel(kernel_id).client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=READY_TIMEOUT_SECONDS)
            message_id = client.execute(code, silent=True, store_history=False, allow_stdin=False)
            while True:
                reply = await client.get_shell_msg(timeout=READY_TIMEOUT_SECONDS)
                if reply["parent_header"].get("msg_id") == message_id:
                    break
            if reply["content"]["status"] != "ok":
                raise RuntimeError("the kernel could not run its set-up")
        finally:
            client.stop_channels()
