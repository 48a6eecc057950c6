"""A coach restarts their own client server, from their JupyterLab, e.g. after adding a worksheet.

``coachkit practice restart-my-server`` in a terminal (or ``restart()`` from a notebook or a button):
the coach's client server runs as the coach's own account (``clientservers``), so the coach may end it
themselves, by the operating system's rule for any process of one's own, and ``coachkit practice start``
starts it again at once, reading their worksheets afresh. No token, no root and no call to the Hub is
needed (JupyterHub's API has no call that restarts a service), and no coach can restart another's this
way: the kernel refuses a signal to another account's process. First it checks the coach's worksheets
as the server will read them, and stops if one has problems (``anyway``: restart all the same, and the
server leaves that file out). Clients with a page open get "please reload", and their answers are kept.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import pwd
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from coachkit.exercises.checking import Checked, check_all
from coachkit.exercises.files import BUILT_IN
from coachkit.exercises.sound import LEFT_OUT_FILE
from coachkit.practice.accounts import is_coach_account
from coachkit.practice.clientservers import SERVICE_LOG_DIR

WAIT_SECONDS = 120.0


class RestartError(RuntimeError):
    """The server could not be restarted (not a coach, no server running, it did not come back)."""


@dataclass(frozen=True)
class Restarted:
    """What the coach's server serves of their own now, and what its start left out (if anything)."""

    own: tuple[str, ...]
    left_out: str


def this_coach() -> pwd.struct_passwd:
    """This account, if it is a coach's; ``RestartError`` if not."""
    account = pwd.getpwuid(os.getuid())
    if not is_coach_account(account.pw_name):
        raise RestartError(
            "this is for a coach of a practice, in a terminal of their JupyterLab: "
            f"{account.pw_name} is not a coach's account"
        )
    return account


def find_server(name: str) -> psutil.Process | None:
    """This account's ``coachkit serve`` for coach ``name`` (under ``/services/<name>/``), if running."""
    for process in psutil.process_iter(["uids", "cmdline"]):
        with contextlib.suppress(psutil.Error):
            command = process.info["cmdline"] or []
            if process.info["uids"].real != os.getuid() or "serve" not in command:
                continue
            if f"/services/{name}/" in command and "--port" in command:
                return process
    return None


def _port(process: psutil.Process) -> int:
    command = process.cmdline()
    return int(command[command.index("--port") + 1])


def _answers(port: int, prefix: str) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", prefix)
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def problems() -> list[Checked]:
    """The coach's own files (and folders) with problems, as their server will read them."""
    return [result for result in check_all() if result.problems]


def _own(results: list[Checked]) -> tuple[str, ...]:
    return tuple(
        f"{result.worksheet.id} ({result.worksheet.title})"
        for result in results
        if result.worksheet is not None and not result.path.resolve().is_relative_to(BUILT_IN.resolve())
    )


def restart(timeout: float = WAIT_SECONDS) -> Restarted:
    """End the coach's client server, and wait until it answers again (started anew by the practice)."""
    account = this_coach()
    prefix = f"/services/{account.pw_name}/"
    old = find_server(account.pw_name)
    if old is None:
        raise RestartError("your client server is not running (is the practice running?)")
    port, asked = _port(old), time.time()
    old.terminate()
    try:
        old.wait(timeout=30)
    except psutil.TimeoutExpired:
        old.kill()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = find_server(account.pw_name)
        if new is not None and new.pid != old.pid and _answers(port, prefix):
            said = _left_out(Path(account.pw_dir), asked)
            return Restarted(_own([result for result in check_all() if str(result.path) not in said]), said)
        time.sleep(0.5)
    raise RestartError(
        f"your client server did not come back within {timeout:.0f} s; ask whoever runs the practice "
        "(its log says why)"
    )


def _left_out(home: Path, since: float) -> str:
    path = home / SERVICE_LOG_DIR / LEFT_OUT_FILE
    with contextlib.suppress(OSError):
        if path.stat().st_mtime >= since - 1:
            return path.read_text(errors="replace")
    return ""
