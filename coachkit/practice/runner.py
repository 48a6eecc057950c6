"""``coachkit practice start``: a local practice, from PostgreSQL to the Hub, until Ctrl-C.

It starts the practice's PostgreSQL cluster, sets every coach up (``coaches.ensure_coach``; a coach who
cannot be set up is said and left for the next start, never the whole practice), starts each coach's
client server (``clientservers``), runs JupyterHub with ``deploy/jupyterhub_config.py`` (which starts
the proxy, and each coach's JupyterLab when they log in), tells the Hub where each client server is
(``hubapi``), and prints each coach's login and a client's link. Then it watches: a client server that
stops (its coach restarted it, or it failed) is started again, and when the practice file changes
(``coachkit practice add-coach``) the new coach is set up, and their client server started and made
known to the Hub, which lets them log in: the Hub is not restarted, so no other coach's JupyterLab or
client server is touched. Ctrl-C (or SIGTERM) stops everything it started: the client servers, the Hub
(which stops the proxy and the JupyterLabs), then PostgreSQL, then anything left behind. It becomes the
"subreaper" of everything under it (Linux), so not even an orphaned kernel escapes.

One runs per practice (a lock in its state folder). Started again after a start that failed or was
killed half-way, it finishes what that one had begun: set-up steps are idempotent, a coach's database
is filled under another name before it takes theirs, and the Hub and the client servers die with the
runner that started them.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from coachkit.practice import coaches
from coachkit.practice.accounts import AccountError
from coachkit.practice.clientservers import ClientServers
from coachkit.practice.description import Practice, PracticeError, load
from coachkit.practice.hubapi import HubAPI, HubAPIError, runner_token
from coachkit.practice.hubprocess import READY_TIMEOUT, HubProcess, PracticeLog, probe
from coachkit.practice.postgres import Admin, Cluster, PostgresError
from coachkit.private import private_folder

PR_SET_CHILD_SUBREAPER = 36
RUNNING_LOCK = "running.lock"


class Stop(Exception):
    """SIGTERM or SIGHUP: stop the practice as Ctrl-C does."""


def become_subreaper() -> None:
    """Orphans of anything started below adopt this process (not init), so they can be stopped too."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


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


def reap_orphans(keep: set[int]) -> None:
    """Collect adopted processes that have exited (they would stay as zombies); never those in ``keep``
    (started here: their ``Popen`` reads their status)."""
    for child in psutil.Process().children():
        with contextlib.suppress(psutil.Error, ChildProcessError):
            if child.pid not in keep and child.status() == psutil.STATUS_ZOMBIE:
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


