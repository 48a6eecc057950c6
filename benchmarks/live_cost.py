"""What the live view costs the store and the coach's kernel, with ten clients followed, and with none.

In this process, as in the coach's kernel: a ``LiveView`` on the coach's own store, its looks scheduled
on a real asyncio loop (every 0.25 s while a followed client is active, 2 s otherwise). Ten clients fill
"Fight or make it right?" at once, each on a thread of its own with its own store, saving through an
``Attempt`` as their page does: a longer answer every 0.4 s. Counted on the coach's store's engine: every
statement the view runs (SQLAlchemy's ``before_cursor_execute``); timed: the CPU the looks take (this
thread's CPU time around each look), and how long after a save's commit the view holds the new answer
(the store-to-view part of the latency; the browsers add theirs, see "In a session: a client's answer on
the coach's screen"). Then the same with nobody followed (only the "open now" list), and nothing at all.
The client server's own cost, the open-page notes (``note_page`` and friends), is timed against a save.
On SQLite (a file, as ``coachkit serve`` uses) and on PostgreSQL (a server of the test suite's kind).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sqlalchemy import event

from benchmarks.report import machine, median, p90, write_section
from coachkit.attempt import Attempt
from coachkit.coach.live import LiveView
from coachkit.exercises import get_worksheet
from coachkit.store import Store

CLIENTS = 10
SECONDS = 20.0
IDLE_SECONDS = 10.0
SAVE_EVERY = 0.4
HEADING = "The live view's cost, with ten clients followed"
SAFE = {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "some"}


@dataclass
class Run:
    backend: str
    statements: int = 0
    looks: int = 0
    seconds: float = 0.0
    look_cpu_ms: list[float] = field(default_factory=list)
    to_view_ms: list[float] = field(default_factory=list)
    saves: int = 0
    idle_statements: int = 0
    idle_seconds: float = 0.0
    notes_ms: dict[str, float] = field(default_factory=dict)
    save_ms: float = 0.0


def count_selects(store: Store) -> list[int]:
    counter = [0]

    def count(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            counter[0] += 1

    event.listen(store.engine, "before_cursor_execute", count)
    return counter


def client_thread(url: str, code: str, stop: threading.Event, saved: dict[str, float], run: Run) -> None:
    """A client typing "How and when is it safe?" longer and longer, one save every ``SAVE_EVERY`` s."""
    store = Store(url)
    client = store.find_client_by_code(code)
    assert client is not None
    attempt = Attempt.start(store, get_worksheet("fight-or-make-it-right"), client)
    attempt.claim()
    number = 0
    while not stop.is_set():
        number += 1
        token = f"w{client.id}n{number}z"
        attempt.save_step(0, {**SAFE, "contact_how": f"Texts only {token}"}, 0)
        saved[token] = time.perf_counter()
        run.saves += 1
        stop.wait(SAVE_EVERY)
    store.close()


async def follow_ten(url: str, codes: list[str], run: Run) -> None:
    coach = Store(url)
    counter = count_selects(coach)
    view = LiveView(lambda: coach, lambda message: None, start=True)
    clients = [coach.find_client_by_code(code) for code in codes]
    saved: dict[str, float] = {}
    stop = threading.Event()
    threads = [
        threading.Thread(target=client_thread, args=(url, code, stop, saved, run), daemon=True)
        for code in codes
    ]
    looked = view.tick

    def timed_look() -> None:
        cpu = time.thread_time()
        looked()
        run.look_cpu_ms.append(1000 * (time.thread_time() - cpu))
        now = time.perf_counter()
        for token, when in list(saved.items()):
            owner = int(token[1:].split("n")[0])
            card = view.cards.get(owner)
            if card is not None and token in card.body.value:
                run.to_view_ms.append(1000 * (now - when))
                del saved[token]

    view.tick = timed_look  # type: ignore[method-assign]
    for client in clients:
        assert client is not None
        view.follow(client.id, client.name)
    for thread in threads:
        thread.start()
    await asyncio.sleep(2)  # every client has started, and each card shows them
    counter[0], run.look_cpu_ms[:] = 0, []
    started = time.perf_counter()
    await asyncio.sleep(SECONDS)
    run.seconds = time.perf_counter() - started
    run.statements = counter[0]
    run.looks = len(run.look_cpu_ms)
    stop.set()
    for thread in threads:
        thread.join()
    for client in clients:
        assert client is not None
        view.unfollow(client.id)
    await asyncio.sleep(3)  # the last looks while they were active
    counter[0] = 0
    started = time.perf_counter()
    await asyncio.sleep(IDLE_SECONDS)
    run.idle_seconds, run.idle_statements = time.perf_counter() - started, counter[0]
    view.close()
    coach.close()


def time_notes(url: str, run: Run, repeats: int = 40) -> None:
    """The client server's open-page notes, and a save for comparison, in milliseconds (medians)."""
    store = Store(url)
    client = store.add_client("Timing Client")
    session, _ = store.start_session(client.id, "fight-or-make-it-right")
    attempt = Attempt.start(store, get_worksheet("fight-or-make-it-right"), client)
    found: dict[str, list[float]] = {
        "connected": [],
        "disconnected": [],
        "closed": [],
        "renewed": [],
        "save": [],
    }
    for number in range(repeats):
        kernel = f"kernel-{number}"
        actions = {
            "connected": partial(store.note_page, kernel, session.id, "bench", connected=True),
            "disconnected": partial(store.note_page, kernel, session.id, "bench", connected=False),
            "renewed": partial(store.keep_pages, "bench"),
            "closed": partial(store.note_page_closed, kernel),
            "save": partial(attempt.save_step, 0, {**SAFE, "contact_how": f"n{number}"}, 0),
        }
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            found[name].append(1000 * (time.perf_counter() - started))
    run.notes_ms = {name: statistics.median(times) for name, times in found.items() if name != "save"}
    run.save_ms = statistics.median(found["save"])
    store.close()


