"""The store tests' own fixtures (the store itself, on both backends, comes from ``tests/conftest.py``)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from coachkit.store import Client


@pytest.fixture
def client(store) -> Client:
    return store.add_client("Ann Lee")


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual umask (022), as a library user's process may have: file modes must not rely on ours."""
    before = os.umask(0o022)
    yield
    os.umask(before)
