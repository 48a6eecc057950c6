"""``coachkit practice start``: a local practice, from PostgreSQL to the Hub, until Ctrl-C.

It starts the practice's PostgreSQL cluster, sets every coach up (``coaches.ensure_coach``), prints
each coach's login and a client's link, and runs JupyterHub with ``deploy/jupyterhub_config.py``
(which starts the proxy, each coach's client server, and each coach's JupyterLab when they log in).
When the practice file changes (``coachkit practice add-coach``), the new coach is set up and the Hub
restarted, so their service starts. Ctrl-C (or SIGTERM) stops everything it started: the Hub (which
stops the proxy, the services and the servers), then PostgreSQL, then anything left behind. It
becomes the "subreaper" of everything under it (Linux), so not even an orphaned kernel escapes.

Everything the Hub, the proxy and the servers print goes, with codes and tokens hidden, to
``<state>/logs/hub.log`` (0600), which rotates under a cap (``capped_logs.CappedFile``).
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import psutil

from coachkit import config
from coachkit.capped_logs import LOG_CAP_BYTES, CappedFile
from coachkit.logs import private_file, redact
from coachkit.practice import coaches, hub
from coachkit.practice.accounts import AccountError
from coachkit.practice.description import PRACTICE_ENV, Practice, PracticeError, load
from coachkit.practice.postgres import Admin, Cluster

READY_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0
PR_SET_CHILD_SUBREAPER = 36


class Stop(Exception):
    """SIGTERM or SIGHUP: stop the practice as Ctrl-C does."""


def config_file() -> Path:
    return config.deploy_dir() / "jupyterhub_config.py"


def become_subreaper() -> None:
    """Orphans of anything started below adopt this process (not init), so they can be stopped too."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def probe(url: str, practice: Practice, timeout: float = 5) -> int:
    """The HTTP status of ``url`` through the practice's proxy (a name under ``localhost`` need not
    resolve here: the connection goes to the Hub's own host, with ``url``'s host in the request)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        import ssl

        context = ssl._create_unverified_context()  # only asks whether it answers, sends nothing
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            practice.host, practice.port, timeout=timeout, context=context
        )
    else:
        connection = http.client.HTTPConnection(practice.host, practice.port, timeout=timeout)
    try:
        connection.request("GET", parts.path or "/", headers={"Host": parts.netloc})
        return connection.getresponse().status
    finally:
        connection.close()


def wait_until(ready: Callable[[], bool], alive: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError("the Hub stopped while starting")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if ready():
                return
        time.sleep(0.5)
    raise TimeoutError(f"the practice did not answer within {timeout:.0f} s")


class HubProcess:
    """JupyterHub with the practice's configuration, its output redacted into the practice's log."""

    def __init__(self, practice: Practice, log_cap: int = LOG_CAP_BYTES) -> None:
        self.practice = practice
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = private_file(practice.log_dir / "hub.log")
        self.log_cap = log_cap
        self._pump: threading.Thread | None = None

    def start(self) -> None:
        env = {**os.environ, PRACTICE_ENV: str(self.practice.path), "PATH": hub.search_path()}
        self.process = subprocess.Popen(
            [str(hub.runtime_bin() / "jupyterhub"), "-f", str(config_file())],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=self.practice.state_dir,
            env=env,
            start_new_session=True,  # Ctrl-C reaches this runner only; it stops the Hub in order
            preexec_fn=_default_interrupt,
        )
        self._pump = threading.Thread(target=self._copy_log, args=(self.process.stdout,), daemon=True)
        self._pump.start()

    def _copy_log(self, stream: IO[bytes]) -> None:
        log = CappedFile(self.log_path, self.log_cap)
        log.terminator = ""  # each line keeps its own
        try:
            for line in stream:
                text = redact(line.decode("utf-8", "replace"))
                log.handle(logging.LogRecord("hub", logging.INFO, "", 0, text, None, None))
        finally:
            log.close()

    def log_tail(self, lines: int = 25) -> str:
        """The end of the Hub's log (already redacted), to say why it stopped."""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Until the Hub answers through the proxy, and so does every coach's client server."""
        practice = self.practice
        urls = [practice.url + "/hub/api/", *(practice.service_url(coach) for coach in practice.coaches)]
        try:
            wait_until(lambda: all(probe(url, practice) == 200 for url in urls), self.alive, timeout)
        except (RuntimeError, TimeoutError) as error:
            raise RuntimeError(f"{error}; the end of its log:\n{self.log_tail()}") from error

    def stop(self) -> None:
        """The Hub stops its proxy, services and servers itself; whatever lingers is ended after."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._pump is not None:
            self._pump.join(timeout=5)
        self.process = None


