"""A slow phone: the same page with Chromium's CPU slowed four times, against the same page at full speed.

A cheap phone runs a page's JavaScript several times slower than this machine does. Chromium can emulate
that (DevTools ``Emulation.setCPUThrottlingRate``): every task on the page's main thread takes four
times as long. The page is opened as in ``first_input`` (a phone's screen, no network emulation, the
clock from ``page.goto`` to the first usable input), with and without the slowdown, alternating; the
bare one-button Voila page the same way, for comparison.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from benchmarks import servers
from benchmarks.report import machine, median, write_section

RUNS = 5
RATE = 4
GOAL = 2.0
HEADING = "A slow phone"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}


async def slow_cpu(context, page) -> None:  # type: ignore[no-untyped-def]
    session = await context.new_cdp_session(page)
    await session.send("Emulation.setCPUThrottlingRate", {"rate": RATE})


async def measure(ours: servers.Server, bare: servers.Server) -> dict[tuple[str, bool], list[servers.Opened]]:
    from playwright.async_api import async_playwright

    found: dict[tuple[str, bool], list[servers.Opened]] = {}
    number = 0
    async with async_playwright() as playwright:
        browser = await servers.launch_chromium(playwright)
        try:
            for server in (ours, bare):
                await servers.open_once(browser, server, number, PHONE)  # warm-up
                number += 1
            for run in range(RUNS):
                for server in (ours, bare) if run % 2 == 0 else (bare, ours):
                    for slow in (False, True) if run % 2 == 0 else (True, False):
                        prepare = slow_cpu if slow else None
                        opened = await servers.open_once(browser, server, number, PHONE, prepare)
                        number += 1
                        found.setdefault((server.name, slow), []).append(opened)
                        speed = f"CPU {RATE}× slower" if slow else "full speed"
                        print(f"  run {run + 1}: {server.name}, {speed}: {opened.seconds:.2f} s", flush=True)
        finally:
            await browser.close()
    return found


def row(label: str, fast: list[servers.Opened], slow: list[servers.Opened]) -> str:
    fast_s, slow_s = [r.seconds for r in fast], [r.seconds for r in slow]
    return (
        f"| {label} | {median(fast_s):.2f} s ({min(fast_s):.2f}–{max(fast_s):.2f}) | "
        f"{median(slow_s):.2f} s ({min(slow_s):.2f}–{max(slow_s):.2f}) | "
        f"**{median(slow_s) / median(fast_s):.2f}×** |"
    )


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as ours_dir,
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as bare_dir,
        servers.our_server(Path(ours_dir), 4 * RUNS + 2) as ours,
        servers.bare_server(Path(bare_dir)) as bare,
    ):
        found = asyncio.run(measure(ours, bare))
    ours_ratio = median([r.seconds for r in found[(ours.name, True)]]) / median(
        [r.seconds for r in found[(ours.name, False)]]
    )
    bare_ratio = median([r.seconds for r in found[(bare.name, True)]]) / median(
        [r.seconds for r in found[(bare.name, False)]]
    )
    table = (
        f"| page | full speed (median, fastest–slowest) | CPU {RATE}× slower | slower by |\n"
        "|---|---:|---:|---:|\n"
        f"{row('bare Voila: one button (`voila`)', found[(bare.name, False)], found[(bare.name, True)])}\n"
        f"{row('ours: fight-or-make-it-right', found[(ours.name, False)], found[(ours.name, True)])}\n"
    )
    verdict = "meets" if ours_ratio <= GOAL else "misses"
    body = f"""
With Chromium's CPU slowed {RATE} times, a client's worksheet is usable after **{ours_ratio:.2f}×** its
time at full speed (bare Voila's page: {bare_ratio:.2f}×; medians of {RUNS} runs each). The goal is
within {GOAL:.0f}× (≤ {GOAL:.2f}×): this run {verdict} it.

{table}
Only the browser's work slows down; the server, the kernel and the loopback link run as fast as ever, so
the ratio shows how much of the wait is the page's own JavaScript. Ours runs coachkit's small widget
manager, whose start-up is cut into short tasks; bare Voila compiles and runs its JupyterLab-based front
end (about 4.9 MB) before it draws anything.

How it was measured: headless Chromium (Debian, the browser tests' flags), a fresh context per run
(390×844, a phone), `Emulation.setCPUThrottlingRate` {RATE} on the page's DevTools session for the slow
runs; the clock runs from just before `page.goto` until the first input is visible and enabled (polled
every 20 ms). {RUNS} runs of each of the four, alternating servers and speeds, after one unmeasured
warm-up each; each page's kernel is ended after its run. Both servers run at the same time.

Measured {machine()}.

Run again with `make bench` or `python -m benchmarks slow_phone`.
"""
    print(f"{HEADING}\n\n{table}")
    write_section(HEADING, body)
