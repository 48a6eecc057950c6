"""Kernels started ahead of time: the next client's page skips the kernel's start and its imports.

A new kernel process takes most of a page's wait on a small server (Python, ipykernel, then the
worksheet's imports: ipywidgets, SQLAlchemy, coachkit). A few kernels are kept started, with those
imports done, and handed to the next pages. Unlike Voila's pre-heated kernels they have not run the
notebook, so they need no ``wait_for_request()``: when one is handed over, the request's variables
(``QUERY_STRING`` with the client's code, ``SCRIPT_NAME``…) are set in it first, exactly as Voila sets
them for a new kernel, and then Voila runs the notebook in it as usual. A kernel is handed out once
and never reused. Ready kernels count toward the ceiling; they are refilled only while no page is
being sent, so that they never slow a client down.
"""

from __future__ import annotations

import asyncio
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
        self._filling: asyncio.Task[None] | None = None

    def __contains__(self, kernel_id: str) -> bool:
        return kernel_id in self.ready

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
                await self.run(kernel_id, self.warm_up)
            except Exception:
                self.manager.log.exception("Could not get a kernel ready")
                return
            finally:
                self.starting -= 1
            self.ready.append(kernel_id)

    async def take(self, env: dict[str, str], cwd: str) -> str | None:
        """A ready kernel set up for this request, or None (none ready, or it failed: it is ended)."""
        while self.ready:
            kernel_id = self.ready.pop(0)
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
