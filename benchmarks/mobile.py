"""A client's first visit over a phone's mobile link: 9 Mbit/s down, 60 ms each way.

Chromium emulates the link (DevTools ``Network.emulateNetworkConditions``) for a fresh context each
run, so nothing is cached: every file of the page crosses the slow link, as on a client's first visit.
Ours and the bare one-button page alternate; the clock runs from ``page.goto`` to usable, as in
``first_input``. What counts here is how many bytes cross the link and how many round trips they need.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from benchmarks import servers
from benchmarks.report import machine, median, p90, write_section

RUNS = 5
HEADING = "First visit over a mobile link"
DOWN_MBIT, UP_MBIT, LATENCY_MS = 9, 3, 60
LINK = {
    "offline": False,
    "latency": LATENCY_MS,
    "downloadThroughput": DOWN_MBIT * 1e6 / 8,
    "uploadThroughput": UP_MBIT * 1e6 / 8,
    "connectionType": "cellular4g",
}


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}


async def slow_link(context, page) -> None:  # type: ignore[no-untyped-def]
    """The emulated mobile link, for this page."""
    session = await context.new_cdp_session(page)
    await session.send("Network.enable")
    await session.send("Network.emulateNetworkConditions", LINK)


async def open_once(browser, server: servers.Server, number: int) -> servers.Opened:  # type: ignore[no-untyped-def]
    return await servers.open_once(browser, server, number, PHONE, slow_link)


async def measure(ours: servers.Server, bare: servers.Server) -> dict[str, list[servers.Opened]]:
    from playwright.async_api import async_playwright

    results: dict[str, list[servers.Opened]] = {ours.name: [], bare.name: []}
    async with async_playwright() as playwright:
        browser = await servers.launch_chromium(playwright)
        try:
            for server in (ours, bare):
                await open_once(browser, server, 0)  # warm-up: server caches, first kernel
            for run in range(RUNS):
                for server in (ours, bare) if run % 2 == 0 else (bare, ours):
                    opened = await open_once(browser, server, run + 1)
                    results[server.name].append(opened)
                    print(f"  run {run + 1}: {server.name} {opened.seconds:.2f} s", flush=True)
        finally:
            await browser.close()
    return results


def row(label: str, runs: list[servers.Opened]) -> str:
    seconds = [run.seconds for run in runs]
    readable = [run.readable_seconds for run in runs]
    megabytes = median([run.page_bytes for run in runs]) / 1e6
    html_done = median([run.html_done_ms for run in runs]) / 1000
    return (
        f"| {label} | {median(readable):.2f} s ({min(readable):.2f}–{max(readable):.2f}) | "
        f"**{median(seconds):.2f} s** | {p90(seconds):.2f} s | {min(seconds):.2f}–{max(seconds):.2f} s | "
        f"{html_done:.2f} s | {megabytes:.2f} MB |"
    )


USABLE_GOAL, READABLE_GOAL = 0.3, 0.15


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as ours_dir,
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as bare_dir,
        servers.our_server(Path(ours_dir), RUNS + 1) as ours,
        servers.bare_server(Path(bare_dir)) as bare,
    ):
        results = asyncio.run(measure(ours, bare))
    our_runs, bare_runs = results[ours.name], results[bare.name]
    bare_usable = median([r.seconds for r in bare_runs])
    ratio = median([r.seconds for r in our_runs]) / bare_usable
    readable = median([r.readable_seconds for r in our_runs]) / bare_usable
    verdict = (
        "meets both"
        if ratio <= USABLE_GOAL and readable <= READABLE_GOAL
        else (
            "meets the first"
            if ratio <= USABLE_GOAL
            else "meets the second"
            if readable <= READABLE_GOAL
            else "misses both"
        )
    )
    table = (
        "| page | first text readable (median, fastest–slowest) | usable (median) | p90 | fastest–slowest "
        "| HTML complete (median) | sent over the link |\n"
        "|---|---:|---:|---:|---:|---:|---:|\n"
        f"{row('bare Voila: one button (`voila`)', bare_runs)}\n"
        f"{row('ours: fight-or-make-it-right, client link (`coachkit serve`)', our_runs)}\n"
    )
    ours_mb = median([r.page_bytes for r in our_runs]) / 1e6
    bare_mb = median([r.page_bytes for r in bare_runs]) / 1e6
    body = f"""
A client's first visit over a mobile link ({DOWN_MBIT} Mbit/s down, {UP_MBIT} Mbit/s up, {LATENCY_MS} ms
latency, as Chromium emulates it) has the worksheet usable in **{ratio:.2f}×** the time the bare
one-button Voila page needs, and the first step readable in **{readable:.2f}×** that time (ratios of
medians, {RUNS} runs each, both clocks from opening the link). The goals are ≤ {USABLE_GOAL:.2f}× to the
first usable input and ≤ {READABLE_GOAL:.2f}× to the first step's text: this run {verdict}.

{table}
*First text readable*: ours, the worksheet's title laid out on the page (the step the server paints);
bare Voila, its one button (its first widget, which is also its first text). *Usable*: the first option
of the first question, live (ours) or the button (bare), visible and enabled. *Sent over the link*: the
page and every file it fetched, as they crossed the link: {ours_mb:.2f} MB for ours against
{bare_mb:.2f} MB for bare Voila, which sends every file uncompressed.

Ours sends the top of the page at once: the head, with its styles and its small page script inline,
and the first step, painted by the server from the worksheet file in HTML shaped like the widgets, so
the client reads (and may already answer) it while the kernel runs the notebook and the widgets load.
The widgets come from coachkit's own widget manager (ipywidgets' own models and views on a small
kernel connection, about 110 kB compressed, brotli where the browser accepts it), named in the page's
head so they load together, and take the painted step's place without a jump, keeping any answer
already tapped. Bare Voila loads its JupyterLab-based front end (about 4.9 MB here, uncompressed) and
shows nothing until it has drawn the widgets; it also asks a CDN for Font Awesome, which fails at once
here, so its figure is, if anything, flattering. What is left for ours: the link's round trips (the
link's page, Open, the client's page, the websocket) and the kernel running the notebook.

How it was measured: headless Chromium (Debian, the browser tests' flags), a fresh context per run
(390×844, a phone; empty cache), the link emulated with `Network.emulateNetworkConditions`; the clock
runs from just before `page.goto` of the link until the title is laid out (polled every 20 ms) and
until the first input is visible and enabled (polled every 20 ms). {RUNS} runs per page, alternating
between the servers, after one unmeasured warm-up load each; each page's kernel is ended after its run.
Both servers run at the same time on this machine.

Measured {machine()}.

Run again with `make bench` or `python -m benchmarks mobile`.
"""
    print(f"{HEADING}\n\n{table}\nusable {ratio:.2f}×, readable {readable:.2f}× bare's first widget")
    write_section(HEADING, body)