def measure(backend: str, url: str) -> Run:
    store = Store(url)
    codes = [store.add_client(f"Live Client{number}").code for number in range(CLIENTS)]
    store.close()
    run = Run(backend)
    asyncio.run(follow_ten(url, codes, run))
    time_notes(url, run)
    return run


def postgres_url():  # type: ignore[no-untyped-def]
    """A database on a PostgreSQL server of the test suite's kind, and the server (to stop), or None."""
    try:
        from tests.postgres import PostgresServer, PostgresUnavailable
    except ImportError:
        return None, None
    try:
        server = PostgresServer.start()
    except PostgresUnavailable as error:
        print(f"  PostgreSQL skipped: {error}")
        return None, None
    return server.new_database("live_cost"), server


def row(run: Run) -> str:
    per_second = run.statements / run.seconds
    return (
        f"| {run.backend} | {run.looks / run.seconds:.1f} | **{per_second:.1f}** | "
        f"{median(run.look_cpu_ms):.2f} ms | {p90(run.look_cpu_ms):.2f} ms | "
        f"{median(run.to_view_ms) / 1000:.2f} s | {p90(run.to_view_ms) / 1000:.2f} s | "
        f"{run.idle_statements / run.idle_seconds:.2f} |"
    )


def notes_row(run: Run) -> str:
    notes = run.notes_ms
    return (
        f"| {run.backend} | {notes['connected']:.2f} ms | {notes['disconnected']:.2f} ms | "
        f"{notes['closed']:.2f} ms | {notes['renewed']:.2f} ms | {run.save_ms:.2f} ms |"
    )


def main() -> None:
    runs = []
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-") as folder:
        runs.append(measure("SQLite", f"sqlite:///{Path(folder) / 'store.sqlite'}"))
        print(f"  SQLite: {runs[-1].statements / runs[-1].seconds:.1f} statements/s", flush=True)
        url, server = postgres_url()
        if url is not None:
            try:
                runs.append(measure("PostgreSQL", url))
                print(f"  PostgreSQL: {runs[-1].statements / runs[-1].seconds:.1f} statements/s", flush=True)
            finally:
                server.stop()
    table = (
        "| store | looks a second | statements a second | CPU per look (median) | CPU per look (p90) "
        "| save → in the view (median) | p90 | statements a second, nobody followed |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|\n" + "\n".join(row(run) for run in runs) + "\n"
    )
    notes = (
        "| store | page connected | page disconnected | page closed | renewal (all pages) "
        "| a client's save |\n"
        "|---|---:|---:|---:|---:|---:|\n" + "\n".join(notes_row(run) for run in runs) + "\n"
    )
    first = runs[0]
    body = f"""
Following ten clients who each save an answer every {SAVE_EVERY} s, the coach's live view runs
**{first.statements / first.seconds:.1f} statements a second** on SQLite ({first.looks / first.seconds:.1f}
looks a second: two statements for all ten, then three more for all the responses saved since the last
look);
each look takes {median(first.look_cpu_ms):.2f} ms of the coach's kernel's CPU at the median. An answer is
in the coach's view {median(first.to_view_ms) / 1000:.2f} s after its save committed (median; p90
{p90(first.to_view_ms) / 1000:.2f} s): half the look interval on average, as expected. With nobody
followed and a dashboard open, the view reads the open pages alone, every 2 s; with no dashboard open,
nothing at all.

{table}
The client server's side: each client page costs three short writes in its life (its browser connecting,
the last connection dropping, its kernel ending) and one renewal every 20 s for all of a server's open pages
together, on a worker thread of their own; a client's save is unchanged. Each, against a save of the
safety step (median of 40):

{notes}
How it was measured: in this process, a `LiveView` on the coach's store with its looks on a real asyncio
loop, as in a kernel; ten client threads with stores of their own saving through an `Attempt`; statements
counted on the coach's engine (SELECTs), CPU with `time.thread_time` around each look, "save → in the view"
from the client's commit to the card's HTML holding the answer (checked after each look). {SECONDS:.0f} s
following, then {IDLE_SECONDS:.0f} s following nobody. The widgets' memory and the browsers' part are in
"In a session: a client's answer on the coach's screen".

Measured {machine()}.

Run again with `make bench` or `python -m benchmarks live_cost`.
"""
    print(table + "\n" + notes)
    write_section(HEADING, body)
