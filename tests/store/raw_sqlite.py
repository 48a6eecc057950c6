"""A store's file read with plain sqlite3, bypassing the code under test."""

import sqlite3
from pathlib import Path

TABLES = ("alembic_version", "clients", "responses", "answers", "response_flags", "settings")


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every store table, in a fixed order, read without writing to the file."""
    connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return {table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in TABLES}
    finally:
        connection.close()


def integrity(path: Path) -> str:
    """SQLite's own integrity check of the file: "ok" when it is sound."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
