"""How soon a client's answer is safe on disk: from a click in the browser to the row in the store.

Ours: a fresh client opens the fight worksheet and picks the first option of the first question; the
clock runs from just before the click until another connection (plain ``sqlite3``, read-only) finds
the answer in the store, polled every 2 ms. Nothing else happens on the page, so the answer is saved by
autosave (``AUTOSAVE_SECONDS`` after the change), not by a move to the next step: the window in which
a crash would lose it. Baseline: a bare notebook on plain ``voila`` whose one button's callback inserts
a row into a SQLite file of its own and commits at once (WAL, ``synchronous=FULL``, as ours), timed
the same way: the shortest a click can take to reach the disk through Voila. Runs alternate between
the servers, after one unmeasured warm-up each, a fresh browser context and page per run.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import servers
from benchmarks.report import machine, median, p90, write_section
from coachkit.ui.wizard import AUTOSAVE_SECONDS

RUNS = 9
POLL_SECONDS = 0.002
TIMEOUT_SECONDS = 30
HEADING = "How soon an answer is safe on disk"
CLICKS = "clicks.sqlite"
BARE_SAVING = """import sqlite3
import ipywidgets as w

db = sqlite3.connect({path!r}, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE IF NOT EXISTS clicks (run INTEGER)")
runs = iter(range(1_000_000))


def save(_):
    db.execute("INSERT INTO clicks VALUES (?)", (next(runs),))


button = w.Button(description="Go")
button.on_click(save)
button"""
"""The baseline's one cell: every click is a committed row (autocommit), at once."""


def rows(path: Path, query: str, *parameters: object) -> int:
    """``query``'s count from a new read-only connection (what is on disk, for any other reader)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return connection.execute(query, parameters).fetchone()[0]


def answers_of(store: Path, code: str) -> Callable[[], int]:
    query = (
        "SELECT count(*) FROM answers a JOIN responses r ON r.id = a.response_id "
        "JOIN clients c ON c.id = r.client_id WHERE c.code = ?"
    )
    return lambda: rows(store, query, code)


def clicks_in(path: Path) -> Callable[[], int]:
    return lambda: rows(path, "SELECT count(*) FROM clicks") if path.exists() else 0


async def until_more(count: Callable[[], int], before: int) -> None:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while count() <= before:
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing reached the disk within {TIMEOUT_SECONDS} s")
        await asyncio.sleep(POLL_SECONDS)


async def click_until_saved(  # type: ignore[no-untyped-def]
    browser, server: servers.Server, number: int, count: Callable[[], int]
) -> float:
    """Open link ``number``, click its input, and return the seconds until ``count`` grows."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = await context.new_page()
        await servers.open_until_usable(page, server, number)
        await asyncio.sleep(0.5)  # the page settles: nothing else in flight when the clock starts
        before = count()
        started = time.perf_counter()
        await page.locator(server.selector).first.click()
        await until_more(count, before)
        seconds = time.perf_counter() - started
        await servers.shut_down_kernel(page)
    finally:
        await context.close()
    await servers.wait_for_no_kernels(server)
    return seconds


async def measure(
    ours: servers.Server, bare: servers.Server, store: Path, clicks: Path
) -> tuple[list[float], list[float], str]:
    from playwright.async_api import async_playwright

    counters = {
        ours.name: lambda n: answers_of(store, ours.codes[n]),
        bare.name: lambda n: clicks_in(clicks),
    }
    found: dict[str, list[float]] = {ours.name: [], bare.name: []}
    async with async_playwright() as playwright:
        browser = await servers.launch_chromium(playwright)
        try:
            for server in (ours, bare):
                await click_until_saved(browser, server, 0, counters[server.name](0))  # warm-up
            for run in range(1, RUNS + 1):
                for server in (ours, bare) if run % 2 else (bare, ours):
                    seconds = await click_until_saved(browser, server, run, counters[server.name](run))
                    found[server.name].append(seconds)
                    print(f"  run {run}: {server.name} {seconds * 1000:.0f} ms", flush=True)
            version = browser.version
        finally:
            await browser.close()
    return found[ours.name], found[bare.name], version


def row(label: str, seconds: list[float]) -> str:
    ms = [value * 1000 for value in seconds]
    return f"| {label} | **{median(ms):.0f} ms** | {p90(ms):.0f} ms | {min(ms):.0f}–{max(ms):.0f} ms |"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-durable-") as folder:
        root = Path(folder)
        (root / "ours").mkdir()
        (root / "bare").mkdir()
        clicks = root / "bare" / CLICKS
        with (
            servers.our_server(root / "ours", RUNS + 1) as ours,
            servers.bare_server(root / "bare", BARE_SAVING.format(path=str(clicks))) as bare,
        ):
            mine, baseline, browser = asyncio.run(measure(ours, bare, root / "ours" / "store.sqlite", clicks))
    ratio = median(mine) / median(baseline)
    body = f"""
A client's answer is on disk, committed and readable by any other connection, a median
**{median(mine) * 1000:.0f} ms** after their click (p90 {p90(mine) * 1000:.0f} ms), when nothing else
happens on the page: **{ratio:.2f}×** the {median(baseline) * 1000:.0f} ms a bare Voila button takes to
commit a row at once (medians of {RUNS} runs each).
That is the window in which a crash of the server could lose a change, down from the 1.5 s (plus the
same trip) of the first autosave: {AUTOSAVE_SECONDS * 1000:.0f} ms of it is autosave's wait, which gathers a
client's keystrokes into one save; a move to the next step saves at once.

| click to committed row | median | p90 | fastest–slowest |
|---|---:|---:|---:|
{row("bare Voila: a button whose callback inserts and commits at once", baseline)}
{row("ours: an option picked on the fight worksheet, saved by autosave", mine)}

What the rest is: the click travelling to the kernel as a widget message, the answer checked on the server,
and `Store.save_step` (see "Saving one step's answers"). Both commit with SQLite's
`synchronous=FULL` in WAL mode, so a committed row survives a power cut, not only a crash of the server.

How it was measured: headless Chromium {browser} (Debian, the browser tests' flags), a fresh context per
run, 1280×800. Each page was opened until usable and left half a second; the clock ran from just before
Playwright's click until a new read-only `sqlite3` connection, polling every 2 ms, counted the new row.
{RUNS} runs each, alternating which server goes first, after one unmeasured warm-up each; each page's
kernel shut down after its run. Ours with every default of `coachkit serve`.

Measured {machine()}.

Run again with `make bench` or `python -m benchmarks durable`.
"""
    write_section(HEADING, body)
