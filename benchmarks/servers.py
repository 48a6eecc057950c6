"""What the browser benchmarks share: the two servers, headless Chromium, and "open until usable".

Ours is ``coachkit serve`` (with every default: the gate, ready kernels, compression, reclaiming)
over the project's worksheets, with a temporary store holding fresh clients; each opens a new link to
the worksheet as a client does (its page, then Open), and the clock runs through both. The baseline is plain
``voila`` on a folder holding one bare notebook that shows a single ipywidgets button; it keeps
Voila's defaults apart from the port, the loopback address and ``--no-browser``. Both run the same
Python, Voila and kernels, and both are always stopped (process group, ``finally``).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from coachkit.links import WORKSHEET_NOTEBOOK
from coachkit.serve import ServeOptions
from coachkit.store import Store
from tests.browser.conftest import (
    CHROMIUM_FLAGS,
    CLIENT_PAGE,
    free_port,
    is_sign_in_link,
    mint_link,
    wait_for_http,
)
from tests.browser.running import HttpClient

WORKSHEET = "fight-or-make-it-right"
BARE_NOTEBOOK = "bare.ipynb"
BARE_SOURCE = 'import ipywidgets as w\nw.Button(description="Go")'
OUR_INPUT = ".ck-app .widget-radio-box input[type=radio]"
"""Usable on our page: the first option of the first question, live (``.ck-app``: the widgets' page;
the step the server painted before them is ``.ck-painted``)."""
OUR_TEXT = "#ck-prepaint .ck-painted h1, .ck-app h1"
"""Readable on our page: the worksheet's title, painted by the server or drawn by the widgets."""
BARE_INPUT = "button.widget-button"
"""Usable on the bare page: its one button."""
LOST_OUTPUT = ".jp-CodeCell.jp-mod-noOutputs, html[data-ck='blank']"
"""Voila's mark on a cell whose output never reached the page (a blank page for the client), and
ours (the page's script then reloads once by itself)."""
LOAD_TIMEOUT_MS = 120_000
RELOADS = 2
"""A blank page is reloaded at most this many times, as a client would, with the clock running."""

USABLE = """
(selector) => {
  // Usable: the input exists, takes up space, is not hidden and is not disabled (Playwright's
  // "visible and enabled"). Returns the page's own clock, or "blank" when Voila lost the output.
  const element = document.querySelector(selector);
  if (element && element.getClientRects().length > 0 && !element.disabled
      && getComputedStyle(element).visibility !== "hidden") {
    return performance.now();
  }
  if (document.readyState === "complete" && document.querySelector(LOST_OUTPUT)) return "blank";
  return false;
}
""".replace("LOST_OUTPUT", json.dumps(LOST_OUTPUT))

READABLE = """
(selector) => {
  // Readable: the element exists and takes up space (the browser has laid it out to paint it).
  const element = document.querySelector(selector);
  return element && element.getClientRects().length > 0 ? performance.now() : false;
}
"""

NAVIGATION = """
() => {
  const [entry] = performance.getEntriesByType("navigation");
  const resources = performance.getEntriesByType("resource");
  const bytes = resources.reduce((sum, r) => sum + r.encodedBodySize, entry.encodedBodySize);
  return { firstByte: entry.responseStart, htmlDone: entry.domContentLoadedEventStart, bytes };
}
"""

SHUT_DOWN_KERNEL = """
async () => {
  // What Voila's own beforeunload handler means to do, with the XSRF header it leaves out (0.5.x).
  // The render page sets no _xsrf cookie; the folder listing does.
  const config = JSON.parse(document.getElementById("jupyter-config-data").textContent);
  await fetch(config.baseUrl);
  const xsrf = decodeURIComponent((document.cookie.match(/(?:^|; )_xsrf=([^;]*)/) || ["", ""])[1]);
  const url = `${config.baseUrl}voila/api/shutdown/${config.kernelId}`;
  const response = await fetch(url, { method: "POST", headers: { "X-XSRFToken": xsrf } });
  return response.status;
}
"""


