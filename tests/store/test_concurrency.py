"""Several kernels save into one SQLite store at once; a read-only store fails cleanly."""

import multiprocessing
import traceback
from pathlib import Path

import pytest
from sqlalchemy import event

from coachkit.store import Store, StoreUnavailable

WORKERS = 8
SAVES_PER_WORKER = 20
WORKSHEET = "fight-or-make-it-right"

# Fork, not spawn: the worker below lives in a test module that importlib mode cannot re-import.
FORK = multiprocessing.get_context("fork")


def save_answers(url: str, response_id: int, worker: int, barrier, errors) -> None:
    """One kernel's autosaves: a step per answer, all workers starting together."""
    try:
        store = Store(url)
        barrier.wait(timeout=10)
        for n in range(SAVES_PER_WORKER):
            store.save_step(response_id, f"step_{n}", {f"w{worker}_a{n}": n}, current_step=n)
        store.close()
    except BaseException:
        errors.put(f"worker {worker}:\n{traceback.format_exc()}")


def run_workers(url: str, response_ids: list[int]) -> list[str]:
    """Run one saving process per response; the errors they reported."""
    barrier, errors = FORK.Barrier(len(response_ids)), FORK.SimpleQueue()
    workers = [
        FORK.Process(target=save_answers, args=(url, response_id, n, barrier, errors))
        for n, response_id in enumerate(response_ids)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    reported = []
    while not errors.empty():
        reported.append(errors.get())
    assert [worker.exitcode for worker in workers] == [0] * len(workers)
    return reported


@pytest.fixture
def drafts(store) -> list[int]:
    """One draft per worker, each for its own client; the store is closed before forking."""
    ids = [
        store.start_response(store.add_client(f"Client {n}").id, WORKSHEET, 1).id
        for n in range(WORKERS)
    ]
    store.close()
    return ids


def test_concurrent_saves_all_succeed(store, drafts):
    assert run_workers(store.url, drafts) == []


def test_concurrent_saves_are_all_stored(store, drafts):
    run_workers(store.url, drafts)
    for worker, response_id in enumerate(drafts):
        expected = {f"w{worker}_a{n}": n for n in range(SAVES_PER_WORKER)}
        assert store.get_answers(response_id) == expected
        assert store.get_response(response_id).current_step == SAVES_PER_WORKER - 1


def test_concurrent_saves_into_one_response_are_all_stored(store, drafts):
    shared = [drafts[0]] * WORKERS
    assert run_workers(store.url, shared) == []
    assert len(store.get_answers(drafts[0])) == WORKERS * SAVES_PER_WORKER


# -- a read-only store ---------------------------------------------------------------------


def can_write(path: Path) -> bool:
    try:
        with path.open("ab"):
            return True
    except PermissionError:
        return False


def query_only(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA query_only=ON")


@pytest.fixture
def read_only_store(tmp_path, store, client):
    """The store, with one saved answer, made read-only.

    By file permissions where they bite; as root (who ignores them) by ``PRAGMA query_only``.
    """
    response = store.start_response(client.id, WORKSHEET, 1)
    store.save_step(response.id, "first", {"feeling": "calm"}, current_step=1)
    store.close()  # new connections must open the file as it now is
    database = tmp_path / "store.sqlite"
    database.chmod(0o444)
    tmp_path.chmod(0o444)
    try:
        if can_write(database):
            tmp_path.chmod(0o755)
            database.chmod(0o644)
            event.listen(store.engine, "connect", query_only)
        yield store, response
    finally:
        tmp_path.chmod(0o755)
        database.chmod(0o644)


def test_a_read_only_store_raises_store_unavailable_on_save(read_only_store):
    store, response = read_only_store
    with pytest.raises(StoreUnavailable):
        store.save_step(response.id, "first", {"feeling": "angry"}, current_step=2)


def test_a_read_only_store_raises_store_unavailable_on_add_client(read_only_store):
    store, _ = read_only_store
    with pytest.raises(StoreUnavailable):
        store.add_client("Bo")


def test_a_failed_save_leaves_existing_rows_intact(read_only_store, tmp_path):
    store, response = read_only_store
    with pytest.raises(StoreUnavailable):
        store.save_step(response.id, "first", {"feeling": None, "new": 1}, current_step=2)
    tmp_path.chmod(0o755)
    (tmp_path / "store.sqlite").chmod(0o644)
    writable = Store(store.url)
    try:
        assert writable.get_answers(response.id) == {"feeling": "calm"}
        assert writable.get_response(response.id).current_step == 1
        assert [found.name for found in writable.find_clients()] == ["Ann Lee"]
    finally:
        writable.close()

