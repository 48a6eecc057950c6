"""Building the tidy frame from 100,000 answers, against ``pandas.read_sql`` of the raw answers table.

The store is filled quickly with SQLAlchemy ``executemany`` (not through the facade, which would take
minutes), with fight worksheet answers shaped like real ones. Both reads run in the same process on
the same store, alternating, five times each; each figure is the best of five. The ratio is what the
tidy frame's join, JSON decoding, field catalogue and ordering cost on top of reading the raw rows.
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

import pandas as pd
from sqlalchemy import insert, text

from benchmarks.report import machine, write_section
from coachkit.coach import frames
from coachkit.exercises import WORKSHEETS
from coachkit.store import Store, tables
from coachkit.store.database import READ_ONLY

ANSWERS = 100_000
CLIENTS = 200
REPEATS = 5
HEADING = "Tidy frame from 100,000 answers"
WORKSHEET = "fight-or-make-it-right"


def fill(store: Store, answers: int = ANSWERS, seed: int = 1) -> None:
    """``answers`` fight answers from ``CLIENTS`` clients, inserted in a few big statements."""
    rng = random.Random(seed)
    sheet = WORKSHEETS[WORKSHEET]
    fields = list(sheet.all_fields())
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    clients = [
        {"id": number, "name": f"Client {number}", "code": f"BENCH-{number:07d}", "created_at": start}
        for number in range(1, CLIENTS + 1)
    ]
    responses, rows = [], []
    response_id = 0
    while len(rows) < answers:
        response_id += 1
        when = start + dt.timedelta(minutes=response_id * 7)
        responses.append(
            {
                "id": response_id,
                "client_id": rng.randint(1, CLIENTS),
                "worksheet_id": WORKSHEET,
                "worksheet_version": sheet.version,
                "status": "completed",
                "current_step": len(sheet.steps) - 1,
                "started_at": when,
                "updated_at": when,
                "completed_at": when,
            }
        )
        for step, item in fields[: answers - len(rows)]:
            options = [option.value for option in getattr(item, "options", ())]
            value = (
                rng.choice(options)
                if options
                else rng.random() < 0.5
                if item.kind == "yes_no"
                else "words " * 8
            )
            rows.append(
                {
                    "response_id": response_id,
                    "step_id": step.id,
                    "field_id": item.id,
                    "value_json": json.dumps(value),
                    "saved_at": when,
                }
            )
    with store.engine.begin() as connection:
        connection.execute(insert(tables.clients), clients)
        connection.execute(insert(tables.responses), responses)
        connection.execute(insert(tables.answers), rows)


def timed(function: Callable[[], pd.DataFrame]) -> tuple[float, int]:
    started = time.perf_counter()
    rows = len(function())
    return time.perf_counter() - started, rows


def best_of(*functions: Callable[[], pd.DataFrame], repeats: int = REPEATS) -> list[tuple[float, float, int]]:
    """Best and median seconds of each function, and its rows; runs alternate so both see the same load."""
    runs: list[list[tuple[float, int]]] = [[] for _ in functions]
    for _ in range(repeats):
        for function, found in zip(functions, runs, strict=True):
            found.append(timed(function))
    return [
        (min(t for t, _ in found), statistics.median(t for t, _ in found), found[-1][1]) for found in runs
    ]


def raw_answers(store: Store) -> pd.DataFrame:
    with store.engine.connect() as connection:
        return pd.read_sql(text("select * from answers"), connection.execution_options(**READ_ONLY))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-") as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        fill(store)
        raw, tidy = best_of(lambda: raw_answers(store), lambda: frames.answers(store))
        store.close()
    ratio = tidy[0] / raw[0]
    table = (
        "| read | rows | best of 5 | median |\n|---|---:|---:|---:|\n"
        f'| `pandas.read_sql("select * from answers")` | {raw[2]:,} | {raw[0] * 1000:,.0f} ms | '
        f"{raw[1] * 1000:,.0f} ms |\n"
        f"| `coachkit.coach.frames.answers(store)` (tidy frame) | {tidy[2]:,} | {tidy[0] * 1000:,.0f} ms | "
        f"{tidy[1] * 1000:,.0f} ms |\n"
    )
    body = (
        f"The tidy frame takes **{ratio:.1f}×** as long as reading the raw answers table with "
        "`pandas.read_sql`, both measured in the same run on the same SQLite store (fight worksheet "
        f"answers from {CLIENTS} clients). It joins clients and responses, decodes every answer's JSON, "
        "adds each question's kind and label and orders the answers as the worksheet asks them.\n\n"
        f"{table}\nMeasured {machine()}.\n\nRun again with `make bench` or `python -m benchmarks tidy_frame`."
    )
    print(f"{HEADING}\n\n{table}\nratio: {ratio:.2f}×")
    write_section(HEADING, body)
