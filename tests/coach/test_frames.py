"""The coach's frames from the store's plain rows, on SQLite and PostgreSQL."""

from __future__ import annotations

import math
import time

import pandas as pd
import pytest
from sqlalchemy import insert

from coachkit.coach import frames
from coachkit.exercises import WORKSHEETS
from coachkit.store import tables
from tests.coach.conftest import FIGHT, HOSTILE, fight, fill

pytestmark = pytest.mark.both_backends

BELIEFS = "wanting-them-back"
PRACTICE = "anger-plan-practice"


def test_answers_of_an_empty_store_is_an_empty_frame_with_every_column(store):
    tidy = frames.answers(store)
    assert tidy.empty
    assert list(tidy.columns) == frames.ANSWER_COLUMNS


def test_answers_has_one_row_per_saved_answer(store, ann):
    response = fill(store, ann, FIGHT, fight(self_check=2))
    tidy = frames.answers(store)
    assert len(tidy) == len(store.get_answers(response.id)) == 11
    assert set(tidy["response_id"]) == {response.id}
    assert tidy.iloc[0][["client_id", "client", "worksheet", "version", "status"]].tolist() == [
        ann.id,
        "Ann Lee",
        FIGHT,
        3,
        "completed",
    ]


def test_answers_decodes_every_kind_of_value(store, ann):
    fill(store, ann, FIGHT, fight(self_check=1, recent_fight=HOSTILE))
    fill(store, ann, BELIEFS, {"beliefs": ["my_fault", "afraid_alone"]}, complete=False)
    fill(store, ann, PRACTICE, {"noticed": True, "talk_went": 4, "came_back_on_time": "late"}, complete=False)
    values = dict(zip(frames.answers(store)["field"], frames.answers(store)["value"], strict=True))
    assert values["one_upmanship"] is True
    assert values["superior"] is False
    assert values["recent_fight"] == HOSTILE
    assert values["beliefs"] == ["my_fault", "afraid_alone"]
    assert values["talk_went"] == 4
    assert values["came_back_on_time"] == "late"


def test_answers_takes_kind_and_label_from_the_worksheet(store, ann):
    fill(store, ann, FIGHT, fight())
    row = frames.answers(store).set_index("field").loc["frequency"]
    assert row["kind"] == "single_choice"
    assert row["label"] == "How often do fights or arguments happen?"
    assert row["step"] == "how_often"


def test_a_field_no_worksheet_knows_keeps_its_id_as_label(store, ann):
    response = store.start_response(ann.id, FIGHT, 1)
    store.save_step(response.id, "retired_step", {"retired_question": "kept"}, current_step=1)
    row = frames.answers(store).iloc[0]
    assert (row["field"], row["label"], row["kind"], row["value"]) == (
        "retired_question",
        "retired_question",
        "",
        "kept",
    )


def test_answers_come_in_the_order_the_worksheet_asks_them(store, ann):
    response = store.start_response(ann.id, FIGHT, 1)
    store.save_step(response.id, "how_often", {"frequency": "weekly"}, current_step=5)
    store.save_step(response.id, "meeting_a_fight", {"approach": "run"}, current_step=1)
    assert frames.answers(store)["field"].tolist() == ["approach", "frequency"]


def test_answers_include_drafts_and_say_so(store, ann):
    fill(store, ann, FIGHT, fight(), steps=2, complete=False)
    tidy = frames.answers(store)
    assert set(tidy["status"]) == {"draft"}
    assert tidy["completed_at"].isna().all()


def test_answers_for_one_client_leave_out_the_others(store, ann):
    bob = store.add_client("Bob")
    fill(store, ann, FIGHT, fight())
    fill(store, bob, FIGHT, fight())
    assert set(frames.answers(store, bob.id)["client"]) == {"Bob"}
    assert set(frames.answers(store)["client"]) == {"Ann Lee", "Bob"}


def test_times_are_utc_timestamps(store, ann):
    fill(store, ann, FIGHT, fight())
    tidy = frames.answers(store)
    for column in ("saved_at", "completed_at"):
        assert str(tidy[column].dt.tz) == "UTC"
    assert (tidy["saved_at"] <= tidy["completed_at"]).all()


def test_decoded_lists_are_never_shared_between_rows():
    first, second = frames.decode_values(['["a"]', '["a"]'])
    first.append("b")
    assert second == ["a"]


