"""Expressions run within a budget: nothing a file writes can hang an evaluation or fill memory."""

from __future__ import annotations

import re
import time

import pytest

from coachkit.worksheet import limits
from coachkit.worksheet.expressions import Expression, ExpressionError, NoValue
from coachkit.worksheet.scope import FUNCTION_NAMES, PURE_FUNCTIONS, Rule, Scope


def compiled(source: str) -> Expression:
    return Expression.compile(source, FUNCTION_NAMES)


def no_value(source: str, **names: object) -> NoValue:
    started = time.perf_counter()
    with pytest.raises(NoValue) as raised:
        compiled(source).outcome(names, PURE_FUNCTIONS)
    assert time.perf_counter() - started < 5  # refused before the work, not after it
    assert compiled(source).evaluate(names, PURE_FUNCTIONS) is None
    return raised.value


def squarings(count: int = 24, first: str = "99") -> Scope:
    values = [("v0", compiled(first))]
    values += [(f"v{step}", compiled(f"v{step - 1} * v{step - 1}")) for step in range(1, count + 1)]
    return Scope(values=tuple(values))


def test_a_chain_of_squarings_stops_at_its_first_large_number():
    started = time.perf_counter()
    values = squarings().values_of({})
    assert time.perf_counter() - started < 5
    assert values["v2"] == 99**4
    assert values["v3"] is None and values["v24"] is None  # 99**8 is past 10**15
    error = no_value("v * v", v=99**4)
    assert error.over_limit and "a number grows past 1,000,000,000,000,000" in str(error)


def test_a_rule_over_a_squared_answer_simply_does_not_hold():
    scope = squarings(first="rating")
    rule = Rule(compiled("v24 > 1"), scope)
    assert rule.holds({"rating": 11}) is False


@pytest.mark.parametrize(
    ("source", "names", "words"),
    [
        ("'a' * 1000000000", {}, "1,000,000,000 characters; the limit is 100,000"),
        ("1000000000 * 'a'", {}, "1,000,000,000 characters"),
        ("text * 6", {"text": "x" * 20_000}, "120,000 characters"),
        ("[text] * 100", {"text": "x" * 2_000}, "200,100 characters"),
        ("text + text + text + text + text + text", {"text": "x" * 20_000}, "120,000 characters"),
        ("pattern % 'x'", {"pattern": "%999999999s"}, "`%` on a text formats it"),
        ("join([text, text, text], sep)", {"text": "x", "sep": "y" * 60_000}, "120,003 characters"),
        ("12345678 * 12345678 * 12345678", {}, "a number grows past"),
        ("- 12345678 * 12345678 * 12345678", {}, "a number grows past"),
        ("9999999999999999", {}, "a number grows past"),
    ],
)
def test_values_past_the_limits_are_refused_before_they_are_built(source, names, words):
    error = no_value(source, **names)
    assert error.over_limit and words in str(error)


def test_each_evaluation_has_a_budget_of_work():
    text = "x" * 50_000
    # each `t == t` reads the text twice (100,002 steps); eleven of them are past 1,000,000
    error = no_value(" and ".join(["t == t"] * 11), t=text)
    assert error.over_limit and "more work than one expression may" in str(error)
    assert compiled(" and ".join(["t == t"] * 9)).outcome({"t": text}, PURE_FUNCTIONS) is True


@pytest.mark.parametrize(
    ("source", "names", "words"),
    [
        ("a < 3", {"a": None}, "mixes values that do not go together"),
        ("a / 0", {"a": 1}, "divides by zero"),
        ("clock(a)", {"a": "aa:bb"}, "cannot be worked out (ValueError)"),
        ("fails()", {}, "cannot be worked out (RuntimeError)"),
    ],
)
def test_every_failure_of_the_evaluator_is_no_value_with_plain_words(source, names, words):
    functions = {**PURE_FUNCTIONS, "fails": _fails}
    expression = Expression.compile(source, [*FUNCTION_NAMES, "fails"])
    with pytest.raises(NoValue) as raised:
        expression.outcome(names, functions)
    assert words in str(raised.value) and not raised.value.over_limit
    assert expression.evaluate(names, functions) is None


def _fails() -> None:
    raise RuntimeError("a bug, not the file's fault")


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("'%999999999s' % 'x'", "`%` on a text formats it"),
        ("'a' * 10**9", "** (a power) is not allowed"),
        ("x" + " + x" * 1000, "4,001 characters long"),
        ("not " * 60 + "x", f"more than {limits.MAX_EXPRESSION_DEPTH} deep"),
        ("(" * 300 + "x" + ")" * 300, "it does not read as an expression"),
        ("[" + ", ".join(["x"] * 400) + "]", "it has 803 parts"),
        ("1" + " + 1" * 60, f"more than {limits.MAX_EXPRESSION_DEPTH} deep"),
    ],
)
def test_expressions_past_the_limits_are_refused_when_the_file_is_read(source, words):
    with pytest.raises(ExpressionError, match=re.escape(words)):
        compiled(source)


def test_ordinary_expressions_keep_their_values():
    names = {"a": "calm", "b": ["x", "y"], "n": 3}
    assert compiled("a + ', ' + join(b, ' and ')").outcome(names, PURE_FUNCTIONS) == "calm, x and y"
    assert compiled("n * 2 % 4 == 2 and count(b) == 2").outcome(names, PURE_FUNCTIONS) is True
    assert compiled("'-' * 3").outcome({}, PURE_FUNCTIONS) == "---"
