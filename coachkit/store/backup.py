"""A consistent copy of a live SQLite store, using SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

PAGES_PER_STEP = 256
"""Copy in small steps, so clients saving meanwhile wait only a moment."""


def sqlite_path(url: str) -> Path:
    """The file behind a SQLite URL; ``ValueError`` for any other database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise ValueError(f"online backup needs a SQLite file, not {parsed.render_as_string()}")
    return Path(parsed.database.removeprefix("file:").split("?")[0])


def backup_store(url: str, target: Path) -> Path:
    """Copy the store at ``url`` to ``target`` while it stays in use; refuses to overwrite a file."""
    source_path = sqlite_path(url)
    if not source_path.exists():
        raise FileNotFoundError(source_path)
    if target.exists():
        raise FileExistsError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=PAGES_PER_STEP)
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise RuntimeError(f"the backup failed its integrity check: {check}")
    finally:
        copy.close()
        source.close()
    return target
