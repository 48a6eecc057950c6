"""Evaluating an expression within a budget, so no file can make an evaluation hang or fill memory.

``BudgetedEval`` is simpleeval's evaluator with three guards (the numbers are in ``limits.py``):

- every value it makes is measured: a text or list past ``MAX_TEXT``, or a whole number past
  ``MAX_NUMBER``, stops the evaluation (so a chain of squarings stops at its first large number);
- ``*``, ``+`` and ``join`` work out the size of what they would build *before* building it, and ``%``
  on a text (formatting, as in ``'%999999999s' % 'x'``) is refused: nothing large is ever allocated;
- each step costs 1 plus the size of the value it makes, out of ``MAX_WORK`` per evaluation.

The budget counts steps, not seconds, so an expression gives the same value on a busy server as on an
idle one: a time limit could quietly turn a safety condition false under load.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

from simpleeval import DEFAULT_OPERATORS, EvalWithCompoundTypes

from coachkit.worksheet import limits


class OverLimit(ValueError):
    """An evaluation stopped before it went past a limit; the message says which, in plain words."""


def size(value: object) -> int:
    """What a value costs to hold: a text's characters, a list's items and theirs, else 1."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple):
        return len(value) + sum(size(item) for item in value)
    return 1


def measured(value: object) -> int:
    """``size(value)``; ``OverLimit`` if it is a text or list past ``MAX_TEXT``, or a number past
    ``MAX_NUMBER``."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > limits.MAX_NUMBER:
        raise OverLimit(f"a number grows past {limits.MAX_NUMBER:,}")
    cost = size(value)
    if cost > limits.MAX_TEXT:
        raise OverLimit(too_long(cost))
    return cost


def too_long(wanted: int) -> str:
    return f"it would make a text or list of {wanted:,} characters; the limit is {limits.MAX_TEXT:,}"


def _repeat(a: Any, b: Any) -> Any:
    """``a * b``, refused before a text or list is repeated past ``MAX_TEXT``."""
    for sequence, times in ((a, b), (b, a)):
        repeated = isinstance(sequence, str | list | tuple) and isinstance(times, int)
        if repeated and size(sequence) * max(times, 0) > limits.MAX_TEXT:
            raise OverLimit(too_long(size(sequence) * times))
    return a * b


def _add(a: Any, b: Any) -> Any:
    """``a + b``, refused before two texts or lists are joined past ``MAX_TEXT``."""
    sequences = isinstance(a, str | list | tuple) and isinstance(b, str | list | tuple)
    if sequences and size(a) + size(b) > limits.MAX_TEXT:
        raise OverLimit(too_long(size(a) + size(b)))
    return a + b


def _remainder(a: Any, b: Any) -> Any:
    """``a % b`` for numbers; on a text, ``%`` is formatting, which can build any length of text."""
    if isinstance(a, str):
        raise OverLimit("`%` on a text formats it, which expressions may not do (use `+` to join texts)")
    return a % b


OPERATORS = {
    **DEFAULT_OPERATORS,
    ast.Mult: _repeat,
    ast.Add: _add,
    ast.Mod: _remainder,
    ast.Sub: operator.sub,
}


class BudgetedEval(EvalWithCompoundTypes):  # type: ignore[misc]
    """simpleeval's evaluator, measuring every value it makes against ``limits`` (one per evaluation)."""

    def __init__(self, names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> None:
        super().__init__(operators=dict(OPERATORS), functions=dict(functions), names=dict(names))
        self.spent = 0

    def _eval(self, node: ast.AST) -> Any:
        value = super()._eval(node)
        self.spent += 1 + measured(value)
        if self.spent > limits.MAX_WORK:
            raise OverLimit(f"it does more work than one expression may ({limits.MAX_WORK:,} steps)")
        return value
