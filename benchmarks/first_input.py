"""Time from opening a worksheet link to the first usable input, in headless Chromium.

Ours: the "fight-or-make-it-right" worksheet served by ``coachkit serve``, opened with a real client's
link (a fresh client each run, so every run is a first visit: the client is found and a draft started).
Usable means the first option of the first question is visible and enabled. Baseline: a bare notebook
showing one ipywidgets button, served by plain ``voila``; usable means the button is visible and enabled.
The clock starts just before ``page.goto`` and stops when the browser reports the input usable (polled
every 20 ms). Each run uses a fresh browser context; the runs alternate between the servers (and which
goes first), after one unmeasured warm-up load on each. Each page's kernel is shut down after its run.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from benchmarks import cell_cost, servers
from benchmarks.report import machine, median, p90, write_section

RUNS = 7
PROBE_REPEATS = 5
HEADING = "Time to the first usable input"


async def measure(
    ours: servers.Server, bare: servers.Server
) -> tuple[list[servers.Opened], list[servers.Opened], str]:
    from playwright.async_api import async_playwright

    results: dict[str, list[servers.Opened]] = {ours.name: [], bare.name: []}
    async with async_playwright() as playwright:
        browser = await servers.launch_chromium(playwright)
        try:
            for server in (ours, bare):
                await servers.open_once(browser, server, 0)  # warm-up: first kernel, templates, caches
            for run in range(RUNS):
                order = (ours, bare) if run % 2 == 0 else (bare, ours)
                for server in order:
                    opened = await servers.open_once(browser, server, run + 1)
                    results[server.name].append(opened)
                    print(f"  run {run + 1}: {server.name} {opened.seconds:.2f} s", flush=True)
            browser_version = browser.version
        finally:
            await browser.close()
    return results[ours.name], results[bare.name], browser_version


def row(label: str, runs: list[servers.Opened]) -> str:
    seconds = [run.seconds for run in runs]
    first_byte = median([run.first_byte_ms for run in runs]) / 1000
    html_done = median([run.html_done_ms for run in runs]) / 1000
    megabytes = median([run.page_bytes for run in runs]) / 1e6
    return (
        f"| {label} | **{median(seconds):.2f} s** | {p90(seconds):.2f} s | "
        f"{min(seconds):.2f}–{max(seconds):.2f} s | {first_byte:.2f} s | {html_done:.2f} s | "
        f"{megabytes:.1f} MB |"
    )


PHASES = (
    "Voila prepares the page (to the first byte)",
    "the kernel starts and runs the notebook (to HTML complete)",
    "the browser loads the widgets' code and draws the widgets (to usable)",
)


def phases(runs: list[servers.Opened]) -> dict[str, float]:
    """Median seconds before the first byte, from it to the complete page, and from that to usable."""
    parts = [
        [run.first_byte_ms for run in runs],
        [run.html_done_ms - run.first_byte_ms for run in runs],
        [run.usable_ms - run.html_done_ms for run in runs],
    ]
    return {name: median(part) / 1000 for name, part in zip(PHASES, parts, strict=True)}


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as ours_dir,
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as bare_dir,
    ):
        with (
            servers.our_server(Path(ours_dir), RUNS + 1) as ours,
            servers.bare_server(Path(bare_dir)) as bare,
        ):
            our_runs, bare_runs, browser_version = asyncio.run(measure(ours, bare))
        probe_dir = Path(ours_dir) / "probe"
        probe_dir.mkdir()
        our_cell = cell_cost.probe("ours", probe_dir, servers.WORKSHEET, PROBE_REPEATS)
        bare_cell = cell_cost.probe("bare", probe_dir, servers.WORKSHEET, PROBE_REPEATS)
    ratio = median([r.seconds for r in our_runs]) / median([r.seconds for r in bare_runs])
    table = (
        "| page | median | p90 | fastest–slowest | first byte (median) | HTML complete (median) "
        "| loaded |\n|---|---:|---:|---:|---:|---:|---:|\n"
        f"{row('bare Voila: one button (`voila`, default settings)', bare_runs)}\n"
        f"{row('ours: fight-or-make-it-right, client link (`coachkit serve`)', our_runs)}\n"
    )
    cells = cell_cost.table(our_cell, bare_cell, "ms")
    verdict = "meets" if ratio <= 1.0 else "misses"
    ours_phases, bare_phases = phases(our_runs), phases(bare_runs)
    phase_table = "| part | bare | ours | difference |\n|---|---:|---:|---:|\n" + "".join(
        f"| {name} | {bare_phases[name]:.2f} s | {ours_phases[name]:.2f} s | "
        f"{ours_phases[name] - bare_phases[name]:+.2f} s |\n"
        for name in ours_phases
    )
    megabytes = median([run.page_bytes for run in our_runs]) / 1e6
    ours_cell_ms = sum(stage.seconds for stage in our_cell) * 1000
    bare_cell_ms = sum(stage.seconds for stage in bare_cell) * 1000
    sqlalchemy_ms = next(stage.seconds for stage in our_cell if stage.name == "import sqlalchemy") * 1000
    body = f"""
