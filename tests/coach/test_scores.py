"""Per-worksheet results over time, and empty frames for worksheets that do not exist (yet)."""

from __future__ import annotations

import pandas as pd
import pytest

from coachkit.coach import frames, scores
from coachkit.exercises import WORKSHEETS
from coachkit.worksheet import LongText, Rating, Step, Worksheet, YesNo
from tests.coach.conftest import FIGHT, fight, fill

PRACTICE_ENTRY = {
    "noticed": True,
    "said_statements": True,
    "came_back_on_time": "yes",
    "talk_went": 4,
    "note": "Walked it off.",
}


def tidy_of(store):
    return frames.answers(store)


def test_fight_scores_count_the_self_check_and_place_the_frequency(store, ann):
    first = fill(store, ann, FIGHT, fight(self_check=4, frequency="daily"))
    second = fill(store, ann, FIGHT, fight(self_check=1, frequency="monthly"))
    found = scores.fight_scores(tidy_of(store))
    assert found["response_id"].tolist() == [first.id, second.id]
    assert found["self_check"].tolist() == [4, 1]
    assert found["frequency"].tolist() == ["daily", "monthly"]
    assert found["frequency_label"].tolist() == ["Almost every day", "About once a month"]
    assert found["frequency_rank"].tolist() == [4, 1]
    assert list(found.columns) == scores.FIGHT_COLUMNS


def test_fight_scores_leave_out_drafts(store, ann):
    fill(store, ann, FIGHT, fight(self_check=5), steps=3, complete=False)
    assert scores.fight_scores(tidy_of(store)).empty


def test_scores_are_ordered_by_client_then_time(store, ann):
    bob = store.add_client("Bob")
    fill(store, bob, FIGHT, fight(self_check=2))
    fill(store, ann, FIGHT, fight(self_check=3))
    fill(store, ann, FIGHT, fight(self_check=0))
    found = scores.fight_scores(tidy_of(store))
    assert found["client"].tolist() == ["Ann Lee", "Ann Lee", "Bob"]
    assert found["self_check"].tolist() == [3, 0, 2]


def test_practice_log_reads_each_part_of_the_plan(store, ann):
    fill(store, ann, scores.PRACTICE, PRACTICE_ENTRY)
    fill(
        store, ann, scores.PRACTICE, {**PRACTICE_ENTRY, "said_statements": False, "came_back_on_time": "late"}
    )
    fill(store, ann, scores.PRACTICE, {**PRACTICE_ENTRY, "came_back_on_time": "not_needed", "talk_went": 2})
    found = scores.practice_log(tidy_of(store))
    assert found["noticed"].tolist() == [True, True, True]
    assert found["said_statements"].tolist() == [True, False, True]
    assert found["came_back_on_time"].tolist() == [True, False, pd.NA]
    assert found["came_back"].tolist()[1] == "Yes, but later than I said"
    assert found["talk_went"].tolist() == [4, 4, 2]
    assert found["note"].tolist()[0] == "Walked it off."
    assert str(found["talk_went"].dtype) == "Int64"
    assert list(found.columns) == scores.PRACTICE_COLUMNS


def test_practice_log_also_reads_a_yes_no_came_back_question(store, ann, monkeypatch):
    stand_in = Worksheet(
        id=scores.PRACTICE,
        version=1,
        title="Practice (stand-in)",
        steps=(
            Step(
                id="log",
                title="Log",
                fields=(
                    YesNo(id="noticed", label="Noticed?"),
                    YesNo(id="said_statements", label="Said them?"),
                    YesNo(id="came_back_on_time", label="Back on time?"),
                    Rating(id="talk_went", label="Talk?", low=1, high=5),
                    LongText(id="note", label="Note", required=False),
                ),
            ),
        ),
    )
    monkeypatch.setitem(WORKSHEETS, scores.PRACTICE, stand_in)
    fill(store, ann, scores.PRACTICE, {**PRACTICE_ENTRY, "came_back_on_time": False})
    found = scores.practice_log(tidy_of(store))
    assert found["came_back_on_time"].tolist() == [False]
    assert found["came_back"].tolist() == [False]


@pytest.mark.parametrize(
    ("value", "meaning"),
    [
        (True, True),
        (False, False),
        ("yes", True),
        ("no", False),
        ("late", False),
        ("not_needed", None),
        (None, None),
    ],
)
def test_as_yes(value, meaning):
    assert scores.as_yes(value) is meaning


def test_beliefs_counts_what_was_recognized(store, ann):
    fill(
        store,
        ann,
        scores.BELIEFS,
        {"relationship_length": "long_term", "beliefs": ["my_fault", "afraid_alone"]},
    )
    found = scores.beliefs(tidy_of(store))
    assert found[["recognized", "out_of"]].values.tolist() == [[2, 8]]
    assert found["beliefs"].tolist() == [["my_fault", "afraid_alone"]]
    assert list(found.columns) == scores.BELIEF_COLUMNS


def test_plan_versions_are_newest_first_and_numbered(store, ann):
    plan = {"signs": ["hot"], "calm_action": "walk", "back_how": "agree"}
    first = fill(store, ann, scores.ANGER_PLAN, plan)
    second = fill(store, ann, scores.ANGER_PLAN, {**plan, "calm_action": "exercise"})
    found = scores.plan_versions(tidy_of(store))
    assert found["response_id"].tolist() == [second.id, first.id]
    assert found["number"].tolist() == [2, 1]
    assert found["answers"].tolist()[0]["calm_action"] == "exercise"


@pytest.mark.parametrize(
    ("worksheet_id", "function", "columns"),
    [
        (scores.PRACTICE, scores.practice_log, scores.PRACTICE_COLUMNS),
        (scores.BELIEFS, scores.beliefs, scores.BELIEF_COLUMNS),
        (scores.ANGER_PLAN, scores.plan_versions, scores.PLAN_COLUMNS),
        (scores.FIGHT, scores.fight_scores, scores.FIGHT_COLUMNS),
    ],
)
def test_a_missing_worksheet_gives_an_empty_frame(store, ann, monkeypatch, worksheet_id, function, columns):
    fill(store, ann, FIGHT, fight())
    tidy = tidy_of(store)
    monkeypatch.delitem(WORKSHEETS, worksheet_id)
    found = function(tidy)
    assert found.empty
    assert list(found.columns) == columns


@pytest.mark.parametrize(
    "function", [scores.fight_scores, scores.practice_log, scores.beliefs, scores.plan_versions]
)
def test_no_answers_gives_an_empty_frame(store, function):
    assert function(tidy_of(store)).empty
