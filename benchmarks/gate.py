"""The client's page asked for without a session: how fast it is refused, and that no kernel starts.

Ours: ``coachkit serve``, whose gate (a handler in front of Voila's render route) looks the browser's
session up on a worker thread before Voila does anything. For comparison, the other place Voila 0.5
offers: its ``prelaunch_hook``, here on plain ``voila`` over the same notebook with a hook that looks the
session up in the same store and refuses with a 403. Each server gets the same requests, each from its
own loopback address: no cookie, an old link with a malformed code, an old link with an unknown code,
and a forged session cookie (the one that reaches the store). Kernel processes are counted throughout.
"""

from __future__ import annotations

import http.client
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import servers
from benchmarks.report import machine, median, p90, write_section
from coachkit import config
from coachkit.store import Store

HEADING = "Links without a client's code"
REQUESTS = 150
REQUESTS_SENT = (
    ("", ""),
    ("?client=hello", ""),
    ("?client=ZZZZ-ZZZZ-ZZZZ", ""),
    ("", "ck_session=forged-0123456789abcdef"),
)
"""Query and cookie: nothing, old links (a malformed code, an unknown one), a forged session."""
HOOK = """
import datetime as dt

from tornado.web import HTTPError
from coachkit.store import Store

store = Store({url!r})
HOURS = dt.timedelta(hours=8)


def refuse_without_a_session(request, notebook, cwd):
    token = request.get_cookie("ck_session") or ""
    if not token or store.find_session(token, idle=HOURS, longest=HOURS) is None:
        raise HTTPError(403)


c.VoilaConfiguration.prelaunch_hook = refuse_without_a_session
"""


def refusals(base_url: str, notebook: str) -> list[tuple[int, float]]:
    """Status and seconds of each request, sent one after another (each from its own address)."""
    host = base_url.split("//", 1)[1]
    found = []
    for n in range(REQUESTS):
        source = f"127.0.{1 + n // 250}.{1 + n % 250}"
        connection = http.client.HTTPConnection(host, timeout=60, source_address=(source, 0))
        query, cookie = REQUESTS_SENT[n % len(REQUESTS_SENT)]
        started = time.perf_counter()
        connection.request(
            "GET", f"/voila/render/{notebook}{query}", headers={"Cookie": cookie} if cookie else {}
        )
        response = connection.getresponse()
        response.read()
        found.append((response.status, time.perf_counter() - started))
        connection.close()
    return found


class KernelWatch:
    """Every kernel process of a server seen while it runs (sampled every 50 ms)."""

    def __init__(self, server: servers.Server) -> None:
        self.server, self.seen, self.done = server, set(), threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> KernelWatch:
        self.before = {p.pid for p in self.server.kernels()}
        self.thread.start()
        return self

    def _run(self) -> None:
        while not self.done.wait(0.05):
            self.seen |= {p.pid for p in self.server.kernels()}

    def __exit__(self, *_: object) -> None:
        self.done.set()
        self.thread.join()

    def started(self) -> int:
        return len(self.seen - self.before)


def hook_server(folder: Path, database_url: str):  # type: ignore[no-untyped-def]
    settings = folder / "settings"  # not the working folder: a voila.py there would shadow Voila itself
    settings.mkdir()
    (settings / "voila.py").write_text(HOOK.format(url=database_url))
    port = servers.free_port()
    command = [sys.executable, "-m", "voila", str(config.workbooks_dir()), "--no-browser", f"--port={port}"]
    command.append(f"--Voila.config_file_paths={settings}")
    env = {**os.environ, config.DATABASE_URL_ENV: database_url}
    return servers.serving("hook", [*command, "--Voila.ip=127.0.0.1"], folder, env, port), port


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-") as folder:
        with servers.our_server(Path(folder), 1) as ours, KernelWatch(ours) as watch:
            results["ours"] = (refusals(ours.base_url, ours.notebook), watch)
        hook_dir = Path(folder) / "hook"
        hook_dir.mkdir()
        database_url = f"sqlite:///{hook_dir / 'store.sqlite'}"
        Store(database_url).close()
        serving, _ = hook_server(hook_dir, database_url)
        with serving as (base_url, process):
            hooked = servers.Server("hook", base_url, process, ours.notebook, servers.OUR_INPUT)
            with KernelWatch(hooked) as watch:
                results["hook"] = (refusals(base_url, ours.notebook), watch)
    rows = []
    for label, key in (
        ("ours: the gate, a handler in front of Voila's render route", "ours"),
        ("plain Voila with a `prelaunch_hook` doing the same look-up", "hook"),
    ):
        found, watch = results[key]
        seconds = [s * 1000 for _, s in found]
        codes = sorted({code for code, _ in found})
        statuses = ", ".join(f"{code} × {sum(1 for c, _ in found if c == code)}" for code in codes)
        rows.append(
            f"| {label} | {median(seconds):.1f} ms | {p90(seconds):.1f} ms | {statuses} | "
            f"**{watch.started()}** |"
        )
    table = "| server | median | p90 | answers | kernels started |\n|---|---:|---:|---|---:|\n"
    table += "\n".join(rows) + "\n"
    ours_started = results["ours"][1].started()
    body = f"""
{REQUESTS} requests for the client's page from browsers that are not signed in (no cookie, an old link
with a malformed code, an old link with an unknown code, a forged session cookie, in turn), sent one
after another: **{ours_started} kernels started** on ours. The same code page answers every one of them.

{table}
Both refuse before a kernel starts, and both look the session up in the same store. The hook is what
Voila 0.5 offers for this, and it was measured here only to choose; ours is a handler instead, because
the hook runs synchronously on the server's event loop (a slow or locked store would stall every other
page), only after Voila has read the notebook, cannot answer with a page of its own (only an error),
and cannot be used together with pre-heated kernels. The handler awaits the store on a worker thread.

How it was measured: one request at a time over a new connection, each from its own loopback address;
the time is from sending the request to the last byte of the answer; kernel processes were sampled
every 50 ms throughout. Ours with every default of `coachkit serve`; the hook on plain `voila` over
the same notebook (it would start a kernel for a live session, which none of these is).

Measured {machine()}.

Run again with `make bench` or `python -m benchmarks gate`.
"""
    print(f"{HEADING}\n\n{table}")
    write_section(HEADING, body)