Opening a client's link until the first option can be clicked takes **{ratio:.2f}×** as long as opening a
bare Voila page until its one button can be clicked (ratio of medians, {RUNS} runs each). The goal is
as fast as bare Voila or faster (≤ 1.00×): this run {verdict} it.

{table}
*First byte*: the server has sent the top of the page (bare Voila once it has started the kernel; ours
at once, with the first step painted, before the kernel is handed the page). *HTML complete*: the
notebook has run in the kernel and the whole page has arrived (`DOMContentLoaded`). The rest, up to
usable, is the browser running the widgets' code, connecting to the kernel and drawing the widgets. Both
clocks are the browser's own, from the start of navigation. *Loaded*: the page and every file it
fetched, as sent (ours compressed, bare Voila uncompressed).

Where the cell's own time goes inside the kernel (a new process per probe, median of {PROBE_REPEATS}):

{cells}
**Notes.** The load in three parts (medians of the browser's milestones, so they need not add up to the
medians above exactly; differences of a tenth of a second are within the run-to-run spread):

{phase_table}
Bare Voila starts a new kernel process for every visit, then runs the notebook in it. Ours hands the
page a kernel started ahead (`coachkit serve --ready-kernels`, 2 by default), forked from the fork server
(`coachkit.forkserver`), which had already imported the worksheet's libraries: the cell's imports above
({sqlalchemy_ms:,.0f} ms of the {ours_cell_ms:,.0f} ms are SQLAlchemy's) and the kernel's own start are
done before the link is opened, and only the reads and the new draft are left (bare: a
{bare_cell_ms:,.0f} ms cell in a kernel that still has to start). The rest is the browser's: bare Voila's
JupyterLab-based front end (about 5 MB here), compiled and run in every fresh browser before it draws a
widget; ours, coachkit's own widget manager (ipywidgets' models and views on a small kernel connection,
{megabytes:.1f} MB with the page, compressed), which draws a larger tree of widgets hidden and lets it
take the painted step's place. On loopback compression costs a little server time and saves none; it
pays on a real link (see "First visit over a mobile link").

How it was measured: headless Chromium {browser_version} (Debian, the browser tests' flags), a fresh
context per run, 1280×800; the clock runs from just before `page.goto` until the input is visible and
enabled (polled every 20 ms in the page). {RUNS} runs per page, alternating between the two servers and
which goes first, after one unmeasured warm-up load each; each page's kernel is shut down after its run.
Both servers run at the same time, each in its own process group, with the same Python and kernels;
ours with every default of `coachkit serve` (the code gate, ready kernels, compression, reclaiming, no
tracebacks, kernels on unix sockets), bare with Voila's defaults. Each run waits until the previous
page's kernel has ended and ours has its ready kernels again.

Measured {machine()}.

Run again with `make bench` or `python -m benchmarks first_input`.
"""
    print(f"{HEADING}\n\n{table}\n{cells}\nratio of medians: {ratio:.2f}×")
    write_section(HEADING, body)
