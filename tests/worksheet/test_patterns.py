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
from coachkit.worksheet.loader import load_with_places, read_library, read_source
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


def problems_of(text: str, path: str = "hostile.yaml") -> list[tuple[int, str, str]]:
    """What ``check`` says of the file's expressions and patterns that changes what it does (not notes)."""
    loaded = load_with_places(text, path, read_libraries())
    found = [finding for finding in [*slow_expressions(loaded), *slow_patterns(loaded)] if finding.serious]
    assert all(finding.placed.path == path for finding in found)
    return [(finding.placed.line, finding.placed.where, finding.said) for finding in found]


def test_check_reports_each_expression_that_stops_at_a_limit_and_each_slow_pattern_once():
    found = problems_of(HOSTILE)
    lines = [line for line, _, _ in found]
    assert lines == [9, 11, 22], found
    assert found[0][1] == "value 'v3'" and "a number grows past" in found[0][2]
    assert "120,000 characters" in found[1][2] and "(tried on the largest answers)" in found[1][2]
    assert found[2][1] == "step 'one', field 'plan'"
    assert "the pattern takes too long on an answer of 'a' × 19,999 then '!'" in found[2][2]


def test_a_library_value_is_reported_at_its_own_file_and_line():
    library = read_library("library: bombs\nvalues:\n  many: \"'a' * 1000000000\"\n", "bombs.yaml")
    text = HOSTILE.replace("values:\n", "uses: [bombs]\nvalues:\n")
    loaded = load_with_places(text, "hostile.yaml", {**read_libraries(), "bombs": library})
    [many] = [finding for finding in slow_expressions(loaded) if finding.placed.where == "value 'many'"]
    assert (many.placed.path, many.placed.line, many.serious) == ("bombs.yaml", 3, True)


def test_what_is_only_slow_is_a_note_that_says_it_works(monkeypatch):
    monkeypatch.setattr(limits, "SLOW_SECONDS", -1.0)  # every expression and pattern counts as slow
    loaded = load_with_places(HOSTILE, "hostile.yaml", read_libraries())
    patterns = list(slow_patterns(loaded))  # each is reported at its first slow text: spaces, here
    assert [finding.serious for finding in patterns] == [False, False]
    assert all(
        f.said.startswith("note: the pattern takes 0.00 s on an answer of ' ' × 20,000") for f in patterns
    )
    notes = [finding for finding in slow_expressions(loaded) if not finding.serious]
    assert {finding.placed.where for finding in notes} >= {"value 'v0'", "value 'spaced'"}
    assert all(finding.said.startswith("note: it takes 0.0") for finding in notes)
    assert all("it works, but each page waits for it" in finding.said for finding in notes)


@pytest.mark.parametrize("path", sorted(BUILT_IN.glob("*.yaml")), ids=lambda path: path.name)
def test_no_built_in_expression_stops_at_a_limit_and_no_pattern_reaches_its_time(path):
    assert problems_of(read_source(path), str(path)) == []
