"""Memory of one client's kernel: the fight worksheet's kernel against the bare notebook's.

Each run opens a page in a fresh browser context (ours: a fresh client's link), waits until it is
usable, lets it settle for 2 s, then reads the resident set size (RSS) of the page's kernel: the
server's descendant process running ``ipykernel_launcher`` whose command line names the page's kernel
id. Its unique set size (USS: the pages no other process shares, i.e. what one more client really adds)
and proportional set size (PSS: shared pages divided among the processes sharing them) are noted too.
Our kernels are forked from the fork server (``coachkit.forkserver``), whose own memory, paid once per
server, is noted beside them. The runs alternate between the servers; each kernel is shut down after
its run.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psutil

from benchmarks import cell_cost, servers
from benchmarks.report import machine, median, write_section

RUNS = 5
SETTLE_SECONDS = 2
PROBE_REPEATS = 3
GOAL = 1.15
HEADING = "Memory of one client's kernel"
MIB = 1024 * 1024


@dataclass
class Kernel:
    rss: float
    uss: float
    pss: float
    peak: float
    """The most address space it ever had (``VmPeak``): what ``--kernel-memory-mb`` limits."""
    fork_server: float | None = None
    """The RSS of the process it was forked from, if it was forked (ours); ``None`` otherwise."""


def fork_server_rss(process: psutil.Process) -> float | None:
    """The RSS of the fork server ``process`` was forked from, or None if it was started on its own."""
    parent = process.parent()
    if parent is None or "coachkit.forkserver" not in " ".join(parent.cmdline()):
        return None
    return parent.memory_info().rss / MIB


def address_space_peak(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def measure_one(browser, server: servers.Server, number: int) -> Kernel:  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = await context.new_page()
        opened = await servers.open_until_usable(page, server, number)
        await asyncio.sleep(SETTLE_SECONDS)
        process = server.kernel(opened.kernel_id)
        memory = process.memory_full_info()
        kernel = Kernel(
            memory.rss / MIB,
            memory.uss / MIB,
            memory.pss / MIB,
            address_space_peak(process.pid),
            fork_server_rss(process),
        )
        await servers.shut_down_kernel(page)
    finally:
        await context.close()
    await servers.wait_for_no_kernels(server)
    return kernel


async def measure(ours: servers.Server, bare: servers.Server) -> tuple[list[Kernel], list[Kernel]]:
    from playwright.async_api import async_playwright

    found: dict[str, list[Kernel]] = {ours.name: [], bare.name: []}
    async with async_playwright() as playwright:
        browser = await servers.launch_chromium(playwright)
        try:
            for run in range(RUNS):
                for server in (ours, bare) if run % 2 == 0 else (bare, ours):
                    kernel = await measure_one(browser, server, run)
                    found[server.name].append(kernel)
                    print(f"  run {run + 1}: {server.name} {kernel.rss:.1f} MiB", flush=True)
        finally:
            await browser.close()
    return found[ours.name], found[bare.name]


DEBUGGER_PROBE = """
import ipykernel.ipkernel, ipykernel.kernelapp
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
before = rss()
import ipykernel.debugger  # what an ipykernel kernel loads as it starts, unless debugpy is missing
print(rss() - before)
"""


def debugger_mib() -> float:
    """Resident memory ipykernel's debugger (debugpy, pydevd) adds to a kernel (median of 3 processes)."""
    runs = []
    for _ in range(3):
        result = subprocess.run(
            [sys.executable, "-c", DEBUGGER_PROBE], capture_output=True, text=True, check=True
        )
        runs.append(float(result.stdout.split()[-1]))
    return median(runs)


