"""One store fixture for every test: a fresh, migrated store, on SQLite (and on PostgreSQL where asked).

``store`` is a new store in the test's own folder, closed after the test. Tests under ``tests/store``
and those marked ``both_backends`` run once on SQLite and once on a real PostgreSQL server (``backend``
says which); ``sqlite_only`` / ``postgresql_only`` narrow that. The PostgreSQL server is started once
per session in a temporary folder and always stopped (``tests/postgres.py``). Without PostgreSQL's
programs the PostgreSQL variants are skipped with the reason, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coachkit.store import Client, Store
from tests.postgres import PostgresServer, PostgresUnavailable

BACKENDS = ("sqlite", "postgresql")
STORE_TESTS = Path(__file__).parent / "store"


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C back for a run started in the background (`make test &`, nohup): its shell ignores it, and
    every server a test starts would inherit that and never stop on the Ctrl-C a test sends it."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _umask_as_it_was() -> Iterator[None]:
    """The umask a test found: the ``coachkit`` command run in-process (CliRunner) sets its private 077,
    which would otherwise make every later test's folders unreadable to the practice's coach accounts."""
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    marked = {mark.name for mark in metafunc.definition.iter_markers()}
    in_store_tests = STORE_TESTS in Path(str(metafunc.definition.path)).parents
    if not (in_store_tests or "both_backends" in marked):
        metafunc.parametrize("backend", ["sqlite"], scope="module")
        return
    backends = tuple(b for b in BACKENDS if f"{b}_only" in marked) or BACKENDS
    metafunc.parametrize("backend", backends, scope="module")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The test run's PostgreSQL server (started on first use, stopped at the end of the session)."""
    try:
        server = PostgresServer.start()
    except PostgresUnavailable as error:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI needs PostgreSQL for the store tests: {error}", pytrace=False)
        pytest.skip(f"no PostgreSQL server for these tests: {error}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def new_url(backend, tmp_path, request) -> Iterator[Callable[..., str]]:
    """A function giving the URL of a new, empty database on this test's backend (dropped afterwards)."""
    made: list[str] = []

    def make(name: str = "store") -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / name}.sqlite"
        server: PostgresServer = request.getfixturevalue("postgres")
        made.append(server.new_database(name.replace("-", "_")))
        return made[-1]

    yield make
    for url in made:
        request.getfixturevalue("postgres").drop_database(url)


@pytest.fixture
def store_url(new_url) -> str:
    """The URL of this test's store, not yet created."""
    return new_url()


@pytest.fixture
def store(store_url) -> Iterator[Store]:
    """A new, migrated store on this test's backend; closed after the test."""
    opened = Store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def ann(store) -> Client:
    return store.add_client("Ann Lee")
