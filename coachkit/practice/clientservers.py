"""Each coach's client server (``coachkit serve``), run by ``coachkit practice start`` as the coach's own
account, and started again whenever it stops.

A coach's client server serves their clients under ``/services/<coach>/`` (the Hub's proxy sends them
there: ``hubapi``). It runs as the coach's account, so it reaches their database only, reads their own
worksheets folder, and leaves out a file of theirs that does not pass ``check`` rather than refusing to
start (``serve --leave-out-broken``): one coach's mistake never locks out their clients, nor touches
another coach. It dies with the runner (``PR_SET_PDEATHSIG``). When it stops, because its coach
restarted it (``coachkit practice restart-my-server``: ``myserver``) or because it failed, it is started
again on the same port: at once, or, while it keeps failing at start, after a pause that grows. Each
keeps its port across starts of the practice (``PORTS_FILE``), so the Hub's record of it stays right.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pwd
import signal
import socket
import subprocess
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from coachkit import config
from coachkit.exercises.sound import LEFT_OUT_FILE
from coachkit.links import LINKS_URL_ENV
from coachkit.logs import redact
from coachkit.practice import hub
from coachkit.practice.description import Coach, Practice
from coachkit.private import write_private_file
from coachkit.serve import default_max_kernels

SERVICE_LOG_DIR = ".coachkit/logs"
"""In the coach's home: their client server's private kernel log, and what its start left out."""
PORTS_FILE = "client-server-ports.toml"
"""In the practice's state folder: each coach's client server's port, kept from one start to the next."""
QUICK_EXIT_SECONDS = 30.0
"""A server that stops sooner than this after starting failed to start: the next start waits."""
LONGEST_PAUSE_SECONDS = 60.0
STOP_SECONDS = 20.0
PR_SET_PDEATHSIG = 1
_prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before any fork (preexec must not load it)


