"""A ``coachkit serve`` of a test's own, whose kernels can be counted as real processes.

Every server here keeps its store, and so its kernels' log file, in a folder of its own; a kernel is
an ``ipykernel_launcher`` process whose ``$COACHKIT_LOG_FILE`` lies in that folder. So the count never
mixes up two servers, and needs neither the server's word nor its log.
"""

from __future__ import annotations

import http.client
import ssl
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

from coachkit.links import SHEET_PARAMETER, WORKSHEET_NOTEBOOK, worksheet_link
from coachkit.store import Store
from tests.browser.conftest import running_coachkit

WORKSHEET = "fight-or-make-it-right"
PAGE = f"/voila/render/{WORKSHEET_NOTEBOOK}?{SHEET_PARAMETER}={WORKSHEET}"
"""The worksheet's page without a client code (add ``&client=…``)."""


@dataclass
class Running:
    base_url: str
    database_url: str
    folder: Path
    log_path: Path

    def store(self) -> Store:
        return Store(self.database_url)

    def link(self, code: str, worksheet_id: str = WORKSHEET) -> str:
        return worksheet_link(worksheet_id, code, self.base_url)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    @property
    def kernel_log(self) -> Path:
        return self.folder / "logs" / "kernels.log"

    def kernels(self) -> list[psutil.Process]:
        """This server's kernels alive now: one process each (a kernel's own short-lived helper
        process, forked with the same command line, is not another kernel)."""
        found = []
        for process in psutil.process_iter(["cmdline"]):
            try:
                if not any("ipykernel_launcher" in part for part in process.info["cmdline"] or ()):
                    continue
                if process.environ().get("COACHKIT_LOG_FILE", "").startswith(str(self.folder)):
                    found.append(process)
            except psutil.Error:
                continue
        return one_per_kernel(found)

    def wait_for_kernels(self, count: int, timeout: float) -> float:
        """Seconds until exactly ``count`` kernels are alive; fails after ``timeout``."""
        started = time.monotonic()
        while len(self.kernels()) != count:
            assert time.monotonic() - started < timeout, f"{len(self.kernels())} kernels, not {count}"
            time.sleep(0.25)
        return time.monotonic() - started

    def get(
        self, path: str, headers: dict[str, str] | None = None, source: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One plain HTTP(S) GET (no redirects followed, body as sent): status, headers, body."""
        parts = urllib.parse.urlsplit(self.base_url)
        address = (source, 0) if source else None
        if parts.scheme == "https":
            context = ssl._create_unverified_context()
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.netloc, timeout=60, context=context, source_address=address
            )
        else:
            connection = http.client.HTTPConnection(parts.netloc, timeout=60, source_address=address)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


def one_per_kernel(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Of processes with the same kernel command line, the one whose parent is not among them."""
    pids = {process.pid for process in processes}
    kept = []
    for process in processes:
        try:
            if process.ppid() not in pids:
                kept.append(process)
        except psutil.Error:
            continue
    return kept


@contextmanager
def coachkit_server(
    folder: Path,
    *arguments: str,
    env: dict[str, str] | None = None,
    scheme: str = "http",
    settings: dict[str, str] | None = None,
    database_url: str | None = None,
) -> Iterator[Running]:
    """``coachkit serve ARGUMENTS`` on a free port with a store in ``folder`` (with the coach's
    ``settings``, by key), or the one at ``database_url``; always stopped. No kernels are started ahead
    unless ``--ready-kernels`` is given, so that every kernel counted belongs to a page."""
    if "--ready-kernels" not in arguments:
        arguments = (*arguments, "--ready-kernels", "0")
    folder.mkdir(parents=True, exist_ok=True)
    if database_url is None:
        database_url = f"sqlite:///{folder / 'store.sqlite'}"
        store = Store(database_url)
        for key, value in (settings or {}).items():
            store.set_setting(key, value)
        store.close()
    log_path = folder / "server.log"
    command = ["serve", "--database", database_url, *arguments]
    with running_coachkit(command, log_path, env=env, scheme=scheme) as base_url:
        yield Running(base_url, database_url, folder, log_path)
