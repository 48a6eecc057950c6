"""What each notebook's one cell costs inside a kernel, stage by stage: seconds and resident memory.

A fresh Python process imports ``ipykernel`` (as a kernel has before it runs a cell), then runs the cell
in stages, noting the clock and ``VmRSS`` after each. Widgets are created without a browser (ipywidgets
falls back to a dummy comm), so the figures leave out sending them; they show where the cell's own time
and memory go. Each probe runs in a new process, ``repeats`` times; the figures are medians.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from coachkit.store import Store

PROBE = """
import json, sys, time

def mark(stage):
    with open("/proc/self/status") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    marks.append((stage, time.perf_counter(), kib / 1024))

marks = []
import ipykernel.ipkernel  # a kernel has this (and IPython, zmq, ...) loaded before any cell runs
mark("kernel ready")
import ipywidgets as w
mark("import ipywidgets")
if sys.argv[1] == "ours":
    import sqlalchemy
    mark("import sqlalchemy")
    from coachkit.ui import open_client_page
    from coachkit.store import Store
    mark("import the rest of coachkit")
    store = Store()
    mark("open the store")
    page = open_client_page(store)  # the session named in QUERY_STRING, as the server sets it
    assert page.state == "in the worksheet", page.state
    mark("build the first page (reads and a new draft)")
else:
    w.Button(description="Go")
    mark("build the button")
print(json.dumps(marks))
"""


@dataclass
class Stage:
    name: str
    seconds: float
    mib: float


def probe(kind: str, folder: Path, worksheet_id: str, repeats: int) -> list[Stage]:
    """Median cost of each stage of ``kind``'s cell ("ours" or "bare"), each run in a new process."""
    database_url = f"sqlite:///{folder / 'probe.sqlite'}"
    store = Store(database_url)
    clients = [store.add_client(f"Probe Client{number}") for number in range(repeats)]
    sessions = [store.start_session(client.id, worksheet_id)[0].id for client in clients]  # a link, opened
    store.close()
    runs = []
    for session in sessions:
        env = {**os.environ, "COACHKIT_DATABASE_URL": database_url, "QUERY_STRING": f"session={session}"}
        result = subprocess.run(
            [sys.executable, "-c", PROBE, kind, worksheet_id],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    stages = []
    for index in range(1, len(runs[0])):
        name = runs[0][index][0]
        seconds = statistics.median(run[index][1] - run[index - 1][1] for run in runs)
        mib = statistics.median(run[index][2] - run[index - 1][2] for run in runs)
        stages.append(Stage(name, seconds, mib))
    return stages


def table(ours: list[Stage], bare: list[Stage], unit: str) -> str:
    """A Markdown table of both cells' stages in ``unit`` ("ms" or "MiB"), with their totals."""

    def figure(stage: Stage) -> str:
        return f"{stage.seconds * 1000:,.0f} ms" if unit == "ms" else f"{stage.mib:+,.1f} MiB"

    def total(stages: list[Stage]) -> str:
        if unit == "ms":
            return f"**{sum(s.seconds for s in stages) * 1000:,.0f} ms**"
        return f"**{sum(s.mib for s in stages):+,.1f} MiB**"

    rows = [f"| cell | stage | {'time' if unit == 'ms' else 'resident memory added'} |", "|---|---|---:|"]
    for label, stages in (("bare", bare), ("ours", ours)):
        rows += [f"| {label} | {stage.name} | {figure(stage)} |" for stage in stages]
        rows.append(f"| {label} | total | {total(stages)} |")
    return "\n".join(rows) + "\n"
