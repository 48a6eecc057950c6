"""Writing one benchmark's section of ``docs/performance.md``, leaving every other section as it is."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sqlite3
import statistics
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from benchmarks import load

PERFORMANCE_MD = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
TITLE = """# Performance

Measured by `make bench` (`python -m benchmarks [NAME …]`); each benchmark writes its own section.

**How to read this.** Every figure is a ratio against a baseline measured in the same run, on the same
machine, interleaved with ours so that both see the same load: 1.00× means "as fast (or as small) as the
baseline", 2.00× "twice as long (or as big)". The baselines are the simplest thing of the same kind: a
bare Voila page showing one ipywidgets button, served by plain `voila`; a raw `sqlite3` insert; reading
the raw table with pandas. Absolute times depend on the machine (here two cores, shared by the server,
the kernels and Chromium), so compare ratios between runs, not seconds, and expect a browser ratio to
move by a tenth or so from run to run. A median is the middle run; p90 is the time only one run in ten
exceeds (with seven runs, it lies between the two slowest). Each section says what was measured, how
many times, on what machine and when, and how busy other processes kept the machine meanwhile (figures
taken on a busy machine are noisier; run `make bench` again on a quiet one to compare).
"""


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return float("nan")


def machine() -> str:
    """One line on where and when the figures were measured, and how busy the machine was otherwise."""
    return (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {cpu_model()}, {os.cpu_count()} cores, "
        f"{ram_gib():.0f} GiB RAM; {platform.platform()}; Python {platform.python_version()}, "
        f"Voila {version('voila')}, ipywidgets {version('ipywidgets')}, ipykernel {version('ipykernel')}, "
        f"pandas {version('pandas')}, SQLAlchemy {version('sqlalchemy')}, SQLite {sqlite3.sqlite_version}"
        f"{load.describe()}"
    )


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p90(values: Sequence[float]) -> float:
    """The 90th percentile (linear between the runs; with 7 runs, between the two slowest)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def unwrap(text: str) -> str:
    """Join each paragraph's lines into one (tables, lists and headings stay as they are).

    Bodies are written wrapped to fit the source's line length; in the document a paragraph is one line.
    """
    blocks = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        if any(line.lstrip().startswith(("|", "- ", "* ", "#")) for line in lines):
            blocks.append(block)
        else:
            blocks.append(" ".join(line.strip() for line in lines))
    return "\n\n".join(blocks) + "\n"


def write_section(heading: str, body: str, path: Path = PERFORMANCE_MD) -> None:
    """Put ``## heading`` and ``body`` into the file, replacing that section if it is there.

    The text above the first section is always rewritten from ``TITLE``, so it stays current.
    """
    text = path.read_text() if path.exists() else TITLE
    first = re.search(r"^## ", text, re.MULTILINE)
    text = unwrap(TITLE) + ("\n" + text[first.start() :] if first else "")
    section = f"## {heading}\n\n{unwrap(body)}"
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
