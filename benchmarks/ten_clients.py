"""Ten clients opening worksheets at once: time until all ten have a usable input.

Ten browser contexts (one browser) open their links at the same moment (Playwright's async API,
``asyncio.gather``) against one server: ours, ten fresh clients' fight worksheet links on
``coachkit serve``; the baseline, ten pages of the bare one-button notebook on plain ``voila``. The
clock starts just before the ten ``page.goto`` calls and stops when the last page's input is visible and
enabled. A page that comes up blank (Voila lost the cell's output) is reloaded, as a client would, with
the clock running, and counted. The runs alternate between the servers, after one unmeasured
single-page warm-up each; all ten kernels are shut down after each run.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from benchmarks import servers
from benchmarks.report import machine, median, write_section

CLIENTS = 10
RUNS = 3
GOAL = 0.9
"""Ten pages at once usable within this share of the time ten bare pages take."""
HEADING = "Ten clients opening worksheets at once"


@dataclass
class Crowd:
    """One run: seconds until all pages were usable, each page's own seconds, blank pages, CPU by whom."""

    seconds: float
    pages: list[float]
    blanks: int
    cpu: dict[str, float]
    memory: float
    """MiB in memory for the server and everything it started (summed PSS), all ten pages open."""


def memory_in_use(server: servers.Server) -> float:
    """The server's and its descendants' memory in MiB: their PSS summed, so that pages shared between
    processes (a forked kernel's with the fork server's) count once in all."""
    root = psutil.Process(server.process.pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        try:
            total += process.memory_full_info().pss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    """User and system CPU seconds so far, by process id (processes that have gone are left out)."""
    found = {}
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        found[process.pid] = times.user + times.system
    return found


def chromium_processes() -> list[psutil.Process]:
    children = psutil.Process(os.getpid()).children(recursive=True)
    found = []
    for child in children:
        try:
            if "chrom" in child.name():
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


def cpu_by_whom(server: servers.Server) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the kernels, the Voila server process itself, and Chromium's processes."""
    return {
        "kernels": cpu_seconds(server.kernels()),
        "Voila server": cpu_seconds([psutil.Process(server.process.pid)]),
        "Chromium": cpu_seconds(chromium_processes()),
    }


def cpu_spent(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
    return {
        whom: sum(seconds - before[whom].get(pid, 0.0) for pid, seconds in after[whom].items())
        for whom in after
    }


async def open_ten(browser, server: servers.Server, first: int) -> Crowd:  # type: ignore[no-untyped-def]
    contexts = [await browser.new_context(viewport={"width": 390, "height": 844}) for _ in range(CLIENTS)]
    try:
        pages = [await context.new_page() for context in contexts]
        before = cpu_by_whom(server)
        started = time.perf_counter()
        opened = await asyncio.gather(
            *(servers.open_until_usable(page, server, first + n) for n, page in enumerate(pages))
        )
        seconds = time.perf_counter() - started
        cpu = cpu_spent(before, cpu_by_whom(server))
        memory = memory_in_use(server)
        await asyncio.gather(*(servers.shut_down_kernel(page) for page in pages))
    finally:
        for context in contexts:
            await context.close()
    await servers.wait_for_no_kernels(server, timeout=60)
    await asyncio.sleep(1)  # let the server and the disk go quiet before the next run
    pages_seconds = sorted(page.seconds for page in opened)
    return Crowd(seconds, pages_seconds, sum(page.blanks for page in opened), cpu, memory)


async def measure(ours: servers.Server, bare: servers.Server) -> tuple[list[Crowd], list[Crowd]]:
    from playwright.async_api import async_playwright

    found: dict[str, list[Crowd]] = {ours.name: [], bare.name: []}
    async with async_playwright() as playwright:
        browser = await servers.launch_chromium(playwright)
        try:
            for server in (ours, bare):  # warm-up: one page each
                context = await browser.new_context()
                page = await context.new_page()
                await servers.open_until_usable(page, server, 0)
                await servers.shut_down_kernel(page)
                await context.close()
                await servers.wait_for_no_kernels(server)
            for run in range(RUNS):
                for server in (ours, bare) if run % 2 == 0 else (bare, ours):
                    crowd = await open_ten(browser, server, 1 + run * CLIENTS)
                    found[server.name].append(crowd)
                    spent = ", ".join(f"{whom} {seconds:.1f}" for whom, seconds in crowd.cpu.items())
                    print(
                        f"  run {run + 1}: {server.name} {crowd.seconds:.1f} s (CPU s: {spent})", flush=True
                    )
        finally:
            await browser.close()
    return found[ours.name], found[bare.name]


def row(label: str, crowds: list[Crowd]) -> str:
    runs = ", ".join(f"{crowd.seconds:.1f}" for crowd in crowds)
    first = median([crowd.pages[0] for crowd in crowds])
    middle = median([median(crowd.pages) for crowd in crowds])
    return (
        f"| {label} | **{median([crowd.seconds for crowd in crowds]):.1f} s** | {runs} s | {first:.1f} s | "
        f"{middle:.1f} s | {sum(crowd.blanks for crowd in crowds)} |"
    )


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as ours_dir,
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as bare_dir,
    ):
        clients = 1 + RUNS * CLIENTS
        with servers.our_server(Path(ours_dir), clients) as ours, servers.bare_server(Path(bare_dir)) as bare:
            our_crowds, bare_crowds = asyncio.run(measure(ours, bare))
    ours_all = median([crowd.seconds for crowd in our_crowds])
    bare_all = median([crowd.seconds for crowd in bare_crowds])
    ratio = ours_all / bare_all
    blanks = sum(crowd.blanks for crowd in our_crowds + bare_crowds)
    table = (
        "| server | all ten usable (median) | each run | first page usable | median page usable "
        "| blank pages reloaded |\n|---|---:|---:|---:|---:|---:|\n"
        f"{row('bare Voila: 10 × one button (`voila`)', bare_crowds)}\n"
        f"{row('ours: 10 clients × fight-or-make-it-right (`coachkit serve`)', our_crowds)}\n"
    )
    ours_cpu = {whom: median([crowd.cpu[whom] for crowd in our_crowds]) for whom in our_crowds[0].cpu}
    bare_cpu = {whom: median([crowd.cpu[whom] for crowd in bare_crowds]) for whom in bare_crowds[0].cpu}
    cpu_table = "| server | " + " | ".join(f"CPU: {whom}" for whom in ours_cpu) + " | CPU: total |\n"
    cpu_table += "|---|" + "---:|" * (len(ours_cpu) + 1) + "\n"
    for label, spent in (("bare Voila", bare_cpu), ("ours", ours_cpu)):
        cpu_table += f"| {label} | " + " | ".join(f"{seconds:.1f} s" for seconds in spent.values())
        cpu_table += f" | {sum(spent.values()):.1f} s |\n"
    ours_server = ours_cpu["kernels"] + ours_cpu["Voila server"]
    bare_server = bare_cpu["kernels"] + bare_cpu["Voila server"]
    share = ours_cpu["Chromium"] / sum(ours_cpu.values())
    bare_share = bare_cpu["Chromium"] / sum(bare_cpu.values())
    cpu_note = f"""Chromium drawing the ten pages took {share:.0%} of the CPU time for ours
({bare_share:.0%} for bare): each fresh context loads, compiles and runs the page's JavaScript from
scratch (bare Voila's JupyterLab-based front end, about 5 MB; ours, coachkit's widget manager, a tenth
of that compressed), and here the ten browsers share the two cores with the server, as real clients'
phones would not. So the wall-clock times overstate what a client waits. The server's side alone, ten
kernels plus Voila itself, took {ours_server:.1f} CPU seconds for ours against {bare_server:.1f} for bare
(**{ours_server / bare_server:.2f}×**): each of ours finds the client, opens the store and starts a draft,
and the server paints each page's first step and compresses what it sends (which pays on a real network,
not on loopback). Our kernels are forked from the fork server, which has imported ipykernel, SQLAlchemy
and coachkit once, so each kernel starts with them imported; two of the ten pages get kernels
started ahead (`--ready-kernels`). The pages become usable close
together because the kernels start together and share the cores evenly."""
    ours_memory = median([crowd.memory for crowd in our_crowds])
    bare_memory = median([crowd.memory for crowd in bare_crowds])
    memory_note = f"""In memory with the ten pages open, the server and everything it had started (its
kernels, and ours its ready kernels and the fork server; PSS summed, so that pages shared between
processes count once): **{ours_memory:,.0f} MiB** for ours against **{bare_memory:,.0f} MiB** for bare Voila
(**{ours_memory / bare_memory:.2f}×**, medians of the runs)."""
    blank_note = (
        "No page came up blank."
        if blanks == 0
        else f"{blanks} page(s) came up blank (the cell's output never reached the page) and were reloaded; "
        "for ours, see `IOPUB_TIMEOUT_SECONDS` in `coachkit/serve.py`."
    )
    verdict = "meets" if ratio <= GOAL else "misses"
    body = f"""
Ten clients opening their links at the same moment all have a usable first input after
**{ours_all:.1f} s**, against **{bare_all:.1f} s** for ten bare one-button pages on plain Voila:
**{ratio:.2f}×** (medians of {RUNS} runs). The goal is ≤ {GOAL:.2f}×: this run {verdict} it. {blank_note}

{table}
Where the two cores went while the ten pages opened (CPU seconds from the start of the run until the last
page was usable, each the median of the runs; two cores give at most twice the wall-clock time):

{cpu_table}
{cpu_note}

{memory_note}

How it was measured: headless Chromium (Debian, the browser tests' flags), ten fresh contexts 390×844
(a phone) per run, one browser; the clock runs from just before the ten `page.goto` calls (started
together with `asyncio.gather`) until the last page's input is visible and enabled (polled every 20 ms
in each page). "First page" and "median page" are the times at which the fastest and the middle page
became usable (medians over the runs). {RUNS} runs per server, alternating, after one unmeasured
single-page warm-up each; all pages' kernels end between runs (ours then has its ready kernels again).
Both servers run at the same time; ours with every default of `coachkit serve`.

Measured {machine()}.

Run again with `make bench` or `python -m benchmarks ten_clients`.
"""
    print(f"{HEADING}\n\n{table}\n{cpu_table}\n{memory_note}\nratio of medians: {ratio:.2f}×")
    write_section(HEADING, body)
