"""A fresh SQLite store per test, built in code, and one client in it."""

import pytest

from coachkit.store import Client, Store


@pytest.fixture
def store(tmp_path):
    """A new, migrated store in its own folder; closed after the test."""
    opened = Store(f"sqlite:///{tmp_path}/store.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def client(store) -> Client:
    return store.add_client("Ann Lee")
