"""A store's rows read by URL with the plain driver (sqlite3 or psycopg), bypassing the code under test."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import make_url

from tests.store import raw_sqlite


def query(url: str, statement: str, *params: Any) -> list[tuple]:
    """The rows of one read-only query (``?`` placeholders become ``%s`` on PostgreSQL)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        uri = Path(parsed.database).resolve().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as connection:
            return connection.execute(statement, params).fetchall()
    import psycopg

    options = PGDialect_psycopg().create_connect_args(parsed)[1]
    with psycopg.connect(**options) as connection:
        return connection.execute(statement.replace("?", "%s"), params).fetchall()  # type: ignore[arg-type]


def table_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every store table, in a fixed order."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return raw_sqlite.table_rows(Path(parsed.database))
    return {table: query(url, f"SELECT * FROM {table} ORDER BY 1") for table in raw_sqlite.TABLES}
