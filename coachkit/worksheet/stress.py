"""Every expression and pattern of a worksheet, tried on the largest answers it can get.

``coachkit worksheet check`` (and ``serve`` and the dashboard, before they start) report each expression
that would stop at a limit (``budget.py``: it then has no value for those answers, so a condition would
not hold) and each pattern that reaches its time limit on some text (``patterns.py``: such a text is
then let through): these are problems, which stop a server. An expression or pattern that is only slow
still works, and is a note. Slow means more than ``SLOW_SECONDS`` of this thread's own CPU time, the
least of three tries, so a busy machine does not make a sound expression or pattern look slow (a pattern
that reaches its time limit, which is measured on the clock, three times over is slow whatever the load).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from coachkit.worksheet import limits
from coachkit.worksheet.expressions import Expression, NoValue
from coachkit.worksheet.fields import Field, MultiChoice, Rating, ShortText, SingleChoice, TimeOfDay, YesNo
from coachkit.worksheet.loader import Loaded, Placed
from coachkit.worksheet.patterns import Pattern
from coachkit.worksheet.scope import Scope

LONGEST_TEXT = 20_000
"""The most any text box holds: what a carried answer (from another worksheet) may be."""
TRIES = 3


@dataclass(frozen=True)
class Finding:
    """What ``check`` tells the coach about one expression or pattern."""

    placed: Placed
    said: str
    serious: bool
    """It changes what the worksheet does (no value; an answer let through), not only how fast it is."""


def _largest(item: Field) -> Any:
    if isinstance(item, ShortText):
        return ("a " * item.max_length)[: item.max_length]
    if isinstance(item, MultiChoice):
        return [option.value for option in item.options]
    if isinstance(item, SingleChoice):
        return max((option.value for option in item.options), key=len, default=None)
    if isinstance(item, Rating):
        return item.high
    if isinstance(item, TimeOfDay):
        return "23:59"
    return True if isinstance(item, YesNo) else None


def answer_sets(scope: Scope, carries: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """No answers; every answer at its largest (carried ones as the longest text); carried ones as
    numbers."""
    yield {}
    largest = {field_id: _largest(item) for field_id, item in scope.fields.items()}
    yield {**dict.fromkeys(carries, "a " * (LONGEST_TEXT // 2)), **largest}
    yield {**dict.fromkeys(carries, 10), **largest}


def _cpu_seconds(expression: Expression, scope: Scope, names: dict[str, Any]) -> float:
    started = time.thread_time()
    expression.evaluate(names, scope.functions(names))
    return time.thread_time() - started


def _try(placed: Placed, scope: Scope, names: dict[str, Any]) -> tuple[Any, Finding | None]:
    """The expression's value for ``names`` (None if it has none), and what to tell the coach, if anything."""
    expression = placed.expression
    assert expression is not None
    started = time.thread_time()
    try:
        return expression.outcome(names, scope.functions(names)), _slow(placed, scope, names, started)
    except NoValue as error:
        if error.over_limit:
            said = f"{error}, so it would have no value (tried on the largest answers)"
            return None, Finding(placed, said, serious=True)
        return None, _slow(placed, scope, names, started)


def _slow(placed: Placed, scope: Scope, names: dict[str, Any], started: float) -> Finding | None:
    seconds = time.thread_time() - started
    if seconds > limits.SLOW_SECONDS:
        assert placed.expression is not None
        again = [_cpu_seconds(placed.expression, scope, names) for _ in range(TRIES - 1)]
        seconds = min([seconds, *again])
    if seconds <= limits.SLOW_SECONDS:
        return None
    said = (
        f"note: it takes {seconds:.2f} s on the largest answers (every text box full); it works, but "
        "each page waits for it"
    )
    return Finding(placed, said, serious=False)


def slow_expressions(loaded: Loaded) -> Iterator[Finding]:
    """Each expression that stops at a limit or is slow on some answer set (once each)."""
    scope, told = loaded.scope, set()
    values = {id(expression): name for name, expression in scope.values}
    in_order = sorted(
        (placed for placed in loaded.placed if placed.expression is not None),
        key=lambda placed: id(placed.expression) not in values,
    )
    for answers in answer_sets(scope, loaded.worksheet.carries):
        names: dict[str, Any] = dict(answers)
        texts = [value for value in answers.values() if isinstance(value, str)]
        names["value"] = max(texts, key=len, default=None)  # what a notice's `when` reads
        for placed in in_order:
            value, finding = _try(placed, scope, names)
            if id(placed.expression) in values:
                names[values[id(placed.expression)]] = value
            if finding and id(placed) not in told:
                told.add(id(placed))
                yield finding


def _texts(pattern: Pattern, longest: int) -> Iterator[str]:
    """Texts most likely to be slow: one character over and over, ending so that nothing matches."""
    characters = sorted({"a", "1", " ", "-"} | {c for c in pattern.source if c.isalnum()})[:40]
    for character in characters:
        yield character * longest
        yield character * (longest - 1) + "!"


def slow_patterns(loaded: Loaded) -> Iterator[Finding]:
    """Each pattern that reaches the time limit, or is slow, on some text."""
    for placed in loaded.placed:
        if placed.pattern is None:
            continue
        for text in _texts(placed.pattern, placed.max_length):
            seconds = placed.pattern.seconds(text)
            if seconds > limits.SLOW_SECONDS:  # the least of three, as for expressions
                seconds = min([seconds] + [placed.pattern.seconds(text) for _ in range(TRIES - 1)])
            if seconds > limits.SLOW_SECONDS:
                shown = (
                    f"{text[0]!r} × {len(text):,}"
                    if text[-1] == text[0]
                    else f"{text[0]!r} × {len(text) - 1:,} then '!'"
                )
                why = "(a repeat inside a repeat, such as `(a|aa)+`, doubles the time with each character)"
                if seconds >= limits.PATTERN_SECONDS:
                    said = (
                        f"the pattern takes too long on an answer of {shown} {why}; such answers would be "
                        "let through. Write it without the repeat inside a repeat"
                    )
                else:
                    said = (
                        f"note: the pattern takes {seconds:.2f} s on an answer of {shown} {why}; it works, "
                        "but each save waits for it"
                    )
                yield Finding(placed, said, serious=seconds >= limits.PATTERN_SECONDS)
                break
