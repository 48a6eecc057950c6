"""What reading worksheet files as untrusted input costs: the limits pass and the expression budget.

Reading: every built-in worksheet read from its text (as a kernel does when a page opens), with the pass
over libyaml's events that holds a file to the limits, against the same loader without that pass.
Evaluating: every worksheet's feedback, flags and named values on the largest answers it can get, with
``BudgetedEval``, against simpleeval's own evaluator. Both alternate in blocks, CPU time
(``time.process_time``), best block of each. Then what the billion laughs and a chain of squarings cost
before they are refused: time, and peak memory (``tracemalloc``).
"""

from __future__ import annotations

import contextlib
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from simpleeval import EvalWithCompoundTypes

from benchmarks.report import machine, write_section
from coachkit.exercises.files import read_libraries, worksheet_paths
from coachkit.worksheet import expressions, yaml_source
from coachkit.worksheet.expressions import Expression
from coachkit.worksheet.loader import load_with_places, read_source
from coachkit.worksheet.scope import FUNCTION_NAMES, PURE_FUNCTIONS, Scope
from coachkit.worksheet.stress import answer_sets
from coachkit.worksheet.yaml_source import YamlError, read_yaml

BLOCKS = 7
READS = 10
EVALUATIONS = 4
HEADING = "Worksheet files as untrusted input"


class _PlainEval(EvalWithCompoundTypes):  # type: ignore[misc]
    """simpleeval's evaluator with ``BudgetedEval``'s signature: the baseline."""

    def __init__(self, names: Any, functions: Any) -> None:
        super().__init__(functions=dict(functions), names=dict(names))


def _best(ours: Callable[[], None], baseline: Callable[[], None], swap: Callable[[bool], None]) -> tuple:
    """The least CPU time of ``BLOCKS`` blocks of each, alternating (and which goes first)."""
    times: dict[str, list[float]] = {"ours": [], "baseline": []}
    for block in range(BLOCKS):
        for name in ("ours", "baseline") if block % 2 == 0 else ("baseline", "ours"):
            swap(name == "baseline")
            started = time.process_time()
            (ours if name == "ours" else baseline)()
            times[name].append(time.process_time() - started)
    swap(False)
    return min(times["ours"]), min(times["baseline"])


def reading() -> tuple[float, float]:
    texts = [(read_source(path), str(path)) for path in worksheet_paths()]
    libraries = read_libraries()
    scan = yaml_source._scan

    def swap(baseline: bool) -> None:
        yaml_source._scan = (lambda text: None) if baseline else scan

    def read() -> None:
        for _ in range(READS):
            for text, path in texts:
                load_with_places(text, path, libraries)

    return _best(read, read, swap)


def evaluating() -> tuple[float, float]:
    loaded = [load_with_places(read_source(path), str(path), read_libraries()) for path in worksheet_paths()]
    cases = [
        (item, answers) for item in loaded for answers in answer_sets(item.scope, item.worksheet.carries)
    ]

    def swap(baseline: bool) -> None:
        expressions.BudgetedEval = _PlainEval if baseline else budgeted  # type: ignore[misc]

    def evaluate() -> None:
        for _ in range(EVALUATIONS):
            for item, answers in cases:
                item.worksheet.feedback(answers)
                item.worksheet.flags(answers)
                item.worksheet.values(answers)

    budgeted = expressions.BudgetedEval
    return _best(evaluate, evaluate, swap)


def hostile() -> list[tuple[str, float, float]]:
    """(attack, seconds, peak MiB) until each is refused."""
    laughs = ['l0: &l0 "lol"'] + [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    squarings = [("v0", Expression.compile("99", FUNCTION_NAMES))] + [
        (f"v{n}", Expression.compile(f"v{n - 1} * v{n - 1}", FUNCTION_NAMES)) for n in range(1, 25)
    ]
    attacks: list[tuple[str, Callable[[], object]]] = [
        ("billion laughs (9 levels of 9 aliases)", lambda: read_yaml("\n".join(laughs) + "\nx: *l9\n")),
        ("999 levels of brackets", lambda: read_yaml("x: " + "[" * 999 + "]" * 999)),
        ("24 squarings of 99", lambda: Scope(values=tuple(squarings)).values_of({})),
        (
            "`'a' * 1000000000`",
            lambda: Expression.compile("'a' * 1000000000", FUNCTION_NAMES).evaluate({}, PURE_FUNCTIONS),
        ),
    ]
    found = []
    for name, attack in attacks:
        tracemalloc.start()
        started = time.perf_counter()
        with contextlib.suppress(YamlError):
            attack()
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        found.append((name, seconds, peak))
    return found


def main() -> None:
    read_ours, read_base = reading()
    eval_ours, eval_base = evaluating()
    attacks = hostile()
    per_read = read_ours / READS * 1000
    rows = "\n".join(
        f"| {name} | {seconds * 1000:.1f} ms | {peak:.2f} MiB |" for name, seconds, peak in attacks
    )
    body = f"""
Reading every built-in worksheet from its text with the limits pass takes **{read_ours / read_base:.2f}×**
the CPU time of the same loader without it ({per_read:.1f} ms for all {len(worksheet_paths())} files, as
a kernel reads them when a client's page opens). Evaluating every worksheet's feedback, flags and named
values on its largest answers with the budgeted evaluator takes **{eval_ours / eval_base:.2f}×** the CPU
time of simpleeval's own evaluator.

What an attack costs before it is refused (wall clock, and peak memory traced by `tracemalloc`):

| attack | until refused | peak memory |
|---|---:|---:|
{rows}

Before the limits, the billion laughs allocated until a `MemoryError` and the squarings kept a kernel at
full CPU until it was reclaimed.

How it was measured: {BLOCKS} blocks of each, alternating (and which goes first), each block {READS}
readings of every file or {EVALUATIONS} evaluations of every answer set (no answers; every answer at its
largest; carried answers as numbers); CPU time by `time.process_time`, the best block of each. The
baselines swap out the limits pass and the evaluator in the same process.

Measured {machine()}.

Run again with `make bench` or `python -m benchmarks worksheet_files`.
"""
    print(body)
    write_section(HEADING, body)
