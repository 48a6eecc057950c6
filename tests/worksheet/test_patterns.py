"""Patterns from files run with a time limit; ``check`` tries every expression and pattern on the largest
answers and reports what stops at a limit or is slow."""

from __future__ import annotations

import re
import textwrap
import time

import pytest

from coachkit.exercises.files import BUILT_IN, read_libraries
from coachkit.worksheet import limits
from coachkit.worksheet.fields import Refusal, ShortText
from coachkit.worksheet.loader import load_with_places, read_source
from coachkit.worksheet.patterns import Pattern, PatternError
from coachkit.worksheet.stress import slow_expressions, slow_patterns

CATASTROPHIC = r"(a|aa)+$"


def test_a_catastrophic_pattern_gives_up_within_its_time_limit_and_keeps_the_answer():
    pattern = Pattern.compile(CATASTROPHIC)
    box = ShortText(id="plan", label="Your plan", refusals=(Refusal(pattern.search, "Not that."),))
    answer = "a" * 299 + "!"
    started = time.perf_counter()
    assert box.clean(answer) == answer
    assert time.perf_counter() - started < 5  # the search gives up after PATTERN_SECONDS (0.1 s)
    assert pattern.search("aaaa") and not pattern.search("bbbb")


def test_a_pattern_reads_as_pythons_own_lookarounds_included_and_ignores_case():
    pattern = Pattern.compile(r"\bdrinks?\b(?! of (water|tea))")
    assert pattern.search("a few DRINKS at the bar")
    assert not pattern.search("a drink of water")


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("(unclosed", "the pattern does not read: missing )"),
        ("x" * (limits.MAX_PATTERN_CHARS + 1), "2,001 characters long"),
        ("", "a pattern is a line of text"),
    ],
)
def test_a_pattern_that_cannot_be_used_says_why(source, words):
    with pytest.raises(PatternError, match=re.escape(words)):
        Pattern.compile(source)


HOSTILE = textwrap.dedent(
    r"""
    id: hostile
    version: 1
    title: Hostile
    values:
      v0: 99
      v1: v0 * v0
      v2: v1 * v1
      v3: v2 * v2
      v4: v3 * v3
      long: "plan + plan + plan + plan + plan + plan"
      spaced: "'%9s' if plan else ''"
    steps:
      - id: one
        title: One
        fields:
          - id: plan
            kind: long_text
            label: Your plan
            max_length: 20000
            refuse:
              - {matches: '(a|aa)+$', message: No.}
              - {matches: '\bcar\b', message: No cars.}
          - {id: calm, kind: yes_no, label: Calm?, shown_if: "v4 > 0 or words_of_despair()"}
    """
)


def problems_of(text: str) -> list[tuple[int, str, str]]:
    loaded = load_with_places(text, "hostile.yaml", read_libraries())
    found = [*slow_expressions(loaded), *slow_patterns(loaded)]
    return [(placed.line, placed.where, said) for placed, said in found]


def test_check_reports_each_expression_that_stops_at_a_limit_and_each_slow_pattern_once():
    found = problems_of(HOSTILE)
    lines = [line for line, _, _ in found]
    assert lines == [9, 11, 22], found
    assert found[0][1] == "value 'v3'" and "a number grows past" in found[0][2]
    assert "120,000 characters" in found[1][2] and "(tried on the largest answers)" in found[1][2]
    assert found[2][1] == "step 'one', field 'plan'"
    assert "the pattern takes too long on an answer of 'a' × 19,999 then '!'" in found[2][2]


@pytest.mark.parametrize("path", sorted(BUILT_IN.glob("*.yaml")), ids=lambda path: path.name)
def test_no_built_in_expression_or_pattern_is_slow_or_stops_at_a_limit(path):
    assert problems_of(read_source(path)) == []