def test_answers_are_read_while_a_client_is_writing(store, ann):
    # The coach's reads take no write lock: a client's open save does not block the dashboard.
    fill(store, ann, FIGHT, fight())
    started = time.monotonic()
    with store.engine.begin() as writer:
        writer.execute(insert(tables.settings).values(key="busy", value="yes"))
        assert len(frames.answers(store)) == 11
    assert time.monotonic() - started < 5


# -- responses and flags -------------------------------------------------------------------


def test_responses_has_a_row_per_response_with_counts_and_flags(store, ann):
    calm = fill(store, ann, FIGHT, fight())
    stormy = fill(store, ann, FIGHT, fight(frequency="daily", been_hurt="yes"))
    opened = store.start_response(ann.id, BELIEFS, 1)
    found = frames.responses(store).set_index("response_id")
    assert list(found.index) == [calm.id, stormy.id, opened.id]
    assert found.loc[calm.id, "flags"] == ""
    assert found.loc[stormy.id, "flags"] == "frequent_fighting, hurt_by_someone"
    assert found.loc[opened.id, ["status", "answers"]].tolist() == ["draft", 0]
    assert found.loc[calm.id, "title"] == "Fight or make it right?"
    assert list(frames.responses(store).columns) == frames.RESPONSE_COLUMNS


def test_flags_has_a_row_per_flag_raised(store, ann):
    stormy = fill(store, ann, FIGHT, fight(frequency="daily", been_hurt="yes"))
    found = frames.flags(store)
    assert sorted(found["flag"]) == ["frequent_fighting", "hurt_by_someone"]
    assert set(found["response_id"]) == {stormy.id}
    assert list(found.columns) == frames.FLAG_COLUMNS


# -- the client list -----------------------------------------------------------------------


def test_clients_lists_everyone_by_name_even_without_answers(store, ann):
    store.add_client("Zoe")
    store.add_client("Bob")
    found = frames.clients(store)
    assert found["client"].tolist() == ["Ann Lee", "Bob", "Zoe"]
    assert found["completed"].tolist() == [0, 0, 0]
    assert found["last_activity"].isna().all()
    assert list(found.columns) == frames.CLIENT_COLUMNS


def test_clients_counts_completed_and_drafts_and_last_activity(store, ann):
    fill(store, ann, FIGHT, fight())
    fill(store, ann, FIGHT, fight())
    draft = fill(store, ann, FIGHT, fight(), steps=1, complete=False)
    row = frames.clients(store).iloc[0]
    assert (row["completed"], row["drafts"]) == (2, 1)
    assert row["last_activity"] == pd.Timestamp(draft.updated_at)


def test_clients_flags_show_where_the_client_is_now_but_a_risk_never_drops(store, ann):
    fill(store, ann, FIGHT, fight(frequency="daily", been_hurt="yes", safe_contact="any"))
    columns = ["flags", "risk", "gentle", "risk_flags"]
    assert frames.clients(store).iloc[0][columns].tolist() == [
        "frequent_fighting, hurt_by_someone",
        "hurt_by_someone",
        "",
        1,
    ]
    fill(store, ann, FIGHT, fight(frequency="rarely"))
    assert frames.clients(store).iloc[0][columns].tolist() == ["", "hurt_by_someone", "", 1]


def test_clients_who_raised_a_risk_come_first_then_those_who_chose_not_to_say(store):
    names = ["Ada Calm", "Bo Quiet", "Cy Unsafe", "Di Hopeless"]
    people = {name: store.add_client(name) for name in names}
    fill(store, people["Ada Calm"], FIGHT, fight())
    fill(store, people["Bo Quiet"], FIGHT, fight(been_hurt="rather_not_say", safe_contact="wait"))
    fill(store, people["Cy Unsafe"], FIGHT, fight(been_hurt="yes", safe_contact="any"))
    fill(store, people["Di Hopeless"], FIGHT, fight(recent_fight="I can't see the point of going on"))
    listed = frames.clients(store)
    # Danger first: despair (crisis) before violence or fear (danger), then "chose not to say".
    assert listed["client"].tolist() == ["Di Hopeless", "Cy Unsafe", "Bo Quiet", "Ada Calm"]
    assert listed["risk"].tolist() == ["words_of_despair", "hurt_by_someone", "", ""]
    assert listed["gentle"].tolist() == ["", "", "hurt_not_said", ""]
    assert listed["most_urgent"].tolist() == ["crisis", "danger", "gentle", ""]


