"""One pass of the reminder loop on 500 clients and 5,000 assignments, against one raw query of the same rows.

Every client asked for reminders and said any way of getting in touch is fine; each has ten assignments
(one-off with a due day, and weekly ones), and about half of the one-offs are done. The store is filled
with SQLAlchemy ``executemany``. The pass is what ``coachkit serve``'s sender does every 30 s before
sending: read in one snapshot (``Store.reminder_rows``) the assignments that can be due (one-offs due
within two days of today, in any time zone, and every repeating one), the clients' completions, their
latest safe-contact answers and the reminders already written; work out the occurrences in each client's
time zone; and write the due ones not yet written. It is timed in its
steady state, at an hour when 500 reminders are due and were written by an earlier pass (so each pass
offers them again and writes none). The baseline is ``SELECT * FROM assignments`` fetched whole on the same
store. Runs alternate, seven of each; each figure is the best and the median.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, text

from benchmarks.report import machine, write_section
from coachkit.homework.reminders import write_due_reminders
from coachkit.store import Store, tables
from coachkit.store.database import READ_ONLY

CLIENTS = 500
PER_CLIENT = 10
RUNS = 7
HEADING = "The reminder loop on 500 clients and 5,000 assignments"
ZONES = ["Europe/London", "Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
START = dt.date(2026, 3, 2)


def fill(store: Store, seed: int = 3) -> dt.datetime:
    """The clients, their choices, assignments and answers; returns a moment when 500 reminders are due."""
    rng = random.Random(seed)
    made = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    clients, contact, assignments, responses, answers = [], [], [], [], []
    for number in range(1, CLIENTS + 1):
        clients.append(
            {"id": number, "name": f"Client {number}", "code": f"B-{number:07d}", "created_at": made}
        )
        contact.append(
            {
                "client_id": number,
                "time_zone": "Europe/London",
                "email": f"client{number}@example.org",
                "remind_hour": 18,
                "reminders_on": True,
                "changed_at": made,
            }
        )
        responses.append(
            {
                "id": number,
                "client_id": number,
                "worksheet_id": "fight-or-make-it-right",
                "worksheet_version": 3,
                "status": "completed",
                "current_step": 5,
                "started_at": made,
                "updated_at": made,
                "completed_at": made + dt.timedelta(days=rng.randint(0, 20)),
            }
        )
        answers.append(
            {
                "response_id": number,
                "step_id": "safety",
                "field_id": "safe_contact",
                "value_json": json.dumps("any"),
                "saved_at": made,
            }
        )
        for item in range(PER_CLIENT):
            weekly = item >= 7
            due = START + dt.timedelta(days=item * 2 + (0 if item else 7))  # the first due on the 9th
            assignments.append(
                {
                    "client_id": number,
                    "worksheet_id": "fight-or-make-it-right" if item % 2 else "anger-plan-practice",
                    "starts_on": START,
                    "due_on": None if weekly else due,
                    "every_days": 7 if weekly else None,
                    "times": 4 if weekly else None,
                    "assigned_at": made,
                    "assigned_by": "bench",
                }
            )
    with store.engine.begin() as connection:
        connection.execute(insert(tables.clients), clients)
        connection.execute(insert(tables.client_contact), contact)
        connection.execute(insert(tables.responses), responses)
        connection.execute(insert(tables.answers), answers)
        connection.execute(insert(tables.assignments), assignments)
    return dt.datetime(2026, 3, 9, 18, 30, tzinfo=dt.UTC)  # 18:30 in London on the 9th


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def raw_assignments(store: Store) -> int:
    with store.engine.connect() as connection:
        return len(connection.execution_options(**READ_ONLY).execute(text("SELECT * FROM assignments")).all())


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-") as folder:
        clock = [dt.datetime.now(dt.UTC)]
        store = Store(f"sqlite:///{Path(folder) / 'bench.sqlite'}", now=lambda: clock[0])
        clock[0] = fill(store)
        first = write_due_reminders(store)
        rows = raw_assignments(store)
        raw, loop = [], []
        for _ in range(RUNS):
            raw.append(timed(lambda: raw_assignments(store)))
            loop.append(timed(lambda: write_due_reminders(store)))
        again = write_due_reminders(store)
        store.close()
    ratio = min(loop) / min(raw)
    table = (
        "| | rows | best of 7 | median |\n|---|---:|---:|---:|\n"
        f"| `SELECT * FROM assignments`, fetched | {rows:,} | {min(raw) * 1000:,.1f} ms | "
        f"{statistics.median(raw) * 1000:,.1f} ms |\n"
        f"| one pass of the reminder loop | {rows:,} | {min(loop) * 1000:,.1f} ms | "
        f"{statistics.median(loop) * 1000:,.1f} ms |\n"
    )
    body = (
        f"One pass of the reminder loop takes **{ratio:.1f}×** as long as one raw query of the same "
        f"assignments, on a SQLite store of {CLIENTS} clients and {rows:,} assignments, at an hour when "
        f"{first} reminders are due (written once by the first pass; each timed pass offers them again and "
        f"wrote {again}). The pass reads, in one snapshot, the assignments that can be due now (one-offs due "
        "within two days of today, in any time zone, and every repeating one), the clients' completed "
        "worksheets, their latest safe-contact answers and the reminders already written; works out the "
        "occurrences in each client's time zone; and writes the due ones not yet written. `coachkit serve` "
        "runs it every 30 s, on its sender's thread, never on the server's event loop.\n\n"
        f"{table}\nMeasured {machine()}.\n\nRun again with `make bench` or `python -m benchmarks reminders`."
    )
    print(f"{HEADING}\n\n{table}\nratio: {ratio:.2f}×")
    write_section(HEADING, body)
