"""The per-kernel manager Voila runs client kernels with: nothing a kernel prints or logs reaches a page.

- ``allow_tracebacks=False`` works without harm: jupyter_server (2.x, up to at least 2.21) replaces a
  kernel's traceback using ``traceback_replacement_message`` from the *per-kernel* manager, which does
  not define it. The AttributeError drops the message and stalls the page's websocket, so one bad widget
  message (a forged option index, say) would leave the client's page dead. Defining it here lets the
  replacement work: the browser gets a plain error with no traceback, and the page carries on.
- No debugger: a client's kernel starts from ``coachkit.ipykernel_launcher``, ipykernel without debugpy
  (about 7 MiB of every kernel), and keeps no IPython history.
- A kernel's own output stays on the server. ipykernel forwards everything written to the process's
  stdout and stderr (file descriptors 1 and 2) to the page; here that capture is off, and the process's
  stdout and stderr are a pipe that this server reads (``KernelOutput``) into the private kernel log:
  a ``CappedFile``, so nothing a kernel writes can fill the disk. Each kernel's own log records go
  there too (``coachkit.logs.configure_kernel_logging``, which ``$COACHKIT_LOG_FILE`` turns on), and
  only this process writes the file, so it rotates safely.
- A kernel's memory is bounded: its address space is limited (``RLIMIT_AS``, set with ``prlimit`` on the
  new process as soon as it is launched, on Linux; ``memory_limit_bytes``), so a page that makes its
  kernel grow (forged widget messages, say) meets a ``MemoryError`` there, or the kernel dies and its
  page resumes with a new one, instead of the machine running short for everyone. Kernels run with
  glibc's ``MALLOC_ARENA_MAX=2``: otherwise every thread reserves an arena of 64 MiB of address space it
  never uses (a worksheet's kernel: 690-780 MiB of address space for 76 MiB in memory; with two arenas,
  230-260 MiB), and the limit could not be set near what a kernel really uses.

Imported only by the Voila server process, never by a kernel.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
from functools import cache
from pathlib import Path
from typing import Any

from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from traitlets import Dict, Int, Unicode

from coachkit.capped_logs import LOG_CAP_BYTES, CappedFile
from coachkit.forkserver import LAUNCHER
from coachkit.logs import LOG_FILE_ENV, redact

QUIET_KERNEL_ARGUMENTS = ["--IPKernelApp.capture_fd_output=False"]
"""ipykernel options: leave output written straight to file descriptors 1 and 2 where it goes."""
READ_BYTES = 65536
KERNEL_ENV = {"MALLOC_ARENA_MAX": "2"}
"""Every kernel's environment: address space that follows what the kernel uses (see above)."""


LOWER_PRIORITY = 10
"""The niceness of a kernel whose page sends more than its share (``coachkit.web.sockets``)."""


def lower_priority(pid: int, niceness: int = LOWER_PRIORITY) -> None:
    """Make every thread of a process yield the processor to others (Linux keeps niceness per thread;
    threads started later inherit it). Raising niceness needs no privilege; it is never lowered."""
    tasks = Path(f"/proc/{pid}/task")
    ids = [int(task.name) for task in tasks.iterdir()] if tasks.is_dir() else [pid]
    for task_id in ids:
        try:
            os.setpriority(os.PRIO_PROCESS, task_id, max(niceness, os.getpriority(os.PRIO_PROCESS, task_id)))
        except OSError:  # a thread that has just ended
            continue


def limit_memory(pid: int, limit_bytes: int) -> bool:
    """Limit a process's address space to ``limit_bytes`` (Linux's ``prlimit``); False where this system
    cannot (macOS does not enforce ``RLIMIT_AS``, and has no ``prlimit``)."""
    if limit_bytes <= 0 or not hasattr(resource, "prlimit"):
        return False
    resource.prlimit(pid, resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    return True


@cache
def kernel_log(path: str, cap: int) -> CappedFile:
    """The one handler writing kernels' output to ``path``, shared by every kernel of this server."""
    handler = CappedFile(Path(path), cap)
    handler.terminator = ""  # what a kernel writes ends its own lines
    return handler


class KernelOutput:
    """Copies what one kernel writes to its stdout and stderr (a pipe) into the kernel log, one record
    per line (a line longer than ``READ_BYTES`` is cut up), with codes and tokens hidden."""

    def __init__(self, descriptor: int, handler: logging.Handler) -> None:
        self.descriptor = descriptor
        self.handler = handler
        self.pending = b""
        self.closed = False
        os.set_blocking(descriptor, False)
        asyncio.get_running_loop().add_reader(descriptor, self.read)

    def read(self) -> None:
        try:
            data = os.read(self.descriptor, READ_BYTES)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the kernel, and anything it started, has gone
            asyncio.get_running_loop().remove_reader(self.descriptor)
            os.close(self.descriptor)
            self.closed = True
            return self.write(self.pending)
        lines, newline, self.pending = (self.pending + data).rpartition(b"\n")
        if len(self.pending) >= READ_BYTES:
            lines, newline, self.pending = lines + newline + self.pending, b"\n", b""
        self.write(lines + newline)

    def write(self, data: bytes) -> None:
        for line in data.decode("utf-8", "replace").splitlines(keepends=True):
            text = redact(line)
            self.handler.handle(logging.LogRecord("coachkit.kernel", logging.INFO, "", 0, text, None, None))


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
    log_cap_bytes = Int(
        LOG_CAP_BYTES,
        config=True,
        help="The most disk the kernel log may take, its older rotated files included.",
    )
    kernel_env = Dict(
        config=True,
        help="Environment variables every kernel gets, e.g. the store's URL (COACHKIT_DATABASE_URL).",
    )
    memory_limit_bytes = Int(
        0,
        config=True,
        help="The most address space a kernel may take (RLIMIT_AS, on Linux); 0: no limit.",
    )

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """ipykernel's command, with its output left alone and without its debugger (``LAUNCHER``)."""
        command = super().format_kernel_cmd(extra_arguments)
        if any("ipykernel" in part for part in command):
            command = [LAUNCHER if part == "ipykernel_launcher" else part for part in command]
            command += QUIET_KERNEL_ARGUMENTS
        return command

    def base_kernel_env(self, env: dict[str, str] | None = None) -> dict[str, str]:
        """The environment of a kernel started with ``env`` (this process's by default)."""
        logging_to = {LOG_FILE_ENV: self.log_file} if self.log_file else {}
        return {**KERNEL_ENV, **(env or os.environ), **self.kernel_env, **logging_to}

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        kw["env"] = self.base_kernel_env(kw.get("env"))
        if not self.log_file:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return self._limit()
        handler = kernel_log(self.log_file, self.log_cap_bytes)
        reading, writing = os.pipe()
        try:
            kw["stdout"] = kw["stderr"] = writing
            await super()._async_launch_kernel(kernel_cmd, **kw)
            self._limit()
        finally:
            os.close(writing)  # the kernel has its own copy; once it has gone, reading ends
            KernelOutput(reading, handler)

    def _limit(self) -> None:
        pid = getattr(self.provisioner, "pid", None)
        if pid is None or not self.memory_limit_bytes:
            return
        try:
            limit_memory(pid, self.memory_limit_bytes)
        except OSError:  # it has gone already: nothing to limit
            self.log.warning("Could not limit a kernel's memory: it had already ended")