def test_split_flags():
    assert frames.split_flags("frequent_fighting, safety") == ["frequent_fighting", "safety"]
    assert frames.split_flags("") == []


# -- wide frames ---------------------------------------------------------------------------


def test_wide_has_a_row_per_response_and_a_column_per_question_in_order(store, ann):
    first = fill(store, ann, FIGHT, fight(self_check=1))
    second = fill(store, ann, FIGHT, fight(frequency="weekly"))
    wide = frames.wide(frames.answers(store), FIGHT)
    questions = [item.id for _, item in WORKSHEETS[FIGHT].all_fields()]
    assert list(wide.columns) == [*frames.RESPONSE_META, *questions]
    assert wide["response_id"].tolist() == [first.id, second.id]
    assert wide["frequency"].tolist() == ["rarely", "weekly"]
    assert wide["one_upmanship"].tolist() == [True, False]


def test_wide_leaves_unanswered_questions_as_none(store, ann):
    fill(store, ann, FIGHT, fight())
    wide = frames.wide(frames.answers(store), FIGHT)
    assert wide.loc[0, "recent_fight"] is None
    assert not frames.is_answered(wide.loc[0, "recent_fight"])


def test_wide_of_an_unanswered_or_unknown_worksheet_is_empty(store, ann):
    fill(store, ann, FIGHT, fight())
    tidy = frames.answers(store)
    assert frames.wide(tidy, BELIEFS).empty
    assert "beliefs" in frames.wide(tidy, BELIEFS).columns
    assert list(frames.wide(tidy, "no-such-sheet").columns) == frames.RESPONSE_META


def test_answer_dicts_gives_each_responses_answers(store, ann):
    response = fill(store, ann, FIGHT, fight(self_check=2))
    assert frames.answer_dicts(frames.answers(store)) == {response.id: store.get_answers(response.id)}


@pytest.mark.parametrize(
    ("value", "answered"), [(None, False), (math.nan, False), (False, True), ("", True), ([], True)]
)
def test_is_answered(value, answered):
    assert frames.is_answered(value) is answered


def test_field_catalog_knows_every_worksheet_field():
    catalog = frames.field_catalog()
    assert {"worksheet", "field", "step", "position", "kind", "label"} <= set(catalog.columns)
    assert catalog.set_index(["worksheet", "field"]).loc[(FIGHT, "been_hurt"), "position"] == 0


def test_a_checked_in_flag_no_longer_keeps_the_client_at_the_top(store):
    calm, unsafe = store.add_client("Ada Calm"), store.add_client("Cy Unsafe")
    fill(store, calm, FIGHT, fight())
    fill(store, unsafe, FIGHT, fight(been_hurt="yes", safe_contact="any"))
    assert frames.clients(store)["client"].tolist() == ["Cy Unsafe", "Ada Calm"]
    ids = frames.flags(store, unsafe.id)["flag_id"].tolist()
    store.check_in_flags(ids, "Spoke on the phone; safe at a friend's.")
    listed = frames.clients(store)
    assert listed["client"].tolist() == ["Ada Calm", "Cy Unsafe"]
    assert listed.set_index("client").loc["Cy Unsafe", ["risk", "most_urgent"]].tolist() == ["", ""]
    assert pd.notna(listed.set_index("client").loc["Cy Unsafe", "checked_at"])


def test_a_corrected_misclick_in_a_draft_is_not_a_flag(store, ann):
    draft = fill(store, ann, FIGHT, fight(been_hurt="yes"), steps=1, complete=False)
    assert frames.clients(store).loc[0, "most_urgent"] == "danger"
    store.save_step(draft.id, "safety", {"been_hurt": "no"}, current_step=1, flags=set())
    listed = frames.clients(store)
    assert listed.loc[0, ["risk", "most_urgent"]].tolist() == ["", ""]
    assert frames.responses(store).loc[0, "flags"] == ""
    history = frames.flags(store)
    assert history["flag"].tolist() == ["hurt_by_someone"] and history["cleared_at"].notna().all()
