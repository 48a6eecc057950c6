"""Kernels after their pages close, and the ceiling under a flood of page loads.

1. Closed pages: five clients' pages are opened in Chromium, then closed: three tabs simply vanish
   (no request at all, as when a phone kills a tab), two navigate away (the page's beacon to Voila's
   "closing" address is sent as it hides). Kernel processes are counted until 60 s after the last page closed.
2. A flood: a server with a small ceiling (``--max-kernels``) gets many page loads from signed-in
   clients at once (each opened a link over plain HTTP first; then their pages are asked for at once,
   as a script would, and none ever connects its websocket). The number of kernel processes is sampled
   throughout, and a real client opens their link in Chromium in the middle of it.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from benchmarks import servers
from benchmarks.report import machine, median, write_section

HEADING = "Kernels: reclaimed after their page, capped under a flood"
PAGES = 5
CEILING = 6
FLOOD = 24
AFTER_SECONDS = 60


async def closed_pages(server: servers.Server) -> tuple[list[float], int]:
    """Seconds from each page's closing to its kernel's end, and kernels left 60 s after the last."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await servers.launch_chromium(playwright)
        try:
            contexts = [await browser.new_context() for _ in range(PAGES)]
            for context in contexts[:3]:  # a tab that vanishes never says goodbye (its beacon as it hides)
                await context.add_init_script("navigator.sendBeacon = () => true;")
            pages = [await context.new_page() for context in contexts]
            opened = [await servers.open_until_usable(page, server, n) for n, page in enumerate(pages)]
            processes = {o.kernel_id: server.kernel(o.kernel_id) for o in opened}
            closed_at = {}
            for n, (page, o) in enumerate(zip(pages, opened, strict=True)):
                if n < 3:
                    await page.close(run_before_unload=False)  # vanishes: no request
                else:
                    await page.goto(server.base_url + "/")  # navigates away: the page's beacon
                closed_at[o.kernel_id] = time.monotonic()
            last = time.monotonic()
            gone: dict[str, float] = {}
            while time.monotonic() - last < AFTER_SECONDS:
                for kernel_id, process in processes.items():
                    if kernel_id not in gone and not process.is_running():
                        gone[kernel_id] = time.monotonic() - closed_at[kernel_id]
                await asyncio.sleep(0.25)
            left = sum(1 for process in processes.values() if process.is_running())
            for context in contexts:
                await context.close()
        finally:
            await browser.close()
    return [gone.get(kernel_id, float("inf")) for kernel_id in processes], left


def flood(server: servers.Server) -> dict:
    """FLOOD page loads at once; kernel processes sampled every 50 ms; a real client in the middle."""
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], len(server.kernels()))

    statuses: list[int] = []
    cookies = {number: server.sign_in(number) for number in range(1, FLOOD + 1)}  # no kernel yet

    def load(number: int) -> None:
        request = urllib.request.Request(server.page(), headers={"Cookie": cookies[number]})
        try:
            with urllib.request.urlopen(request, timeout=180) as response:
                response.read()
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    threads = [threading.Thread(target=load, args=(n,)) for n in range(1, FLOOD + 1)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    real = asyncio.run(real_client(server, FLOOD + 1))
    for thread in threads:
        thread.join()
    done.set()
    sampler.join()
    return {"peak": peak[0], "statuses": statuses, **real}


async def real_client(server: servers.Server, number: int) -> dict:
    """A client opens their link mid-flood: what they get and how soon, then when it is usable (trying
    again every 5 s, as the busy page asks)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await servers.launch_chromium(playwright)
        try:
            context = await browser.new_context(viewport={"width": 390, "height": 844})
            page = await context.new_page()
            link = server.link(number)
            started = time.perf_counter()
            async with page.expect_response(lambda answer: answer.url == server.page()) as answered:
                await servers.follow_link(page, link)
            response = await answered.value
            first = (response.status, time.perf_counter() - started)
            while response is None or response.status != 200:
                if time.perf_counter() - started > 180:
                    raise TimeoutError("the real client never got a worksheet")
                await asyncio.sleep(5)
                response = await page.goto(server.page(), wait_until="commit")  # "Try again"
            await page.wait_for_function(servers.USABLE, arg=server.selector, polling=20, timeout=120_000)
            usable = time.perf_counter() - started
            await context.close()
        finally:
            await browser.close()
    return {"real_status": first[0], "real_seconds": first[1], "real_usable": usable}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-") as folder:
        with servers.our_server(Path(folder) / "a", PAGES) as ours:
            delays, left = asyncio.run(closed_pages(ours))
        arguments = ("--max-kernels", str(CEILING), "--ready-kernels", "0", "--reclaim-after-seconds", "10")
        with servers.our_server(Path(folder) / "b", FLOOD + 2, *arguments) as capped:
            flooded = flood(capped)
    vanished, navigated = delays[:3], delays[3:]
    statuses = flooded["statuses"]
    worksheets, busy = statuses.count(200), statuses.count(503)
    table = (
        "| what | figure |\n|---|---:|\n"
        f"| kernels left {AFTER_SECONDS} s after {PAGES} pages closed | **{left}** |\n"
        f"| tab vanished (no request): seconds until its kernel ended (median, slowest) | "
        f"{median(vanished):.1f} s, {max(vanished):.1f} s |\n"
        f"| navigated away (the page's beacon): seconds until its kernel ended (median, slowest) | "
        f"{median(navigated):.1f} s, {max(navigated):.1f} s |\n"
        f"| flood of {FLOOD} page loads, ceiling {CEILING}: most kernels alive at once "
        f"| **{flooded['peak']}** |\n"
        f"| flood: worksheets sent, busy pages sent | {worksheets}, {busy} |\n"
        f"| a real client mid-flood: answer, after | {flooded['real_status']}, "
        f"{flooded['real_seconds']:.2f} s |\n"
    )
    usable = flooded["real_usable"]
    table += f"| the same client, trying again every 5 s: worksheet usable after | {usable:.0f} s |\n"
    body = f"""
{PAGES} clients' pages closed: **{left} kernels left** {AFTER_SECONDS} s later. Under a flood of {FLOOD}
page loads against a ceiling of {CEILING}, at most **{flooded["peak"]}** kernels were alive at once.

{table}
A tab that vanishes sends nothing; its kernel goes once its websocket has been closed for
`--reclaim-after-seconds` (30 s by default), checked every 5 s. A page that navigates away sends a
beacon as it hides (to Voila's "closing" address), which the server accepts: its kernel goes at the
next check. During the flood the real client got an answer at once: the kind "busy" page (HTTP 503, no
kernel) while all {CEILING} kernels were taken, then their worksheet once the flood's pages (which
never connect) were reclaimed, 10 s after they were sent in this run. Nothing already open is touched
by the ceiling.

How it was measured: the closed pages in headless Chromium (fresh contexts), kernel processes watched
every 0.25 s; the flood as {FLOOD} concurrent HTTP requests from distinct signed-in clients against
`coachkit serve --max-kernels {CEILING} --ready-kernels 0 --reclaim-after-seconds 10`, kernel processes
sampled every 50 ms; the real client opened its link 1 s into the flood.

Measured {machine()}.

Run again with `make bench` or `python -m benchmarks lifetimes`.
"""
    print(f"{HEADING}\n\n{table}")
    write_section(HEADING, body)
