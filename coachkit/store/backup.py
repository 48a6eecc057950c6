"""A consistent copy of a live SQLite store (SQLite's online backup API), and putting one back."""

from __future__ import annotations

import datetime as dt
import shutil
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
    source = sqlite3.connect(source_path.resolve().as_uri() + "?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=PAGES_PER_STEP)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        copy.close()
        source.close()
    _check_integrity(target, "the backup")
    return target


def _check_integrity(path: Path, what: str) -> None:
    connection = sqlite3.connect(path)
    try:
        tables = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    if check != "ok" or not tables:
        raise RuntimeError(f"{what} failed its integrity check: {check if check != 'ok' else 'no tables'}")


def restore_store(url: str, backup: Path) -> Path:
    """Put ``backup`` in place of the store at ``url`` (with the server stopped).

    The current store is kept beside it, as ``NAME-before-restore-STAMP.sqlite``, together with its
    ``-wal`` and ``-shm`` files: a stopped server may leave its newest saves in the ``-wal``, and SQLite
    finds them by name. Returns the path of that kept store.
    """
    store_path = sqlite_path(url)
    _check_integrity(backup, "the backup to restore")
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    kept = store_path.with_name(f"{store_path.stem}-before-restore-{stamp}{store_path.suffix}")
    if store_path.exists():
        for suffix in ("", "-wal", "-shm"):
            companion = Path(f"{store_path}{suffix}")
            if companion.exists():
                companion.rename(f"{kept}{suffix}")
    shutil.copyfile(backup, store_path)
    return kept
