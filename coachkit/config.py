"""Where things live, by one rule: what coachkit ships is in the package; what the coach makes is in
their data folder.

The package holds the notebooks, templates, static files, worksheets and the practice's settings, so
an installed coachkit (``pipx install coachkit``, a wheel) works from any folder. The coach's data
folder holds the store, logs, backups, exports, demo data and their own worksheets: the checkout's
``data/`` when coachkit runs from its checkout (``make serve``, an editable install), else the
coach's own data folder as the system defines it (platformdirs: ``~/.local/share/coachkit`` on
Linux, ``~/Library/Application Support/coachkit`` on macOS). Never the current folder: a coach
starting ``coachkit`` from elsewhere still finds their clients.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

DATABASE_URL_ENV = "COACHKIT_DATABASE_URL"
"""Environment variable holding the store's SQLAlchemy URL (e.g. ``sqlite:////srv/coach.sqlite``)."""
WORKSHEETS_ENV = "COACHKIT_WORKSHEETS"
"""Environment variable naming the folder of the coach's own worksheet files."""
APP_NAME = "coachkit"

PACKAGE_DIR = Path(__file__).resolve().parent
"""The installed package: everything coachkit ships."""
PROJECT_ROOT = PACKAGE_DIR.parent
"""The checkout, when the package runs from one (else the folder the package was installed into)."""


def checkout() -> Path | None:
    """The source checkout coachkit runs from (``pip install -e``), or None when it is installed."""
    return PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").is_file() else None


def data_dir() -> Path:
    """The coach's data folder: ``data/`` in the checkout, else platformdirs' user data folder."""
    found = checkout()
    if found is not None:
        return found / "data"
    return user_data_path(APP_NAME, appauthor=False)


def home_dir() -> Path:
    """What the coach's own relative paths (in a practice file) are read from, and where their own
    worksheets folder is: the checkout, else the data folder."""
    return checkout() or data_dir()


# -- What coachkit ships ------------------------------------------------------------------------


def workbooks_dir() -> Path:
    """The only folder the client server exposes: the worksheets' notebooks."""
    return PACKAGE_DIR / "workbooks"


def coach_notebooks_dir() -> Path:
    """The coach's notebooks (the dashboard and an analysis example), served by the dashboard only."""
    return PACKAGE_DIR / "coach" / "notebooks"


def deploy_dir() -> Path:
    """A practice's settings: the example practice file, JupyterHub's and the coaches' servers'."""
    return PACKAGE_DIR / "practice" / "deploy"


# -- What the coach makes -----------------------------------------------------------------------


def default_database_url() -> str:
    """``coachkit.sqlite`` in the data folder."""
    return f"sqlite:///{data_dir() / 'coachkit.sqlite'}"


def database_url(explicit: str | None = None) -> str:
    """The URL given, else ``$COACHKIT_DATABASE_URL``, else the default SQLite file."""
    return explicit or os.environ.get(DATABASE_URL_ENV) or default_database_url()


def store_file(database_url: str) -> Path | None:
    """The file of a SQLite store (absolute), or None for a store that is not one (PostgreSQL, memory)."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    name = (url.database or "").removeprefix("file:").split("?")[0]
    if url.get_backend_name() == "sqlite" and name and name != ":memory:":
        return Path(name).resolve()
    return None


def beside_store(database_url: str | None, folder: str) -> Path:
    """``folder`` next to a SQLite store's file, else in the data folder: a store's backups and logs go
    where the store is, never to another store's place."""
    found = store_file(database_url or default_database_url())
    return (found.parent if found is not None else data_dir()) / folder


def log_dir(database_url: str | None = None) -> Path:
    """Where the server keeps its private logs: ``logs/`` beside the store (see ``beside_store``)."""
    return beside_store(database_url, "logs")


def backups_dir(database_url: str | None = None) -> Path:
    """Where ``coachkit backup`` writes without ``--to``: ``backups/`` beside the store (``beside_store``)."""
    return beside_store(database_url, "backups")


def exports_dir() -> Path:
    return data_dir() / "exports"


def own_worksheets_dir() -> Path:
    """The coach's own worksheet files: ``$COACHKIT_WORKSHEETS``, else ``worksheets/`` in the checkout
    (beside ``data/``, so they can be kept in git), else in the data folder."""
    return Path(os.environ.get(WORKSHEETS_ENV) or home_dir() / "worksheets")
