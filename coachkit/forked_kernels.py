"""Client kernels forked from the fork server (``coachkit.forkserver``), so that they share what they import.

``ForkedProvisioner`` is jupyter_client's local provisioner with one change: a client's kernel
(``python -m coachkit.ipykernel_launcher …``) is forked from the fork server instead of started as a new
process. Everything else (the connection file, signals to the kernel's process group, waiting, killing)
stays jupyter_client's, on a ``ForkedProcess`` that behaves as the ``Popen`` it would have had. The
kernel is the fork server's child, not this server's: it is watched through a pidfd (Linux), which
says when it has ended (not how; its exit status is the fork server's to collect).

Any other command, or no fork server (not Linux, or one that failed to start or has gone), is started
as before (``Popen``): a kernel is never refused for want of the fork server. The fork server is started
with the first kernel and lives as long as this server; one that has failed is tried again a minute later.

Imported only by the Voila server process, never by a kernel.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from coachkit.forkserver import LAUNCHER, READY

log = logging.getLogger("coachkit.forked_kernels")

READY_TIMEOUT_SECONDS = 30.0
"""How long the first kernel waits for a new fork server's imports (about 1.5 s on a quiet machine)."""
RETRY_AFTER_SECONDS = 60.0
"""After the fork server has failed, kernels start as new processes for this long before it is tried again."""
REQUEST_TIMEOUT_SECONDS = 10.0
TITLE_ROOM = " " * 400
"""An argument that makes room in the fork server's command line for each kernel's (``setproctitle``
with ``SPT_NOENV``: the title is written over the command line only, and ``/proc/PID/environ`` stays
readable)."""


class ForkedProcess:
    """A forked kernel, with the part of ``Popen``'s interface jupyter_client's provisioner uses."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # it has ended and been collected already
            self._pidfd, self.returncode = None, 0

    def poll(self) -> int | None:
        """None while the kernel runs; once it has ended, 0 (its exit status is not ours to read)."""
        self._ended_within(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if not self._ended_within(timeout):
            raise subprocess.TimeoutExpired(LAUNCHER, timeout or 0)
        return 0

    def _ended_within(self, timeout: float | None) -> bool:
        # poll(), not select(): a busy server's descriptors run past select's 1024.
        if self.returncode is None and self._pidfd is not None:
            watch = select.poll()
            watch.register(self._pidfd, select.POLLIN)
            if not watch.poll(None if timeout is None else timeout * 1000):
                return False
            os.close(self._pidfd)
            self._pidfd, self.returncode = None, 0
        return True

    def send_signal(self, signum: int) -> None:
        if self.poll() is None and self._pidfd is not None:
            signal.pidfd_send_signal(self._pidfd, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkServer:
    """This server's fork server, asked for one kernel at a time."""

    def __init__(self, env: dict[str, str]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.socket = ours
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coachkit.forkserver", str(theirs.fileno()), TITLE_ROOM],
            # As jupyter_client starts a kernel: code that tells kernels from their server by
            # $JPY_PARENT_PID (a sitecustomize, say) runs here as in a kernel, and kernels inherit it.
            env={**env, "SPT_NOENV": "1", "JPY_PARENT_PID": str(os.getpid())},
            pass_fds=[theirs.fileno()],
            start_new_session=True,  # Ctrl-C in the coach's terminal is the server's to handle
        )
        theirs.close()
        self.ready = False

    def wait_until_ready(self, timeout: float) -> bool:
        """Whether it has imported what kernels need (waiting up to ``timeout`` seconds for it)."""
        if not self.ready:
            self.socket.settimeout(timeout)
            self.ready = self.socket.recv(len(READY)) == READY
        return self.ready

    def fork(self, argv: list[str], env: dict[str, str], cwd: str, output: list[int]) -> ForkedProcess:
        """A new kernel running ``argv``, its stdout and stderr going to ``output``."""
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode()
        self.socket.settimeout(REQUEST_TIMEOUT_SECONDS)
        socket.send_fds(self.socket, [request], output)
        answer = self.socket.recv(4096)
        if not answer:
            raise ConnectionError("the fork server has gone")
        pid = json.loads(answer)["pid"]
        if pid is None:
            raise ChildProcessError("the fork server could not fork")
        return ForkedProcess(pid)

    def close(self) -> None:
        """End it (kernels it forked carry on) and collect it."""
        self.socket.close()
        try:
            self.process.wait(REQUEST_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ForkServers:
    """The one fork server of this process: started with the first kernel, replaced if it has gone,
    tried again a while after it has failed."""

    def __init__(self) -> None:
        self.server: ForkServer | None = None
        self.failed_at = -RETRY_AFTER_SECONDS
        self._locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}

    def _lock(self) -> asyncio.Lock:
        """One request at a time (an asyncio lock belongs to one event loop: a server has one)."""
        return self._locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())

    async def fork(self, base_env: dict[str, str], argv: list[str], **kwargs: Any) -> ForkedProcess | None:
        """A kernel forked for ``argv`` (``env``, ``cwd``, ``stdout``, ``stderr`` as for ``Popen``), or
        None if no fork server can fork it."""
        async with self._lock():
            if time.monotonic() - self.failed_at < RETRY_AFTER_SECONDS:
                return None
            try:
                server = await asyncio.to_thread(self._ready_server, base_env)
                output = [descriptor(kwargs.get("stdout"), 1), descriptor(kwargs.get("stderr"), 2)]
                cwd = str(kwargs.get("cwd") or os.getcwd())
                env = kwargs.get("env") or base_env
                return await asyncio.to_thread(server.fork, argv, env, cwd, output)
            except (OSError, ValueError) as error:
                log.warning("Kernel started as a new process: no fork server (%s)", type(error).__name__)
                self.failed_at = time.monotonic()
                await asyncio.to_thread(self.close)
                return None

    def _ready_server(self, base_env: dict[str, str]) -> ForkServer:
        if self.server is None or self.server.process.poll() is not None:
            self.close()
            self.server = ForkServer(base_env)
        if not self.server.wait_until_ready(READY_TIMEOUT_SECONDS):
            raise ConnectionError("the fork server did not start")
        return self.server

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None


FORK_SERVERS = ForkServers()


def descriptor(output: Any, default: int) -> int:
    """The file descriptor of a ``Popen`` output argument (None: this process's own, ``default``)."""
    if output is None:
        return default
    return output if isinstance(output, int) else output.fileno()


def forkable(argv: list[str]) -> bool:
    """Whether ``argv`` is a client's kernel, as the fork server runs it (this Python, on Linux)."""
    return sys.platform == "linux" and argv[:3] == [sys.executable, "-m", LAUNCHER]


class ForkedProvisioner(LocalProvisioner):  # type: ignore[misc]
    """jupyter_client's local provisioner, forking client kernels from the fork server."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        base_env = getattr(self.parent, "base_kernel_env", lambda: dict(os.environ))()
        process = await FORK_SERVERS.fork(base_env, cmd, **kwargs) if forkable(cmd) else None
        if process is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = process
        self.pid = self.pgid = process.pid  # its own session, so its own process group
        self.cwd = kwargs.get("cwd") or os.getcwd()
        return self.connection_info
