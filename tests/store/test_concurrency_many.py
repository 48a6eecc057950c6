"""Fifty processes, each with its own Store, save into one store (SQLite file or PostgreSQL) at once.

Each process stands in for one client's kernel: it adds its client, starts a response and saves ten
steps of answers, starting together at a barrier. Writers must wait their turn (on SQLite BEGIN IMMEDIATE
and a busy timeout), so none of them may fail and every answer must be there afterwards.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
import traceback
from collections.abc import Iterator

import pytest

from coachkit.store import Store

PROCESSES = 50
STEPS = 10
FIELDS_PER_STEP = 3
WORKSHEET = "fight-or-make-it-right"
DEADLINE_SECONDS = 90
"""Every process must have reported within this; the run takes a few seconds on 2 cores."""

# Fork, not spawn: the workers live in a test module that importlib mode cannot re-import.
FORK = multiprocessing.get_context("fork")


def step_answers(worker: int, step: int) -> dict[str, object]:
    """The answers process ``worker`` saves on ``step``: a mix of text, numbers and booleans."""
    return {
        f"s{step}_text": f"worker {worker} step {step} " + "é" * (worker + step),
        f"s{step}_number": worker * 100 + step,
        f"s{step}_flag": (worker + step) % 2 == 0,
    }


def expected_answers(worker: int) -> dict[str, object]:
    return {key: value for step in range(STEPS) for key, value in step_answers(worker, step).items()}


def kernel(url: str, worker: int, barrier, reports) -> None:  # type: ignore[no-untyped-def]
    """One client's kernel: open the store, wait for the others, then save every step."""
    try:
        store = Store(url)
        barrier.wait(timeout=60)
        client = store.add_client(f"Client {worker}")
        response = store.start_response(client.id, WORKSHEET, 1)
        for step in range(STEPS):
            store.save_step(response.id, f"step_{step}", step_answers(worker, step), current_step=step + 1)
        store.close()
        reports.put(("ok", worker, response.id))
    except BaseException:
        reports.put(("error", worker, traceback.format_exc()))


def run_kernels(url: str) -> tuple[dict[int, int], list[str]]:
    """Run every kernel at once; the response id of each worker, and the errors they reported."""
    barrier, reports = FORK.Barrier(PROCESSES), FORK.Queue()
    processes = [FORK.Process(target=kernel, args=(url, n, barrier, reports)) for n in range(PROCESSES)]
    for process in processes:
        process.start()
    responses: dict[int, int] = {}
    errors: list[str] = []
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        # Drain the queue while the processes run, so none blocks on a full pipe.
        for _ in range(PROCESSES):
            try:
                outcome, worker, detail = reports.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                errors.append(f"only {len(responses) + len(errors)} of {PROCESSES} processes reported")
                break
            if outcome == "ok":
                responses[worker] = detail
            else:
                errors.append(f"worker {worker}:\n{detail}")
    finally:
        for process in processes:
            process.join(timeout=max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
    assert [process.exitcode for process in processes] == [0] * PROCESSES
    return responses, errors


@pytest.fixture(scope="module")
def outcome(backend, tmp_path_factory, request) -> Iterator[tuple[Store, dict[int, int], list[str], float]]:
    """One run of all fifty processes, shared by the read-only checks below."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('many') / 'store.sqlite'}"
    else:
        url = request.getfixturevalue("postgres").new_database("many")
    Store(url).close()  # created and migrated before the rush, as `coachkit serve` does
    started = time.monotonic()
    responses, errors = run_kernels(url)
    elapsed = time.monotonic() - started
    store = Store(url)
    yield store, responses, errors, elapsed
    store.close()


def test_no_process_raised_and_none_saw_a_locked_database(outcome):
    _, responses, errors, _ = outcome
    assert not [error for error in errors if "locked" in error.lower()]
    assert errors == []
    assert sorted(responses) == list(range(PROCESSES))


def test_every_answer_of_every_process_is_stored(outcome):
    store, responses, _, _ = outcome
    for worker, response_id in responses.items():
        assert store.get_answers(response_id) == expected_answers(worker), f"worker {worker}"
        response = store.get_response(response_id)
        assert response.current_step == STEPS
        assert response.status == "draft"


def test_each_response_belongs_to_its_own_client(outcome):
    store, responses, _, _ = outcome
    clients = {client.name: client.id for client in store.find_clients()}
    assert len(clients) == PROCESSES
    for worker, response_id in responses.items():
        assert store.get_response(response_id).client_id == clients[f"Client {worker}"]


def test_the_store_is_intact_afterwards(outcome, backend):
    store, _, _, _ = outcome
    with store.engine.connect() as connection:
        if backend == "sqlite":
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert connection.exec_driver_sql("SELECT count(*) FROM answers").scalar() == (
            PROCESSES * STEPS * FIELDS_PER_STEP
        )


def test_the_rush_finishes_quickly(outcome):
    *_, elapsed = outcome
    assert elapsed < 60