@dataclass
class Server:
    """A running Voila server: where it listens, its process, and what a client opens."""

    name: str
    base_url: str
    process: subprocess.Popen[bytes]
    notebook: str
    selector: str
    codes: list[str] = field(default_factory=list)
    idle_kernels: int = 0
    """Kernels alive with no page open (ours keeps ``ServeOptions.ready_kernels`` started ahead)."""
    database_url: str = ""
    text: str = BARE_INPUT
    """What a client first reads on the page (bare: its button; ours: the worksheet's title)."""

    def link(self, number: int) -> str:
        """The link the ``number``-th client opens (ours: a new link to the worksheet for a fresh client
        each; it opens once, so every call makes another)."""
        if self.codes:
            return mint_link(Store(self.database_url), self.codes[number], WORKSHEET, self.base_url)
        return f"{self.base_url}/voila/render/{self.notebook}"

    def page(self, link: str = "") -> str:
        """The page a client reloads: after a sign-in link (which opens once), the one client page it led
        to; on ours, that page; on the bare server, the notebook."""
        if is_sign_in_link(link):
            return link.split("/link/", 1)[0] + CLIENT_PAGE
        return self.base_url + CLIENT_PAGE if self.codes else f"{self.base_url}/voila/render/{self.notebook}"

    def sign_in(self, number: int) -> str:
        """Client ``number`` opens a new link over plain HTTP (its page, then Open): their ``Cookie``."""
        return HttpClient(self.base_url).sign_in(self.link(number))

    def kernels(self) -> list[psutil.Process]:
        """The server's kernels: its child processes running ``ipykernel_launcher``, one per kernel (a
        kernel's own short-lived helper, forked with the same command line, is not counted)."""
        found = []
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if any("ipykernel_launcher" in part for part in child.cmdline()):
                    found.append(child)
            except psutil.NoSuchProcess:
                continue
        pids = {process.pid for process in found}
        kept = []
        for process in found:
            try:
                if process.ppid() not in pids:
                    kept.append(process)
            except psutil.NoSuchProcess:
                continue
        return kept

    def kernel(self, kernel_id: str) -> psutil.Process:
        """The kernel process started for one page (its connection file names the kernel id)."""
        for process in self.kernels():
            if any(kernel_id in part for part in process.cmdline()):
                return process
        raise LookupError(f"no kernel process for {kernel_id}")


@contextmanager
def serving(
    name: str, command: list[str], folder: Path, env: dict[str, str], port: int
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run ``command`` in its own process group until the block ends; yields its base URL and process."""
    log_path = folder / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=folder, env=env
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for_http(base_url + "/", process)
        yield base_url, process
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Stop a server and everything it started.

    SIGTERM to its process group lets Voila shut its kernels down; SIGKILL follows if it lingers. The
    kernels run in sessions of their own, so any still alive after that are killed one by one.
    """
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for child in children:
        with suppress(psutil.NoSuchProcess):
            child.kill()  # psutil checks it is still the same process, not a reused id
    psutil.wait_procs(children, timeout=10)


@contextmanager
def our_server(folder: Path, clients: int, *arguments: str) -> Iterator[Server]:
    """``coachkit serve ARGUMENTS`` with a store in ``folder`` holding ``clients`` fresh clients."""
    database_url = f"sqlite:///{folder / 'store.sqlite'}"
    store = Store(database_url)
    codes = [store.add_client(f"Bench Client{number}").code for number in range(clients)]
    store.close()
    port = free_port()
    command = [sys.executable, "-m", "coachkit.cli", "serve", "--port", str(port), "--database", database_url]
    ready = int(arguments[arguments.index("--ready-kernels") + 1]) if "--ready-kernels" in arguments else None
    idle = ServeOptions(root=folder).ready_kernels if ready is None else ready
    with serving("coachkit", [*command, *arguments], folder, dict(os.environ), port) as (base_url, process):
        server = Server(
            "coachkit", base_url, process, WORKSHEET_NOTEBOOK, OUR_INPUT, codes, idle, database_url, OUR_TEXT
        )
        wait_for_idle_sync(server)
        yield server


def write_bare_notebook(folder: Path, source: str = BARE_SOURCE) -> Path:
    """The baseline notebook: one code cell (by default showing one button)."""
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "bare",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = folder / BARE_NOTEBOOK
    path.write_text(json.dumps(notebook, indent=1))
    return path


@contextmanager
def bare_server(folder: Path, source: str = BARE_SOURCE) -> Iterator[Server]:
    """Plain ``voila`` on a folder holding only the bare notebook (its cell: ``source``)."""
    notebooks = folder / "notebooks"
    notebooks.mkdir()
    write_bare_notebook(notebooks, source)
    port = free_port()
    command = [sys.executable, "-m", "voila", str(notebooks), "--no-browser", f"--port={port}"]
    command.append("--Voila.ip=127.0.0.1")
    env = {key: value for key, value in os.environ.items() if key != "COACHKIT_DATABASE_URL"}
    with serving("bare", command, folder, env, port) as (base_url, process):
        yield Server("bare voila", base_url, process, BARE_NOTEBOOK, BARE_INPUT)


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        raise SystemExit("the browser benchmarks need Debian's chromium (make browser installs it as root)")
    return path


async def launch_chromium(playwright):  # type: ignore[no-untyped-def]
    """Headless Debian Chromium, flagged as in the browser tests."""
    return await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)


