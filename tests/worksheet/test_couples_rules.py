"""A worksheet says whether it suits couples, and how two partners' answers are compared: data, checked."""

from __future__ import annotations

import pytest

from coachkit.exercises import get_worksheet
from coachkit.exercises.files import read_libraries
from coachkit.worksheet.couples import compare
from coachkit.worksheet.loader import WorksheetFileError, load_worksheet

FIGHT = get_worksheet("fight-or-make-it-right")
FIELDS = {item.id: item for _, item in FIGHT.all_fields()}

HEAD = """\
id: couples-demo
version: 1
title: Demo
uses: [safety]
steps:
  - id: one
    title: One
    fields:
      - use: been_hurt
      - id: often
        kind: single_choice
        label: How often?
        options: {rarely: Rarely, monthly: Monthly, daily: Daily}
      - {id: note, kind: long_text, label: A note, required: false}
"""


def load(couples: str):  # type: ignore[no-untyped-def]
    return load_worksheet(HEAD + couples, "demo.yaml", read_libraries())


def test_the_fight_worksheet_compares_the_articles_questions_but_never_safety():
    assert FIGHT.couples is not None
    assert "role" in FIGHT.couples.compare and "frequency" in FIGHT.couples.compare
    assert not any(FIELDS[field].sensitive for field in FIGHT.couples.compare)


def test_each_says_the_other_starts_it_is_marked_though_the_choice_is_the_same():
    rows = {
        row.field_id: row
        for row in compare(FIGHT.couples, FIELDS, {"role": "receiver"}, {"role": "receiver"})
    }
    assert rows["role"].same is True
    assert rows["role"].marks == (
        "Each says they are usually on the receiving end, so each sees the other as starting the fights.",
    )


def test_weekly_against_rarely_is_marked_with_both_answers_and_close_ones_are_not():
    far = compare(FIGHT.couples, FIELDS, {"frequency": "weekly"}, {"frequency": "rarely"})
    [frequency] = [row for row in far if row.field_id == "frequency"]
    assert frequency.same is False
    assert frequency.marks == (
        "They see it differently: one says “About once a week”, the other “Rarely, a few times a year”.",
    )
    near = compare(FIGHT.couples, FIELDS, {"frequency": "weekly"}, {"frequency": "monthly"})
    assert [row.marks for row in near if row.field_id == "frequency"] == [()]


def test_an_unanswered_question_is_neither_the_same_nor_different():
    [role, *_] = compare(FIGHT.couples, FIELDS, {"role": "starter"}, {})
    assert role.same is None and role.second == ""


def test_a_file_that_compares_a_private_question_is_refused():
    with pytest.raises(WorksheetFileError, match="private answers are never compared"):
        load("couples:\n  compare: [been_hurt, often]\n")


@pytest.mark.parametrize(
    ("marks", "message"),
    [
        ("    - {field: nowhere, both: daily, text: x}\n", "no question 'nowhere'"),
        ("    - {field: often, both: weekly, text: x}\n", "'weekly' is not an answer of 'often'"),
        ("    - {field: note, apart: 2, text: x}\n", "reads a single-choice question"),
        ("    - {field: often, text: x}\n", "either `both: <answer>` or `apart: N`"),
    ],
)
def test_marks_that_cannot_work_say_what_to_change(marks, message):
    with pytest.raises(WorksheetFileError, match=message):
        load("couples:\n  compare: [often, note]\n  marks:\n" + marks)


def test_a_good_couples_section_loads():
    sheet = load(
        "couples:\n  compare: [often, note]\n  marks:\n    - {field: often, apart: 2, text: far apart}\n"
    )
    assert sheet.couples is not None and sheet.couples.compare == ("often", "note")