@contextlib.contextmanager
def the_only_runner(practice: Practice) -> Iterator[None]:
    """Hold the practice's running lock; ``PracticeError`` if another runner holds it."""
    with open(private_folder(practice.state_dir) / RUNNING_LOCK, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PracticeError(
                f"this practice is already running (another `coachkit practice start` holds {lock.name})"
            ) from None
        yield


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
    elif ready.link_problem:
        say("  a client's link could not be made:\n    " + ready.link_problem.strip().replace("\n", "\n    "))
    else:
        say('  clients: in a terminal of their JupyterLab, `coachkit client add "Name"` prints the links')


def set_up(practice: Practice, names: set[str] | None = None) -> None:
    """Set up every coach (or only those named) and print how to reach them. One who cannot be set up
    is said, and the others are set up all the same."""
    admin = Admin.of(practice)
    for coach in practice.coaches:
        if names is None or coach.name in names:
            try:
                describe(practice, coaches.ensure_coach(practice, coach, admin))
            except (AccountError, PostgresError, OSError, subprocess.SubprocessError) as error:
                say(f"Coach {coach.name} could not be set up (the next start tries again):\n  {error}")


def register(api: HubAPI, practice: Practice, servers: ClientServers) -> None:
    """Tell the Hub where each coach's client server is, forget those of coaches no longer in the
    practice, and route the proxy accordingly now."""
    listed = api.services()
    for name in listed:
        if name not in practice.names:
            api.unregister(name)
    for name, server in servers.servers.items():
        api.register(name, server.url, listed)
    api.sync_routes()


def wait_for_servers(practice: Practice, servers: ClientServers, hub_process: HubProcess) -> None:
    """Until every coach's client server answers through the proxy; one that stops while starting, or
    does not answer in time, is said (it is started again), and the others carry on."""
    started = [coach for coach in practice.coaches if coach.name in servers.servers]
    waiting = {coach.name: practice.service_url(coach) for coach in started}
    deadline = time.monotonic() + READY_TIMEOUT
    while waiting and time.monotonic() < deadline:
        if not hub_process.alive():
            raise RuntimeError(f"the Hub stopped; the end of its log:\n{hub_process.log.tail()}")
        for name, url in list(waiting.items()):
            with contextlib.suppress(OSError):
                if probe(url, practice) == 200:
                    del waiting[name]
                    continue
            if not servers.servers[name].running():
                say(f"{name}'s client server stopped while starting (see {hub_process.log.path}).")
                del waiting[name]
        time.sleep(0.5)
    for name in waiting:
        say(f"{name}'s client server does not answer yet (see {hub_process.log.path}).")
    for server in servers.servers.values():
        said = servers.left_out(server)
        if said:
            say(f"{server.coach.name}'s client server: " + said.strip().replace("\n", "\n  "))


def run(path: Path) -> None:
    """Run the practice in ``path`` until Ctrl-C or SIGTERM."""
    practice = load(path)
    private_folder(practice.state_dir).chmod(0o700)
    with the_only_runner(practice), stopping_on_signals():
        become_subreaper()
        cluster = Cluster.of(practice)
        log = PracticeLog(practice)
        servers = ClientServers(log.write, say)
        hub_process: HubProcess | None = None
        try:
            if cluster is not None:
                say(f"PostgreSQL: {cluster.root}")
                cluster.start()
            set_up(practice)
            api = HubAPI(practice, runner_token(practice))
            servers.ensure(practice)
            hub_process = HubProcess(practice, log)
            hub_process.start()
            hub_process.wait_ready()
            register(api, practice, servers)
            wait_for_servers(practice, servers, hub_process)
            say(f"\nThe practice is ready at {practice.url}/ (log: {log.path}). Ctrl-C stops it.")
            watch(path, practice, hub_process, servers, api)
        except (KeyboardInterrupt, Stop):
            say("\nStopping the practice…")
        finally:
            servers.stop_all()
            if hub_process is not None:
                hub_process.stop()
            if cluster is not None:
                cluster.stop()
            stop_leftovers()
            log.close()
    say("Stopped.")


def watch(
    path: Path, practice: Practice, hub_process: HubProcess, servers: ClientServers, api: HubAPI
) -> None:
    """Keep everything running; when the practice file changes, set up the coaches added and start their
    client servers, and stop those of coaches taken out, without restarting the Hub."""
    seen = path.read_text()
    while True:
        time.sleep(1)
        reap_orphans(servers.pids() | ({hub_process.process.pid} if hub_process.process else set()))
        if not hub_process.alive():
            raise RuntimeError(f"the Hub stopped by itself; the end of its log:\n{hub_process.log.tail()}")
        servers.check()
        try:
            changed = path.read_text()  # its text, not its time: two changes within a tick both count
        except OSError:  # being replaced, or gone: carry on as before
            continue
        if changed == seen:
            continue
        seen = changed
        try:
            updated = load(path)
        except PracticeError as error:
            say(f"The practice file changed but cannot be read ({error}); carrying on as before.")
            continue
        set_up(updated, updated.names - practice.names)
        started, gone = servers.ensure(updated)
        practice = updated
        try:
            register(api, practice, servers)
        except (HubAPIError, OSError) as error:
            say(f"The Hub could not be told about the practice's coaches now ({error}); trying again soon.")
            seen = ""  # read it again next time round
            continue
        for server in started:
            say(f"{server.coach.name}'s client server is starting: {practice.service_url(server.coach)}")
        for name in gone:
            say(f"{name} is no longer in the practice file: their client server stopped; they cannot log in.")
