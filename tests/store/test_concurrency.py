"""Several kernels save into one store at once; a read-only store fails cleanly."""

import multiprocessing
import sqlite3
import threading
import traceback
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from coachkit.store import Store, StoreUnavailable

WORKERS = 8
SAVES_PER_WORKER = 20
WORKSHEET = "fight-or-make-it-right"

# Fork, not spawn: the workers below live in a test module that importlib mode cannot re-import.
FORK = multiprocessing.get_context("fork")


def save_answers(url: str, worker: int, response_id: int) -> None:
    """One kernel's autosaves: a step per answer."""
    store = Store(url)
    for n in range(SAVES_PER_WORKER):
        store.save_step(response_id, f"step_{n}", {f"w{worker}_a{n}": n}, current_step=n)
    store.close()


def open_and_add_client(url: str, worker: int) -> None:
    store = Store(url)
    store.add_client(f"Client {worker}")
    store.close()


def _report_errors(job, barrier, errors, *args) -> None:
    try:
        barrier.wait(timeout=10)
        job(*args)
    except BaseException:
        errors.put(f"{args[1:]}:\n{traceback.format_exc()}")


def run_at_once(job, argument_lists: list[tuple]) -> list[str]:
    """Run ``job`` in one process per argument list, all starting together; the errors raised."""
    barrier, errors = FORK.Barrier(len(argument_lists)), FORK.SimpleQueue()
    processes = [
        FORK.Process(target=_report_errors, args=(job, barrier, errors, *arguments))
        for arguments in argument_lists
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [process.exitcode for process in processes] == [0] * len(processes)
    reported = []
    while not errors.empty():
        reported.append(errors.get())
    return reported


@pytest.fixture
def drafts(store) -> list[int]:
    """One draft per worker, each for its own client; the store is closed before forking."""
    ids = [store.start_response(store.add_client(f"Client {n}").id, WORKSHEET, 1).id for n in range(WORKERS)]
    store.close()
    return ids


def test_concurrent_saves_all_succeed(store, drafts):
    # No StoreUnavailable, no "database is locked": writers wait their turn.
    jobs = [(store.url, n, response_id) for n, response_id in enumerate(drafts)]
    assert run_at_once(save_answers, jobs) == []


def test_concurrent_saves_are_all_stored(store, drafts):
    run_at_once(save_answers, [(store.url, n, response_id) for n, response_id in enumerate(drafts)])
    for worker, response_id in enumerate(drafts):
        expected = {f"w{worker}_a{n}": n for n in range(SAVES_PER_WORKER)}
        assert store.get_answers(response_id) == expected
        assert store.get_response(response_id).current_step == SAVES_PER_WORKER - 1


def test_concurrent_saves_into_one_response_are_all_stored(store, drafts):
    assert run_at_once(save_answers, [(store.url, n, drafts[0]) for n in range(WORKERS)]) == []
    assert len(store.get_answers(drafts[0])) == WORKERS * SAVES_PER_WORKER


def test_processes_creating_a_new_store_at_once_all_succeed(store_url):
    url = store_url
    assert run_at_once(open_and_add_client, [(url, n) for n in range(WORKERS)]) == []
    store = Store(url)
    try:
        assert len(store.find_clients()) == WORKERS
    finally:
        store.close()


@pytest.mark.sqlite_only
def test_opening_waits_while_another_process_holds_a_new_stores_write_lock(tmp_path):
    # SQLite fails the switch to WAL at once, without its busy handler, while another
    # connection holds a write lock on a store still in rollback mode: the open must wait.
    path = tmp_path / "new.sqlite"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE other (x)")
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.5, holder.rollback).start()
    store = Store(f"sqlite:///{path}")
    try:
        store.add_client("Ann Lee")
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        store.close()
        holder.close()


# -- a read-only store ---------------------------------------------------------------------


def can_write(path: Path) -> bool:
    try:
        with path.open("ab"):
            return True
    except PermissionError:
        return False


def query_only(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA query_only=ON")


def make_writable(folder: Path) -> None:
    folder.chmod(0o755)
    (folder / "store.sqlite").chmod(0o644)


@pytest.fixture
def read_only_store(backend, tmp_path, store, client, request):
    """The store, with one saved answer, made read-only; and a way to open it writable again.

    SQLite: by file permissions where they bite; as root (who ignores them) by ``PRAGMA query_only``.
    PostgreSQL: opened as a role that may only read the tables.
    """
    response = store.start_response(client.id, WORKSHEET, 1)
    store.save_step(response.id, "first", {"feeling": "calm"}, current_step=1)
    store.close()  # new connections must open the database as it now is
    if backend == "postgresql":
        server = request.getfixturevalue("postgres")
        database = make_url(store.url).database
        role = f"reader_{database}"
        server.sql(f"CREATE ROLE {role} LOGIN")
        server.sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}", database=database)
        reader = Store(server.url(database, user=role))
        yield reader, response, lambda: Store(store.url)
        reader.close()
        return
    database = tmp_path / "store.sqlite"
    database.chmod(0o444)
    tmp_path.chmod(0o444)
    try:
        if can_write(database):
            make_writable(tmp_path)
            event.listen(store.engine, "connect", query_only)

        def writable() -> Store:
            make_writable(tmp_path)
            return Store(store.url)

        yield store, response, writable
    finally:
        make_writable(tmp_path)


def test_a_read_only_store_raises_store_unavailable_on_save(read_only_store):
    store, response, _ = read_only_store
    with pytest.raises(StoreUnavailable):
        store.save_step(response.id, "first", {"feeling": "angry"}, current_step=2)


def test_a_read_only_store_raises_store_unavailable_on_add_client(read_only_store):
    store, _, _ = read_only_store
    with pytest.raises(StoreUnavailable):
        store.add_client("Bo")


def test_a_read_only_store_still_reads(read_only_store):
    store, response, _ = read_only_store
    assert store.get_answers(response.id) == {"feeling": "calm"}


def test_a_failed_save_leaves_existing_rows_intact(read_only_store):
    store, response, writable = read_only_store
    with pytest.raises(StoreUnavailable):
        store.save_step(response.id, "first", {"feeling": None, "new": 1}, current_step=2)
    reopened = writable()
    try:
        assert reopened.get_answers(response.id) == {"feeling": "calm"}
        assert reopened.get_response(response.id).current_step == 1
        assert [found.name for found in reopened.find_clients()] == ["Ann Lee"]
    finally:
        reopened.close()
