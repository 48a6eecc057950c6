"""Backing up a PostgreSQL store with ``pg_dump`` (one custom-format file) and putting one back with
``pg_restore``.

The dump is a consistent snapshot taken while clients keep saving. Restoring never deletes anything:
the current database is renamed ``NAME_before_restore_STAMP`` (which PostgreSQL refuses while anyone is
connected, so the server must be stopped), and the backup is restored into a new database by the old
name. If the restore fails, the old database gets its name back. The store's role needs ``CREATEDB``
and must own the database (see docs/postgresql.md).

The password never appears on a command line (other users can read those): it goes to the tools in
``PGPASSWORD``, and nothing printed shows it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from coachkit.private import create_private_file, private_folder
from coachkit.store.database import shown_url

STORE_TABLES = ("alembic_version", "clients", "responses", "answers", "response_flags", "settings")
MAINTENANCE_DATABASE = "postgres"
"""Where renaming and creating the store's database is done from (every cluster has it)."""
OBJECT_IN_USE = "55006"
SAME_KIND = (
    "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = :name"
)
"""The store database's encoding and locale, which the restored one gets too."""


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(
            f"{name} was not found: backups of a PostgreSQL store need PostgreSQL's client programs "
            "(on Debian or Ubuntu: apt-get install postgresql-client), on the PATH"
        )
    return found


def _run(command: list[str], url: URL) -> str:
    """Run a PostgreSQL tool against ``url`` (its connection given by ``--dbname`` and the environment)."""
    from psycopg.conninfo import make_conninfo

    _, options = PGDialect_psycopg().create_connect_args(url)
    password = options.pop("password", None)
    conninfo = make_conninfo(**options)
    environment = {**os.environ, "PGPASSWORD": password} if password else dict(os.environ)
    done = subprocess.run(
        [*command, "--no-password", "--dbname", conninfo], capture_output=True, text=True, env=environment
    )
    if done.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def check_archive(path: Path, what: str) -> None:
    """``RuntimeError`` unless ``path`` is a pg_dump archive holding every table of a store."""
    listing = subprocess.run(
        [_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise RuntimeError(f"{what} is not a pg_dump archive: {listing.stderr.strip()}")
    # Lines such as "216; 1259 16386 TABLE public answers coach": id; ids, kind, schema, name, owner.
    entries = [line.split() for line in listing.stdout.splitlines() if not line.startswith(";")]
    tables = {entry[5] for entry in entries if len(entry) == 7 and entry[3] == "TABLE"}
    missing = [table for table in STORE_TABLES if table not in tables]
    if missing:
        raise RuntimeError(f"{what} is not a coachkit store: it has no {', '.join(missing)} table")


def backup_database(url: str, target: Path) -> Path:
    """``pg_dump`` the store at ``url`` into ``target`` (0600, never overwriting a file), then check it."""
    tool = _tool("pg_dump")
    private_folder(target.parent)
    create_private_file(target)
    try:
        _run([tool, "--format=custom", "--file", str(target)], make_url(url))
        check_archive(target, "the backup")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def restore_database(url: str, backup: Path) -> str:
    """Restore ``backup`` as the store at ``url``; the database it replaces is kept under a new name.

    Returns the URL (without password) of the kept database.
    """
    tool = _tool("pg_restore")
    check_archive(backup, "the backup to restore")
    store = make_url(url)
    name = store.database or ""
    kept = f"{name[:36]}_before_restore_{dt.datetime.now():%Y%m%d_%H%M%S}"
    admin = create_engine(store.set(database=MAINTENANCE_DATABASE), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            _swap_in(connection, tool, store, name, kept, backup)
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) == OBJECT_IN_USE:
            raise RuntimeError(f"{name} is in use: stop the server and the dashboard first") from error
        raise RuntimeError(f"the restore could not be done, nothing was changed: {error.orig}") from error
    finally:
        admin.dispose()
    return shown_url(store.set(database=kept).render_as_string(hide_password=False))


def _swap_in(connection: Connection, tool: str, store: URL, name: str, kept: str, backup: Path) -> None:
    """Rename the store's database to ``kept`` and restore ``backup`` as ``name``; undone on failure."""
    quote = connection.dialect.identifier_preparer.quote
    like = connection.execute(text(SAME_KIND), {"name": name}).first()
    if like is None:
        raise RuntimeError(f"there is no database {name!r} to restore into")
    connection.execute(text(f"ALTER DATABASE {quote(name)} RENAME TO {quote(kept)}"))
    try:
        connection.execute(
            text(
                f"CREATE DATABASE {quote(name)} TEMPLATE template0 "
                f"ENCODING {_literal(like[0])} LC_COLLATE {_literal(like[1])} LC_CTYPE {_literal(like[2])}"
            )
        )
        _run([tool, "--no-owner", "--exit-on-error", "--single-transaction", str(backup)], store)
    except BaseException:
        connection.execute(text(f"DROP DATABASE IF EXISTS {quote(name)}"))
        connection.execute(text(f"ALTER DATABASE {quote(kept)} RENAME TO {quote(name)}"))
        raise


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