def row(label: str, kernels: list[Kernel]) -> str:
    rss = [kernel.rss for kernel in kernels]
    return (
        f"| {label} | **{median(rss):.1f} MiB** | {min(rss):.1f}–{max(rss):.1f} MiB | "
        f"{median([kernel.uss for kernel in kernels]):.1f} MiB | "
        f"{median([kernel.pss for kernel in kernels]):.1f} MiB | "
        f"{max(kernel.peak for kernel in kernels):.0f} MiB |"
    )


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as ours_dir,
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as bare_dir,
    ):
        with servers.our_server(Path(ours_dir), RUNS) as ours, servers.bare_server(Path(bare_dir)) as bare:
            our_kernels, bare_kernels = asyncio.run(measure(ours, bare))
        probe_dir = Path(ours_dir) / "probe"
        probe_dir.mkdir()
        our_cell = cell_cost.probe("ours", probe_dir, servers.WORKSHEET, PROBE_REPEATS)
        bare_cell = cell_cost.probe("bare", probe_dir, servers.WORKSHEET, PROBE_REPEATS)
    debugger = debugger_mib()
    ours_rss = median([kernel.rss for kernel in our_kernels])
    bare_rss = median([kernel.rss for kernel in bare_kernels])
    ratio = ours_rss / bare_rss
    uss_ratio = median([k.uss for k in our_kernels]) / median([k.uss for k in bare_kernels])
    forked = [kernel.fork_server for kernel in our_kernels if kernel.fork_server is not None]
    table = (
        "| kernel | RSS (median) | RSS, smallest–largest run | USS (median) | PSS (median) "
        "| address space at most |\n"
        "|---|---:|---:|---:|---:|---:|\n"
        f"{row('bare Voila: one button', bare_kernels)}\n"
        f"{row('ours: fight-or-make-it-right, client link', our_kernels)}\n"
    )
    cells = cell_cost.table(our_cell, bare_cell, "MiB")
    sqlalchemy = next(stage.mib for stage in our_cell if stage.name == "import sqlalchemy")
    verdict = "meets" if ratio <= GOAL else "misses"
    fork_server = (
        f"{len(forked)} of {len(our_kernels)} of our kernels were forked from the fork server, itself "
        f"{median(forked):.1f} MiB resident (once per server, shared with every kernel it forks)."
        if forked
        else "None of our kernels was forked (no fork server: not Linux, or it failed to start)."
    )
    body = f"""
One client's kernel takes **{ratio:.2f}×** the resident memory of the bare notebook's kernel
({ours_rss - bare_rss:+.1f} MiB: {ours_rss:.1f} against {bare_rss:.1f} MiB, medians of {RUNS} runs), and
{uss_ratio:.2f}× its unique memory (USS: what one more client really adds). The goal is within 15%
(≤ {GOAL:.2f}×): this run {verdict} it.

{table}
{fork_server}

Why: a client's kernel is forked from one process per server that has already imported what every
client's page needs (`coachkit.forkserver`: ipykernel, ipywidgets, SQLAlchemy, the store, the pages and
the worksheets' reading and translations). The pages of what it imported are shared, copy on write, by
every kernel forked from it, so a kernel's own (unique) memory is what its client's page makes and
changes. Its RSS counts the shared pages it uses as well, so RSS is the figure to compare with the bare
kernel's, and USS what each more client costs the machine.

What a kernel would take without the fork server (macOS, or a fork server that failed to start: the
kernel is then started as its own process), stage by stage in a fresh process that has imported
`ipykernel` as a kernel has (median of {PROBE_REPEATS}; resident memory is counted in pages, so small
stages round):

{cells}
Started that way, it would be SQLAlchemy ({sqlalchemy:+.1f} MiB on import) and coachkit's own modules (the
worksheet files read, YAML, the `regex` patterns some worksheets refuse answers with) that made the
difference. A client's kernel also starts without ipykernel's debugger (`coachkit.ipykernel_launcher`:
debugpy and pydevd, {debugger:.1f} MiB that bare Voila's kernel loads as it starts, for JupyterLab's visual
debugger, which a client's page never uses and Voila's websocket would not let through), and SQLAlchemy's
PostgreSQL dialect is loaded only for a store on PostgreSQL.

A kernel is a whole Python process (Python, IPython, ZeroMQ, ipykernel, ipywidgets), so the fixed part is
large; on a server, the number of kernels alive at once matters more than either figure. `coachkit
serve` ends a page's kernel soon after the page closes (see "Kernels: reclaimed after their page, capped
under a flood"), and keeps `--ready-kernels` (2) started ahead.

The last column is the most address space the kernel ever had (`VmPeak`), which is what a client's
kernel is limited to (`--kernel-memory-mb`, 512 MiB by default; `RLIMIT_AS`). It is far above what is in
memory: glibc reserves an arena of 64 MiB for each thread that allocates. Our kernels run with
`MALLOC_ARENA_MAX=2`, which keeps the address space near what is used (the bare Voila kernel runs
without it), so that the limit can sit at about twice what a worksheet's kernel needs.

How it was measured: RSS, USS and PSS with psutil (`/proc/<pid>/status` and `smaps`), and `VmPeak` from
`/proc/<pid>/status`, of the page's kernel, {SETTLE_SECONDS} s after its first input became usable;
{RUNS} runs per page, alternating between the two servers, a fresh browser context each, with both
servers running at the same time.

Measured {machine()}.

Run again with `make bench` or `python -m benchmarks kernel_memory`.
"""
    print(f"{HEADING}\n\n{table}\n{cells}\nratio of medians: {ratio:.2f}× (RSS), {uss_ratio:.2f}× (USS)")
    write_section(HEADING, body)
