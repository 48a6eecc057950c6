"""JupyterHub as ``coachkit practice start`` runs it, and the practice's one log.

Everything the Hub, the proxy and the coaches' client servers print goes, with codes and tokens
hidden, to ``<state>/logs/hub.log`` (0600), which rotates under a cap (``capped_logs.CappedFile``).
The Hub runs in a session of its own (Ctrl-C reaches the runner only, which stops it in order) and
gets SIGTERM if the runner dies, however it dies (``PR_SET_PDEATHSIG``), so a killed runner leaves no
Hub holding the practice's ports.
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
from collections.abc import Callable
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from coachkit import config
from coachkit.capped_logs import LOG_CAP_BYTES, CappedFile
from coachkit.logs import private_file, redact
from coachkit.practice import hub
from coachkit.practice.description import PRACTICE_ENV, Practice

READY_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0
PR_SET_PDEATHSIG = 1
_prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before any fork


class PracticeLog:
    """``hub.log``: one capped, private file that every part of the practice writes lines to (from any
    thread)."""

    def __init__(self, practice: Practice, cap: int = LOG_CAP_BYTES) -> None:
        self.path = private_file(practice.log_dir / "hub.log")
        self._file = CappedFile(self.path, cap)
        self._file.terminator = ""  # each line keeps its own

    def write(self, line: str) -> None:
        """Add ``line`` (already redacted) to the log."""
        self._file.handle(logging.LogRecord("hub", logging.INFO, "", 0, line, None, None))

    def tail(self, lines: int = 25) -> str:
        """The end of the log, to say why something stopped."""
        return "\n".join(self.path.read_text(errors="replace").splitlines()[-lines:])

    def close(self) -> None:
        self._file.close()


def config_file() -> Path:
    return config.deploy_dir() / "jupyterhub_config.py"


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


def wait_until(ready: Callable[[], bool], alive: Callable[[], bool], timeout: float) -> bool:
    """Whether ``ready()`` came true within ``timeout``; ``RuntimeError`` if ``alive()`` stops first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError("the Hub stopped while starting")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if ready():
                return True
        time.sleep(0.5)
    return False


def _in_the_hub() -> None:
    """In the Hub's process: Ctrl-C's signal back to its default (a shell may have set it to be
    ignored, and then the Hub's children could not be interrupted either); SIGTERM when the runner
    dies."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


class HubProcess:
    """JupyterHub with the practice's configuration, its output redacted into the practice's log."""

    def __init__(self, practice: Practice, log: PracticeLog) -> None:
        self.practice = practice
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
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
            preexec_fn=_in_the_hub,
        )
        self._pump = threading.Thread(target=self._copy_log, args=(self.process.stdout,), daemon=True)
        self._pump.start()

    def _copy_log(self, stream: IO[bytes]) -> None:
        for line in stream:
            self.log.write(redact(line.decode("utf-8", "replace")))

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Until the Hub answers through the proxy."""
        url = self.practice.url + "/hub/api/"
        try:
            if not wait_until(lambda: probe(url, self.practice) == 200, self.alive, timeout):
                raise TimeoutError(f"the Hub did not answer within {timeout:.0f} s")
        except (RuntimeError, TimeoutError) as error:
            raise RuntimeError(f"{error}; the end of its log:\n{self.log.tail()}") from error

    def stop(self) -> None:
        """The Hub stops its proxy and the coaches' JupyterLabs itself; whatever lingers is ended after."""
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
