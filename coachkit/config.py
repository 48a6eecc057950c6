"""Where things live: the store's URL and the served folder, from the environment or defaults."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_URL_ENV = "COACHKIT_DATABASE_URL"
"""Environment variable holding the store's SQLAlchemy URL (e.g. ``sqlite:////srv/coach.sqlite``)."""

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout this package was installed from (``make serve`` installs it in editable mode)."""


def project_dir() -> Path:
    """The folder holding ``workbooks/`` and ``data/``: the checkout, or else the current folder."""
    return PROJECT_ROOT if (PROJECT_ROOT / "workbooks").is_dir() else Path.cwd()


def data_dir() -> Path:
    """The coach's data folder: the default store, and the backups and logs of a store that is not a file
    of its own (PostgreSQL). ``data/`` in the project folder; the one place to change where that is."""
    return project_dir() / "data"


def default_database_url() -> str:
    """``coachkit.sqlite`` in the coach's data folder."""
    return f"sqlite:///{data_dir() / 'coachkit.sqlite'}"


def database_url(explicit: str | None = None) -> str:
    """The URL given, else ``$COACHKIT_DATABASE_URL``, else the default SQLite file."""
    return explicit or os.environ.get(DATABASE_URL_ENV) or default_database_url()


def workbooks_dir() -> Path:
    """The only folder the client server exposes: the worksheets' notebooks."""
    return project_dir() / "workbooks"


def store_file(database_url: str) -> Path | None:
    """The file of a SQLite store (absolute), or None for a store that is not one (PostgreSQL, memory)."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    name = (url.database or "").removeprefix("file:").split("?")[0]
    if url.get_backend_name() == "sqlite" and name and name != ":memory:":
        return Path(name).resolve()
    return None


def beside_store(database_url: str | None, folder: str) -> Path:
    """``folder`` next to a SQLite store's file, else in the coach's data folder: a store's backups and
    logs go where the store is, never to another store's place."""
    found = store_file(database_url or default_database_url())
    return (found.parent if found is not None else data_dir()) / folder


def log_dir(database_url: str | None = None) -> Path:
    """Where the server keeps its private logs: ``logs/`` beside the store (see ``beside_store``)."""
    return beside_store(database_url, "logs")


def backups_dir(database_url: str | None = None) -> Path:
    """Where ``coachkit backup`` writes without ``--to``: ``backups/`` beside the store (``beside_store``)."""
    return beside_store(database_url, "backups")
