"""Pieces shared by the client-side and coach-side commands: the store option and client look-up."""

from __future__ import annotations

import click
from sqlalchemy.exc import ArgumentError

from coachkit import config
from coachkit.store import Client, Store, StoreUnavailable

database_option = click.option(
    "--database",
    envvar=config.DATABASE_URL_ENV,
    help="The store's database URL (default: coachkit.sqlite in the data folder; see `coachkit paths`).",
)


def open_store(database: str | None) -> Store:
    """The store at ``--database``; a store that cannot be opened is a plain error, not a traceback."""
    try:
        return Store(config.database_url(database))
    except (ValueError, ArgumentError, StoreUnavailable) as error:
        raise click.ClickException(str(error)) from error


def find_one_client(store: Store, name_or_code: str) -> Client:
    """The one client with this code or name, or a usage error that says what to type instead."""
    by_code = store.find_client_by_code(name_or_code)
    matches = [by_code] if by_code else store.find_clients(name_or_code)
    if not matches:
        raise click.ClickException(f"no client named or coded {name_or_code!r}")
    if len(matches) > 1:
        codes = ", ".join(found.code for found in matches)
        raise click.ClickException(f"several clients are called {name_or_code!r}; use a code: {codes}")
    return matches[0]
