"""Opening the store's database (SQLite or PostgreSQL): engine, SQLite pragmas, and bringing the schema up
to date, once, however many processes open a new database at the same moment."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url

from coachkit import config
from coachkit.private import create_private_file, private_folder, tighten
from coachkit.store.records import StoreUnavailable

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HEAD_REVISION = "0012_languages"
"""The newest migration; a test checks it against Alembic's own idea of head."""

BUSY_TIMEOUT_MS = 15_000
READ_ONLY = {"coachkit_read_only": True}
"""Execution options for a connection that only reads: its transactions take no write lock."""

POSTGRES_DRIVER = "postgresql+psycopg"
SCHEMA_LOCK = 0x636F_6163_686B_6974  # "coachkit"
"""PostgreSQL advisory lock key held while the schema is checked and upgraded."""


def store_url(url: str) -> str:
    """``url`` with PostgreSQL's driver made explicit (``postgresql://`` means psycopg 3 here)."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        return parsed.set(drivername=POSTGRES_DRIVER).render_as_string(hide_password=False)
    return url


def shown_url(url: str) -> str:
    """``url`` fit to print: its password replaced by ``***`` (a URL without one is left as it is)."""
    parsed = make_url(url)
    return url if parsed.password is None else parsed.render_as_string(hide_password=True)


def sqlite_file(parsed: URL) -> Path | None:
    """The file behind a SQLite URL, or None for an in-memory or ``file:`` URI database."""
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def create_store_engine(url: str) -> Engine:
    """An engine for ``url``; on SQLite: WAL, foreign keys, a busy timeout and write-locking transactions.

    A new SQLite store is created 0600 in a folder made 0700 if missing; an existing store (and its
    ``-wal`` and ``-shm``, which SQLite makes with the store's own mode) loses any group or other access.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if backend != "sqlite":
        raise ValueError(f"coachkit keeps its store in SQLite or PostgreSQL, not {backend}")
    path = sqlite_file(parsed)
    if path is not None:
        _private_store_file(path)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, hide_parameters=True)
    _tune_sqlite(engine)
    return engine


def _private_store_file(path: Path) -> None:
    try:
        private_folder(path.parent)
        if path.parent == config.data_dir():
            tighten(path.parent)  # the data folder, made by a checkout with the usual 0755
        create_private_file(path)
    except FileExistsError:
        for suffix in ("", "-wal", "-shm", "-journal"):
            tighten(Path(f"{path}{suffix}"))
    except OSError:
        pass  # a folder that cannot be written: SQLite says so on the first connection (StoreUnavailable)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the driver, decide when a transaction starts (see on_begin).
        dbapi_connection.isolation_level = None
        use_wal(dbapi_connection)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):  # type: ignore[no-untyped-def]
        # Writers take the write lock up front: a deferred transaction that later upgrades to a
        # writer fails at once with "database is locked" instead of waiting its turn.
        read_only = connection.get_execution_options().get("coachkit_read_only", False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def use_wal(dbapi_connection: sqlite3.Connection) -> None:
    """Put the database file in WAL mode, which it keeps; a no-op once it is.

    SQLite does not wait on the busy handler for this switch: while another process holds a
    write lock on a new store, it fails at once. So the switch is retried within the busy timeout.
    """
    if dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def schema_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for a new database."""
    with engine.connect() as connection:
        connection = connection.execution_options(**READ_ONLY)
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def lock_schema(connection: Connection) -> None:
    """Hold the schema for this transaction, so one process at a time checks and upgrades it.

    SQLite's write transaction (``BEGIN IMMEDIATE``) already excludes every other writer. PostgreSQL
    runs DDL in ordinary transactions, so two first opens of a new database would both create the
    tables (the second failing on a duplicate); an advisory lock makes the second wait, then find the
    schema at head.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Run the named migrations up to ``revision`` (Alembic is imported only when needed).

    Alembic reads the current revision inside the locked transaction, so a schema another process has
    just upgraded is left as it is.
    """
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        lock_schema(connection)
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, revision)
        except CommandError as error:  # e.g. a store already upgraded by a newer coachkit
            raise StoreUnavailable(f"cannot bring the store's schema to {revision}: {error}") from error


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the schema unless it is already at head (a cheap check on every open)."""
    if schema_revision(engine) != HEAD_REVISION:
        upgrade_schema(engine)