@dataclass
class Opened:
    """One page load: wall-clock seconds from ``page.goto`` to usable, the browser's own milestones
    (milliseconds from the start of navigation), and the bytes of the page and everything it loaded."""

    seconds: float
    readable_seconds: float
    """Wall-clock seconds until the page's first text (``Server.text``) was laid out."""
    first_byte_ms: float
    html_done_ms: float
    usable_ms: float
    page_bytes: int
    blanks: int
    kernel_id: str


async def follow_link(page, link: str) -> None:  # type: ignore[no-untyped-def]
    """Open a link as a client does: a sign-in link's page, then Open (the client's page replaces it;
    not waited for); any other address, simply."""
    if not is_sign_in_link(link):
        await page.goto(link, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        return
    await page.goto(link, timeout=LOAD_TIMEOUT_MS)
    await page.get_by_role("button", name="Open").click()
    await page.wait_for_url(
        lambda now: not is_sign_in_link(now), wait_until="commit", timeout=LOAD_TIMEOUT_MS
    )


async def open_until_usable(page, server: Server, number: int) -> Opened:  # type: ignore[no-untyped-def]
    """Open client ``number``'s link and wait until the server's input is visible and enabled (a blank
    page is reloaded, as a client would)."""
    link = server.link(number)
    started = time.perf_counter()
    blanks = 0
    readable = 0.0
    while True:
        await follow_link(page, link if blanks == 0 else server.page(link))
        if not readable:
            await page.wait_for_function(READABLE, arg=server.text, polling=20, timeout=LOAD_TIMEOUT_MS)
            readable = time.perf_counter() - started
        handle = await page.wait_for_function(
            USABLE, arg=server.selector, polling=20, timeout=LOAD_TIMEOUT_MS
        )
        usable = await handle.json_value()
        if usable != "blank":
            break
        blanks += 1
        if blanks > RELOADS:
            raise RuntimeError(f"{server.name}: page still blank after {RELOADS} reloads")
    seconds = time.perf_counter() - started
    milestones = await page.evaluate(NAVIGATION)
    config = await page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
    )
    return Opened(
        seconds,
        readable,
        milestones["firstByte"],
        milestones["htmlDone"],
        usable,
        milestones["bytes"],
        blanks,
        config["kernelId"],
    )


async def shut_down_kernel(page) -> None:  # type: ignore[no-untyped-def]
    """Shut the page's kernel down, so that idle kernels do not pile up between runs."""
    status = await page.evaluate(SHUT_DOWN_KERNEL)
    if status >= 400:
        raise RuntimeError(f"kernel shutdown answered HTTP {status}")


async def wait_for_no_kernels(server: Server, timeout: float = 30) -> None:
    """Wait (bounded) until no page's kernel is left (only the ``idle_kernels`` a server keeps ready)
    and the server and its kernels are idle, so that every run starts from the same quiet state."""
    deadline = time.monotonic() + timeout
    while len(server.kernels()) != server.idle_kernels:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{server.name}: {len(server.kernels())} kernels {timeout} s after shutdown")
        await asyncio.sleep(0.2)
    await until_idle(server)


async def until_idle(server: Server, limit: float = 15, share: float = 0.05) -> None:
    """Wait (at most ``limit`` s) until the server and its kernels use under ``share`` of a core."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        processes = [psutil.Process(server.process.pid), *server.kernels()]
        before = sum(p.cpu_times().user + p.cpu_times().system for p in processes if p.is_running())
        await asyncio.sleep(0.5)
        after = sum(p.cpu_times().user + p.cpu_times().system for p in processes if p.is_running())
        if (after - before) / 0.5 < share:
            return


def wait_for_idle_sync(server: Server, timeout: float = 60) -> None:
    """``wait_for_no_kernels`` outside an event loop (a server that has just started)."""
    asyncio.run(wait_for_no_kernels(server, timeout))


async def open_once(  # type: ignore[no-untyped-def]
    browser,
    server: Server,
    number: int,
    context_options: dict | None = None,
    prepare=None,
    kernels_gone: float = 30,
) -> Opened:
    """One measured load in a fresh context (``prepare(context, page)`` first, e.g. a slow link); the
    page's kernel is shut down, and gone, before returning."""
    context = await browser.new_context(**(context_options or {"viewport": {"width": 1280, "height": 800}}))
    try:
        page = await context.new_page()
        if prepare is not None:
            await prepare(context, page)
        opened = await open_until_usable(page, server, number)
        await shut_down_kernel(page)
    finally:
        await context.close()
    await wait_for_no_kernels(server, timeout=kernels_gone)
    return opened
