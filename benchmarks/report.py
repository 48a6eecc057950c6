"""Writing one benchmark's section of ``docs/performance.md``, leaving every other section as it is."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sqlite3
from importlib.metadata import version
from pathlib import Path

PERFORMANCE_MD = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
TITLE = "# Performance\n\nMeasured by `make bench`; each benchmark writes its own section.\n"


def machine() -> str:
    """One line on where and when the figures were measured."""
    return (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {platform.platform()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs; Python {platform.python_version()}, pandas {version('pandas')}, "
        f"SQLAlchemy {version('sqlalchemy')}, SQLite {sqlite3.sqlite_version}"
    )


def write_section(heading: str, body: str, path: Path = PERFORMANCE_MD) -> None:
    """Put ``## heading`` and ``body`` into the file, replacing that section if it is there."""
    text = path.read_text() if path.exists() else TITLE
    section = f"## {heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