def _die_with_runner() -> None:
    """In the child, after it became the coach: SIGTERM when the runner dies, however it dies."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def max_kernels(practice: Practice) -> int:
    """Pages open at once per coach: as set, else this machine's share of kernels split between coaches."""
    return practice.max_kernels or max(2, default_max_kernels() // max(1, len(practice.coaches)))


def command(practice: Practice, coach: Coach, port: int) -> list[str]:
    """``coachkit serve`` for ``coach`` behind the Hub's proxy, on loopback ``port``."""
    home = practice.home(coach)
    serve = [str(hub.runtime_bin() / "coachkit"), "serve", "--port", str(port), "--leave-out-broken"]
    serve += ["--base-url", coach.service_prefix, "--behind-proxy"]
    serve += ["--ready-kernels", str(practice.ready_kernels), "--max-kernels", str(max_kernels(practice))]
    return [*serve, "--log-dir", str(home / SERVICE_LOG_DIR)]


def environment(practice: Practice, coach: Coach) -> dict[str, str]:
    """Only what the coach's server needs: nothing of root's environment reaches it."""
    home = practice.home(coach)
    return {
        config.DATABASE_URL_ENV: practice.database_url(coach),
        config.WORKSHEETS_ENV: str(practice.worksheets_dir(coach)),
        LINKS_URL_ENV: practice.service_url(coach).rstrip("/"),  # clients' address: links, reminders
        "HOME": str(home),
        "USER": coach.name,
        "LOGNAME": coach.name,
        "LANG": "C.UTF-8",
        "PATH": hub.search_path(),
    }


def left_out_file(practice: Practice, coach: Coach) -> Path:
    """What the coach's server left out of their worksheets at its last start (if anything)."""
    return practice.home(coach) / SERVICE_LOG_DIR / LEFT_OUT_FILE


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def choose_ports(practice: Practice) -> dict[str, int]:
    """Each coach's port: the one kept from before while it is free, else a new one (kept)."""
    path = practice.state_dir / PORTS_FILE
    try:
        kept = {name: port for name, port in tomllib.loads(path.read_text()).items() if isinstance(port, int)}
    except (OSError, tomllib.TOMLDecodeError):
        kept = {}
    ports = {}
    for coach in practice.coaches:
        port = kept.get(coach.name)
        ports[coach.name] = port if port is not None and _free(port) else _free_port()
    kept.update(ports)
    write_private_file(path, "".join(f"{name} = {port}\n" for name, port in sorted(kept.items())).encode())
    return ports


@dataclass
class ClientServer:
    """One coach's server process, and when to start it again."""

    coach: Coach
    port: int
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    """When it was last started (``time.monotonic``)."""
    started_on: float = 0.0
    """The same, as a time of day (``time.time``), to compare with its files'."""
    failures: int = 0
    start_after: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class ClientServers:
    """Every coach's client server: started, watched, started again, stopped.

    ``log`` takes each line a server prints (already redacted, named by coach); ``say`` tells the person
    running the practice what happened to a server."""

    def __init__(self, log: Callable[[str], None], say: Callable[[str], None]) -> None:
        self.log = log
        self.say = say
        self.servers: dict[str, ClientServer] = {}
        self.practice: Practice | None = None

    def ensure(self, practice: Practice) -> tuple[list[ClientServer], list[str]]:
        """A server for every coach of ``practice`` (started now if new), none for coaches no longer in
        it (stopped); the servers started and the names stopped."""
        self.practice = practice
        gone = [name for name in self.servers if name not in practice.names]
        for name in gone:
            self.stop(self.servers.pop(name))
        new = [coach for coach in practice.coaches if coach.name not in self.servers]
        ports = choose_ports(practice) if new else {}
        started = []
        for coach in new:
            server = ClientServer(coach, ports[coach.name])
            try:
                self.start(server)
            except (KeyError, OSError) as error:  # no account yet (their set-up failed), or no home
                self.say(f"{coach.name}'s client server cannot start ({error}); the next start tries again.")
                continue
            self.servers[coach.name] = server
            started.append(server)
        return started, gone

    def start(self, server: ClientServer) -> None:
        practice = self.practice
        assert practice is not None
        coach = server.coach
        account = pwd.getpwnam(coach.name)
        server.process = subprocess.Popen(
            command(practice, coach, server.port),
            user=account.pw_uid,
            group=account.pw_gid,
            extra_groups=os.getgrouplist(coach.name, account.pw_gid),
            env=environment(practice, coach),
            cwd=practice.home(coach),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the runner only; it stops the servers in order
            preexec_fn=_die_with_runner,
        )
        server.started_at, server.started_on = time.monotonic(), time.time()
        assert server.process.stdout is not None
        threading.Thread(target=self._copy, args=(coach.name, server.process.stdout), daemon=True).start()

    def _copy(self, name: str, stream: IO[bytes]) -> None:
        for line in stream:
            self.log(f"[{name}] {redact(line.decode('utf-8', 'replace'))}")

    def check(self) -> None:
        """Start again every server that stopped (once its pause, if any, is over)."""
        now = time.monotonic()
        for server in self.servers.values():
            if server.process is None or server.running():
                continue
            if server.start_after == 0.0:
                self._stopped(server, now)
            if now >= server.start_after:
                server.start_after = 0.0
                self.start(server)

    def _stopped(self, server: ClientServer, now: float) -> None:
        assert server.process is not None
        status = server.process.returncode
        quick = now - server.started_at < QUICK_EXIT_SECONDS
        server.failures = server.failures + 1 if quick and status != 0 else 0
        pause = min(LONGEST_PAUSE_SECONDS, 2.0**server.failures) if server.failures else 0.0
        server.start_after = now + pause
        how = "restarted by its coach" if status in (0, -signal.SIGTERM) else f"stopped (status {status})"
        later = f" in {pause:.0f} s (see the practice's hub.log)" if pause else ""
        self.say(f"{server.coach.name}'s client server {how}; starting it again{later}.")

    def pids(self) -> set[int]:
        """The processes of the servers now running (not to be reaped by anyone but their ``Popen``)."""
        return {server.process.pid for server in self.servers.values() if server.process is not None}

    def left_out(self, server: ClientServer) -> str:
        """What the server's last start left out of its coach's worksheets, if it said so ("" if not)."""
        assert self.practice is not None
        path = left_out_file(self.practice, server.coach)
        with contextlib.suppress(OSError):
            if path.stat().st_mtime >= server.started_on - 1:
                return path.read_text(errors="replace")
        return ""

    def stop(self, server: ClientServer) -> None:
        """SIGTERM (the server ends its kernels), then SIGKILL for all its processes if it lingers."""
        process = server.process
        server.process = None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=STOP_SECONDS)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # its session: kernels left behind too
        process.wait()

    def stop_all(self) -> None:
        """Ask every server to stop at once, then wait for each (see ``stop``)."""
        for server in self.servers.values():
            if server.process is not None and server.running():
                server.process.terminate()
        for server in self.servers.values():
            self.stop(server)
