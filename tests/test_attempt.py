"""An attempt bridges a worksheet and the store: start, resume, autosave, complete and flags."""

import pytest
from sqlalchemy import select

from coachkit.attempt import Attempt
from coachkit.store import DraftTakenOver, ResponseCompleted, Store, tables
from coachkit.worksheet import AllOf, FlagRule, ShortText, Step, When, Worksheet, YesNo

BOTH_YES = FlagRule("both", AllOf(When("first", True), When("second", True)), "said yes twice")
"""Raised only when two answers from different steps are yes."""


@pytest.fixture
def worksheet() -> Worksheet:
    return Worksheet(
        id="tiny-sheet",
        version=2,
        title="Tiny",
        steps=(
            Step(id="one", title="One", fields=(YesNo(id="first", label="First?"),)),
            Step(id="two", title="Two", fields=(YesNo(id="second", label="Second?"),)),
            Step(id="three", title="Three", fields=(ShortText(id="note", label="Note"),)),
        ),
        flag_rules=(BOTH_YES,),
    )


@pytest.fixture
def attempt(store, worksheet) -> Attempt:
    return Attempt.start(store, worksheet, store.add_client("Ann Lee"))


def stored_step_ids(store: Store, response_id: int) -> dict[str, str]:
    query = select(tables.answers.c.field_id, tables.answers.c.step_id).where(
        tables.answers.c.response_id == response_id
    )
    with store.engine.connect() as connection:
        return dict(connection.execute(query).all())


def test_start_makes_a_draft_for_the_worksheets_id_and_version(store, worksheet):
    client = store.add_client("Ann Lee")
    started = Attempt.start(store, worksheet, client)
    assert (started.response.client_id, started.response.worksheet_id) == (client.id, "tiny-sheet")
    assert started.response.worksheet_version == 2
    assert store.find_draft(client.id, "tiny-sheet") == started.response


def test_a_started_attempt_has_no_answers_and_is_on_the_first_step(attempt):
    assert attempt.answers == {}
    assert attempt.step_index == 0
    assert not attempt.completed


def test_save_step_stores_the_answers(store, attempt):
    attempt.save_step(0, {"first": True}, next_index=1)
    assert store.get_answers(attempt.response.id) == {"first": True}
    assert attempt.answers == {"first": True}


def test_save_step_files_answers_under_the_steps_id(store, attempt):
    attempt.save_step(1, {"second": False}, next_index=2)
    assert stored_step_ids(store, attempt.response.id) == {"second": "two"}


def test_save_step_moves_to_the_next_step(store, attempt):
    attempt.save_step(0, {"first": True}, next_index=1)
    assert attempt.step_index == 1
    assert store.get_response(attempt.response.id).current_step == 1


def test_save_step_going_back_keeps_later_answers(attempt):
    attempt.save_step(0, {"first": True}, next_index=1)
    attempt.save_step(1, {"second": True}, next_index=0)
    assert attempt.step_index == 0
    assert attempt.answers == {"first": True, "second": True}


def test_resume_loads_the_saved_answers_and_step(store, worksheet, attempt):
    attempt.save_step(0, {"first": True}, next_index=1)
    draft = store.find_draft(attempt.client.id, worksheet.id)
    resumed = Attempt.resume(store, worksheet, attempt.client, draft)
    assert resumed.answers == {"first": True}
    assert resumed.step_index == 1
    assert resumed.response == attempt.response


def test_step_index_is_kept_within_the_worksheets_steps(store, attempt):
    # A worksheet that lost steps since the draft was saved: resume on its last step.
    attempt.save_step(0, {"first": True}, next_index=7)
    assert attempt.response.current_step == 7
    assert attempt.step_index == 2


def test_flags_are_computed_from_answers_across_steps(store, attempt):
    attempt.save_step(0, {"first": True}, next_index=1)
    assert store.find_flags(attempt.response.id) == set()
    attempt.save_step(1, {"second": True}, next_index=2)
    assert store.find_flags(attempt.response.id) == {"both"}


def test_flags_include_answers_saved_before_resuming(store, worksheet, attempt):
    attempt.save_step(0, {"first": True}, next_index=1)
    resumed = Attempt.resume(store, worksheet, attempt.client, attempt.response)
    resumed.claim()
    resumed.save_step(1, {"second": True}, next_index=2)
    assert store.find_flags(attempt.response.id) == {"both"}


def test_a_resumed_draft_takes_over_and_the_first_page_stops(store, worksheet, attempt):
    attempt.save_step(0, {"first": True}, next_index=1)
    second_tab = Attempt.resume(store, worksheet, attempt.client, attempt.response)
    second_tab.claim()
    with pytest.raises(DraftTakenOver):
        attempt.save_step(1, {"second": False}, next_index=2)
    second_tab.save_step(1, {"second": True}, next_index=2)
    assert store.get_answers(attempt.response.id) == {"first": True, "second": True}


def test_complete_saves_the_last_step_and_completes(store, attempt):
    attempt.save_step(0, {"first": True}, next_index=1)
    attempt.complete({"note": "done"})
    assert attempt.completed
    assert store.get_response(attempt.response.id).status == "completed"
    assert store.get_answers(attempt.response.id) == {"first": True, "note": "done"}
    assert stored_step_ids(store, attempt.response.id)["note"] == "three"


def test_complete_raises_flags_from_merged_answers(store, attempt):
    attempt.save_step(0, {"first": True}, next_index=1)
    attempt.complete({"second": True, "note": "done"})
    assert store.find_flags(attempt.response.id) == {"both"}


def test_a_completed_attempt_cannot_be_saved_again(store, attempt):
    attempt.complete({"note": "done"})
    with pytest.raises(ResponseCompleted):
        attempt.save_step(0, {"first": False}, next_index=1)
    assert store.get_answers(attempt.response.id) == {"note": "done"}
    assert attempt.answers == {"note": "done"}
