"""Races that SQLite's BEGIN IMMEDIATE hides and PostgreSQL shows, each forced to happen, on both databases.

Each test holds one transaction still at the moment that matters (right after one of its statements),
starts a second, conflicting one, waits until that one is blocked by the first, then lets the first
finish. Both must succeed. Without the store's fix for each, the second fails on PostgreSQL with a
unique or foreign key violation: the migrations (advisory lock), saving one field (the response row is
locked first), a setting (an upsert) and a client removed while a response is started (the client row
is key-share locked).
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from coachkit.store import Store, tables
from coachkit.store.database import HEAD_REVISION, create_store_engine, ensure_schema, schema_revision

WORKSHEET = "fight-or-make-it-right"
SQLITE_WAIT = 0.5
"""SQLite shows no lock waits: the second transaction is given this long to reach its busy wait."""

# Fork, not spawn: the workers below live in a test module that importlib mode cannot re-import.
FORK = multiprocessing.get_context("fork")


class Held:
    """Holds the first statement on ``engine`` that starts with ``prefix``, once run, until ``release()``.

    ``events`` makes the two events: ``threading``, or a multiprocessing context for another process.
    """

    def __init__(self, engine: Engine | None, prefix: str, events: Any = threading) -> None:
        self.prefix, self.reached, self.released = prefix, events.Event(), events.Event()
        if engine is not None:
            self.watch(engine)

    def watch(self, engine: Engine) -> None:
        event.listen(engine, "after_cursor_execute", self._after)

    def _after(self, _connection, _cursor, statement: str, *_args: Any) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().startswith(self.prefix) and not self.reached.is_set():
            self.reached.set()
            self.released.wait(timeout=30)

    def release(self) -> None:
        self.released.set()


class Run(threading.Thread):
    """``job()`` in a thread, keeping what it returned or raised."""

    def __init__(self, job: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.job, self.result, self.error = job, None, None

    def run(self) -> None:
        try:
            self.result = self.job()
        except BaseException as error:  # handed to the test
            self.error = error

    def outcome(self) -> Any:
        self.join(timeout=60)
        assert not self.is_alive(), "the transaction never finished"
        if self.error is not None:
            raise self.error
        return self.result


@pytest.fixture
def wait_until_blocked(backend, request) -> Callable[[str, Run], None]:
    """Wait until the thread's transaction waits for a lock on the database at the URL."""

    def wait(url: str, second: Run) -> None:
        if backend == "sqlite":
            time.sleep(SQLITE_WAIT)
        else:
            server = request.getfixturevalue("postgres")
            deadline = time.monotonic() + 20
            while server.lock_waits(url) == 0:
                assert second.is_alive() and time.monotonic() < deadline, (
                    "the second transaction never waited"
                )
                time.sleep(0.02)
        assert second.is_alive()

    return wait


def race(held: Held, first: Callable[[], Any], second: Callable[[], Any], url: str, wait) -> tuple[Any, Any]:
    """Run ``first`` until ``held`` stops it, then ``second`` until it waits, then let both finish."""
    one = Run(first)
    one.start()
    assert held.reached.wait(timeout=30), f"the first transaction never ran {held.prefix!r}"
    two = Run(second)
    two.start()
    try:
        wait(url, two)
    finally:
        held.release()
    return one.outcome(), two.outcome()


@pytest.fixture
def second_store(store) -> Iterator[Store]:
    """Another Store on the same database: another process's connections."""
    other = Store(store.url)
    yield other
    other.close()


def migrate_held(url: str, held: Held) -> None:
    """Another process's first open: migrate a new database, held after creating the first table."""
    engine = create_store_engine(url)
    held.watch(engine)
    ensure_schema(engine)
    engine.dispose()


def test_two_first_opens_of_a_new_database_migrate_it_once(store_url, wait_until_blocked):
    # The first open is another process (as every kernel is): Alembic runs one migration at a time
    # per process. Its events are shared with it; its engine is made there.
    held = Held(None, "CREATE TABLE clients", FORK)
    first = FORK.Process(target=migrate_held, args=(store_url, held))
    first.start()
    try:
        assert held.reached.wait(timeout=30), "the first open never created a table"
        second = Run(lambda: Store(store_url))
        second.start()
        wait_until_blocked(store_url, second)
    finally:
        held.release()
        first.join(timeout=60)
    assert first.exitcode == 0
    opened = second.outcome()
    opened.add_client("Ann Lee")
    assert schema_revision(opened.engine) == HEAD_REVISION
    opened.close()


def test_two_saves_of_one_new_answer_at_once_both_succeed(store, second_store, client, wait_until_blocked):
    draft = store.start_response(client.id, WORKSHEET, 1)
    held = Held(store.engine, "INSERT INTO answers")
    race(
        held,
        lambda: store.save_step(draft.id, "meeting_a_fight", {"approach": "run"}, current_step=1),
        lambda: second_store.save_step(draft.id, "meeting_a_fight", {"approach": "look"}, current_step=1),
        store.url,
        wait_until_blocked,
    )
    assert store.get_answers(draft.id) == {"approach": "look"}  # the later save wins, as it would one by one
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(tables.answers)).scalar() == 1


def test_two_saves_of_one_setting_at_once_both_succeed(store, second_store, wait_until_blocked):
    held = Held(store.engine, "INSERT INTO settings")
    race(
        held,
        lambda: store.set_setting("safety_help", "first"),
        lambda: second_store.set_setting("safety_help", "second"),
        store.url,
        wait_until_blocked,
    )
    assert store.get_setting("safety_help") == "second"


def test_removing_a_client_while_a_response_is_started_waits_for_it(
    store, second_store, client, wait_until_blocked
):
    held = Held(store.engine, "SELECT clients.id")
    started, _ = race(
        held,
        lambda: store.start_response(client.id, WORKSHEET, 1),
        lambda: second_store.remove_client(client.id),
        store.url,
        wait_until_blocked,
    )
    assert started.client_id == client.id
    assert store.find_clients() == []
    assert store.find_responses(client.id) == []
