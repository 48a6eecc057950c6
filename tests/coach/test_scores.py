"""Measures over time, read the way each worksheet file declares them, for any worksheet file."""

from __future__ import annotations

import pandas as pd
import pytest

from coachkit.coach import frames, scores
from coachkit.exercises import WORKSHEETS
from tests.coach.conftest import FIGHT, fight, fill

PRACTICE = "anger-plan-practice"
PRACTICE_ENTRY = {
    "noticed": True,
    "said_statements": True,
    "came_back_on_time": "yes",
    "talk_went": 4,
    "note": "Walked it off.",
}


def frame_of(store, sheet_id: str, measure_id: str) -> pd.DataFrame:
    return scores.measure(frames.answers(store), sheet_id, measure_id)


def test_a_count_adds_up_the_yes_answers(store, ann):
    first = fill(store, ann, FIGHT, fight(self_check=4, frequency="daily"))
    second = fill(store, ann, FIGHT, fight(self_check=1, frequency="monthly"))
    found = frame_of(store, FIGHT, "self_check")
    assert found["response_id"].tolist() == [first.id, second.id]
    assert found["value"].tolist() == [4, 1]
    assert str(found["value"].dtype) == "Int64"
    assert list(found.columns) == [*scores.WHEN, "value"]


def test_a_scale_places_the_answer_on_its_options_and_highlights(store, ann):
    fill(store, ann, FIGHT, fight(frequency="daily"))
    fill(store, ann, FIGHT, fight(frequency="monthly"))
    found = frame_of(store, FIGHT, "frequency")
    assert found["value"].tolist() == ["daily", "monthly"]
    assert found["label"].tolist() == ["Almost every day", "About once a month"]
    assert found["rank"].tolist() == [4, 1]
    assert found["highlight"].tolist() == [True, False]


def test_drafts_are_left_out(store, ann):
    fill(store, ann, FIGHT, fight(self_check=5), steps=3, complete=False)
    assert frame_of(store, FIGHT, "self_check").empty


def test_rows_are_ordered_by_client_then_time(store, ann):
    bob = store.add_client("Bob")
    fill(store, bob, FIGHT, fight(self_check=2))
    fill(store, ann, FIGHT, fight(self_check=3))
    fill(store, ann, FIGHT, fight(self_check=0))
    found = frame_of(store, FIGHT, "self_check")
    assert found["client"].tolist() == ["Ann Lee", "Ann Lee", "Bob"]
    assert found["value"].tolist() == [3, 0, 2]


def test_checks_give_yes_no_or_nothing_where_a_check_did_not_apply(store, ann):
    fill(store, ann, PRACTICE, PRACTICE_ENTRY)
    fill(store, ann, PRACTICE, {**PRACTICE_ENTRY, "said_statements": False, "came_back_on_time": "late"})
    fill(store, ann, PRACTICE, {**PRACTICE_ENTRY, "came_back_on_time": "not_needed", "talk_went": 2})
    found = frame_of(store, PRACTICE, "plan_parts")
    assert found["Noticed it"].tolist() == [True, True, True]
    assert found["Used the plan"].tolist() == [True, False, True]
    assert found["Back on time"].tolist() == [True, False, pd.NA]
    assert str(found["Back on time"].dtype) == "boolean"
    assert frame_of(store, PRACTICE, "talk_went")["value"].tolist() == [4, 4, 2]


def test_a_count_out_of_the_options_ticked(store, ann):
    answers = {"relationship_length": "long_term", "beliefs": ["my_fault", "afraid_alone"]}
    fill(store, ann, "wanting-them-back", answers)
    assert frame_of(store, "wanting-them-back", "beliefs")["value"].tolist() == [2]


def test_a_new_worksheet_files_measures_need_no_code(store, ann, check_in):
    fill(store, ann, check_in.id, {"calm": True, "kind_word": False, "mood": 7, "talks": "never"})
    fill(store, ann, check_in.id, {"calm": True, "kind_word": True, "mood": 9, "talks": "often"})
    tidy = frames.answers(store)
    found = {item.id: frame for sheet, item, frame in scores.all_measures(tidy) if sheet is check_in}
    assert found["good_things"]["value"].tolist() == [1, 2]
    assert found["mood"]["value"].tolist() == [7, 9]
    assert found["talks"]["label"].tolist() == ["Never", "Often"]
    assert found["talks"]["highlight"].tolist() == [True, False]
    assert found["parts"]["Kind"].tolist() == [False, True]


def test_a_rating_that_is_not_a_number_is_left_empty(store, ann, check_in):
    fill(store, ann, check_in.id, {"calm": True, "kind_word": True, "mood": True, "talks": "some"})
    assert frame_of(store, check_in.id, "mood")["value"].isna().all()


def test_an_option_the_worksheet_no_longer_has_is_left_off_the_scale(store, ann, check_in):
    fill(store, ann, check_in.id, {"calm": True, "kind_word": True, "mood": 5, "talks": "daily"})
    found = frame_of(store, check_in.id, "talks")
    assert found["rank"].isna().all()
    assert found["highlight"].tolist() == [False]


def test_all_measures_follow_the_worksheets_order(store):
    found = [(sheet.id, item.id) for sheet, item, _ in scores.all_measures(frames.answers(store))]
    expected = [(sheet.id, item.id) for sheet in WORKSHEETS.values() for item in sheet.measures]
    assert found == expected
    assert {sheet_id for sheet_id, _ in found} >= {FIGHT, PRACTICE, "on-the-receiving-end"}


def test_versions_are_newest_first_and_numbered_per_client(store, ann):
    plan = {"signs": ["hot"], "calm_action": "walk", "back_how": "agree"}
    first = fill(store, ann, "my-anger-plan", plan)
    second = fill(store, ann, "my-anger-plan", {**plan, "calm_action": "exercise"})
    found = scores.versions(frames.answers(store), WORKSHEETS["my-anger-plan"])
    assert found["response_id"].tolist() == [second.id, first.id]
    assert found["number"].tolist() == [2, 1]
    assert found["answers"].tolist()[0]["calm_action"] == "exercise"
    assert list(found.columns) == scores.VERSION_COLUMNS


def test_no_answers_give_empty_frames_with_their_columns(store):
    tidy = frames.answers(store)
    for sheet, item, frame in scores.all_measures(tidy):
        assert frame.empty, (sheet.id, item.id)
        assert list(frame.columns)[: len(scores.WHEN)] == scores.WHEN
    empty = scores.versions(tidy, WORKSHEETS["my-anger-plan"])
    assert empty.empty and list(empty.columns) == scores.VERSION_COLUMNS


def test_an_unknown_measure_names_the_ones_there_are():
    with pytest.raises(KeyError, match="'fight-or-make-it-right' has no measure 'mood'; it has: self_check"):
        scores.find_measure(FIGHT, "mood")