def _default_interrupt() -> None:
    """In the Hub: Ctrl-C's signal back to its default (a shell may have set it to be ignored, and
    then the Hub's children could not be interrupted either)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop_leftovers(timeout: float = 15) -> None:
    """End every process still below this one (adopted orphans included), then reap them."""
    children = psutil.Process().children(recursive=True)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=timeout)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()
    psutil.wait_procs(alive, timeout=timeout)


def reap_orphans(keep: int | None) -> None:
    """Collect adopted processes that have exited (they would stay as zombies)."""
    for child in psutil.Process().children():
        with contextlib.suppress(psutil.Error, ChildProcessError):
            if child.pid != keep and child.status() == psutil.STATUS_ZOMBIE:
                os.waitpid(child.pid, os.WNOHANG)


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the practice the way Ctrl-C does."""

    def stop(signum: int, _frame: object) -> None:
        raise Stop(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    # Ctrl-C too, even when started from a shell that had it ignored (as `make … &` does).
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def say(text: str = "") -> None:
    print(text, flush=True)


def describe(practice: Practice, ready: coaches.Ready) -> None:
    coach = ready.coach
    say(f"Coach {coach.name}")
    password = f", password {ready.password}" if ready.password else " (password: as set)"
    say(f"  login:      {practice.login_url()}  user {coach.name}{password}")
    say(f"  dashboard:  {practice.dashboard_url(coach)}")
    if ready.client_link:
        say(f"  a client's link: {ready.client_link}")
    else:
        say('  clients: in a terminal of their JupyterLab, `coachkit client add "Name"` prints the links')


def set_up(practice: Practice, names: set[str] | None = None) -> None:
    """Set up every coach (or only those named) and print how to reach them."""
    admin = Admin.of(practice)
    for coach in practice.coaches:
        if names is None or coach.name in names:
            describe(practice, coaches.ensure_coach(practice, coach, admin))


def run(path: Path) -> None:
    """Run the practice in ``path`` until Ctrl-C or SIGTERM."""
    practice = load(path)
    practice.state_dir.mkdir(parents=True, exist_ok=True)
    practice.state_dir.chmod(0o700)
    become_subreaper()
    cluster = Cluster.of(practice)
    hub_process: HubProcess | None = None
    with stopping_on_signals():
        try:
            if cluster is not None:
                say(f"PostgreSQL: {cluster.root}")
                cluster.start()
            set_up(practice)
            hub_process = HubProcess(practice)
            hub_process.start()
            hub_process.wait_ready()
            say(f"\nThe practice is ready at {practice.url}/ (log: {hub_process.log_path}). Ctrl-C stops it.")
            watch(path, practice, hub_process)
        except (KeyboardInterrupt, Stop):
            say("\nStopping the practice…")
        finally:
            if hub_process is not None:
                hub_process.stop()
            if cluster is not None:
                cluster.stop()
            stop_leftovers()
    say("Stopped.")


def watch(path: Path, practice: Practice, hub_process: HubProcess) -> None:
    """Keep the Hub running; when the practice file changes, set up new coaches and restart the Hub."""
    seen = path.stat().st_mtime_ns
    while True:
        time.sleep(1)
        reap_orphans(hub_process.process.pid if hub_process.process else None)
        if not hub_process.alive():
            raise RuntimeError(f"the Hub stopped by itself; the end of its log:\n{hub_process.log_tail()}")
        changed = path.stat().st_mtime_ns
        if changed == seen:
            continue
        seen = changed
        try:
            updated = load(path)
        except PracticeError as error:
            say(f"The practice file changed but cannot be read ({error}); carrying on as before.")
            continue
        added = {coach.name for coach in updated.coaches} - {coach.name for coach in practice.coaches}
        try:
            set_up(updated, added)
        except (AccountError, RuntimeError) as error:
            say(f"Could not set up {', '.join(sorted(added))}: {error}")
            continue
        say("Restarting the Hub for the new practice file (open pages carry on after a moment)…")
        hub_process.stop()
        hub_process.practice = practice = updated
        hub_process.start()
        hub_process.wait_ready()
        say("The Hub is back.")
