"""A consistent copy of a live store, and putting one back: SQLite's online backup API into one file, or
``pg_dump``/``pg_restore`` for PostgreSQL (``pg_backup``). Backups are created 0600."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from coachkit import config
from coachkit.private import create_private_file, private_folder
from coachkit.store import pg_backup

PAGES_PER_STEP = 256
"""Copy in small steps, so clients saving meanwhile wait only a moment."""


def sqlite_path(url: str) -> Path:
    """The file behind a SQLite URL; ``ValueError`` for any other database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise ValueError(f"online backup needs a SQLite file, not {parsed.render_as_string()}")
    return Path(parsed.database.removeprefix("file:").split("?")[0])


def is_postgresql(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def backup_suffix(url: str) -> str:
    """The file name ending of a backup of the store at ``url``."""
    return ".pgdump" if is_postgresql(url) else ".sqlite"


def backup_now(url: str, target: Path | None = None) -> Path:
    """Back the store up now: to ``target``, else ``backups/coachkit-DATE-TIME.sqlite`` (or ``.pgdump``)
    in its backups folder (``config.backups_dir``). ``coachkit backup`` and the dashboard's button."""
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    return backup_store(url, target or config.backups_dir(url) / f"coachkit-{stamp}{backup_suffix(url)}")


def backup_store(url: str, target: Path) -> Path:
    """Copy the store at ``url`` to ``target`` while it stays in use; refuses to overwrite a file."""
    if is_postgresql(url):
        return pg_backup.backup_database(url, target)
    source_path = sqlite_path(url)
    if not source_path.exists():
        raise FileNotFoundError(source_path)
    private_folder(target.parent)
    create_private_file(target)  # FileExistsError rather than overwrite; 0600 whatever the umask
    source = sqlite3.connect(source_path.resolve().as_uri() + "?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=PAGES_PER_STEP)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    except BaseException:
        target.unlink(missing_ok=True)
        raise
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
    except sqlite3.DatabaseError as error:
        raise RuntimeError(f"{what} is not a SQLite store: {error}") from error
    finally:
        connection.close()
    if check != "ok" or not tables:
        raise RuntimeError(f"{what} failed its integrity check: {check if check != 'ok' else 'no tables'}")


def restore_store(url: str, backup: Path) -> Path | str:
    """Put ``backup`` in place of the store at ``url`` (with the server stopped).

    SQLite: the current store is kept beside it, as ``NAME-before-restore-STAMP.sqlite``, together with
    its ``-wal`` and ``-shm`` files: a stopped server may leave its newest saves in the ``-wal``, and
    SQLite finds them by name. Returns the path of that kept store. PostgreSQL: see
    ``pg_backup.restore_database``; returns the kept database's URL.
    """
    if is_postgresql(url):
        return pg_backup.restore_database(url, backup)
    store_path = sqlite_path(url)
    _check_integrity(backup, "the backup to restore")
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    kept = store_path.with_name(f"{store_path.stem}-before-restore-{stamp}{store_path.suffix}")
    if store_path.exists():
        for suffix in ("", "-wal", "-shm"):
            companion = Path(f"{store_path}{suffix}")
            if companion.exists():
                companion.rename(f"{kept}{suffix}")
    create_private_file(store_path)
    shutil.copyfile(backup, store_path)
    return kept
