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


def default_database_url() -> str:
    """``data/coachkit.sqlite`` in the project folder."""
    return f"sqlite:///{project_dir() / 'data' / 'coachkit.sqlite'}"


def database_url(explicit: str | None = None) -> str:
    """The URL given, else ``$COACHKIT_DATABASE_URL``, else the default SQLite file."""
    return explicit or os.environ.get(DATABASE_URL_ENV) or default_database_url()


def workbooks_dir() -> Path:
    """The only folder the client server exposes: the worksheets' notebooks."""
    return project_dir() / "workbooks"


def log_dir(database_url: str | None = None) -> Path:
    """Where the server keeps its private logs: ``logs/`` beside a SQLite store's file, else ``data/logs``."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url or default_database_url())
    name = (url.database or "").removeprefix("file:")
    if url.get_backend_name() == "sqlite" and name and name != ":memory:":
        return Path(name).resolve().parent / "logs"
    return project_dir() / "data" / "logs"
