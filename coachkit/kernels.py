"""The per-kernel manager Voila runs client kernels with: nothing a kernel prints or logs reaches a page.

- ``allow_tracebacks=False`` works without harm: jupyter_server (2.x, up to at least 2.21) replaces a
  kernel's traceback using ``traceback_replacement_message`` from the *per-kernel* manager, which does
  not define it. The AttributeError drops the message and stalls the page's websocket, so one bad widget
  message (a forged option index, say) would leave the client's page dead. Defining it here lets the
  replacement work: the browser gets a plain error with no traceback, and the page carries on.
- A kernel's own output stays on the server. ipykernel forwards everything written to the process's
  stdout and stderr (file descriptors 1 and 2, so a logger on ``sys.__stderr__`` too) to the page; here
  that capture is off, and the process's stdout and stderr are the private kernel log file, which
  ``$COACHKIT_LOG_FILE`` also names for coachkit's own logger (``coachkit.logs``).

Imported only by the Voila server process, never by a kernel.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from traitlets import Dict, Unicode

from coachkit.logs import LOG_FILE_ENV, private_file

QUIET_KERNEL_ARGUMENTS = ["--IPKernelApp.capture_fd_output=False"]
"""ipykernel options: leave output written straight to file descriptors 1 and 2 where it goes."""


class SafeKernelManager(ServerKernelManager):
    """``ServerKernelManager`` with the traceback replacement, and kernels that log to a private file."""

    traceback_replacement_message = Unicode(
        "Something went wrong on the server.",
        config=True,
        help="Sent to the browser instead of a traceback (the details stay in the server's log).",
    )
    log_file = Unicode(
        "",
        config=True,
        help="File (0600) that kernels log to and write their stdout and stderr to; empty: the server's.",
    )
    kernel_env = Dict(
        config=True,
        help="Environment variables every kernel gets, e.g. the store's URL (COACHKIT_DATABASE_URL).",
    )

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        if any("ipykernel" in part for part in command):
            command += QUIET_KERNEL_ARGUMENTS
        return command

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        kw["env"] = {**(kw.get("env") or os.environ), **self.kernel_env}
        if not self.log_file:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        kw["env"][LOG_FILE_ENV] = self.log_file
        # The kernel gets its own copy of the file descriptor; this one closes once it has started.
        with private_file(Path(self.log_file)).open("ab") as output:
            kw["stdout"] = kw["stderr"] = output
            return await super()._async_launch_kernel(kernel_cmd, **kw)
