"""Demo data: seeded, realistic, saved through the facade, and never written into a real store."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from coachkit import config
from coachkit.coach import demo, frames, scores, source
from coachkit.exercises import WORKSHEETS
from coachkit.store import Store
from coachkit.worksheet import check_all

TODAY = dt.date(2026, 11, 20)


def build(seed: int = 7, clients: int = 5) -> Store:
    store = Store("sqlite://")
    demo.build_demo(store, clients=clients, seed=seed, today=TODAY)
    return store


@pytest.fixture(scope="module")
def made() -> Store:
    return build()


def test_the_same_seed_gives_the_same_store(made):
    again = build()
    pd.testing.assert_frame_equal(frames.answers(made), frames.answers(again))
    pd.testing.assert_frame_equal(frames.responses(made), frames.responses(again))
    pd.testing.assert_frame_equal(frames.flags(made), frames.flags(again))


def test_another_seed_gives_other_clients(made):
    assert not frames.answers(made).equals(frames.answers(build(seed=8)))


def test_it_makes_the_clients_asked_for_and_marks_a_demo_store(made):
    assert len(made.find_clients()) == 5
    assert demo.is_demo_store(made)
    assert len(build(clients=20).find_clients()) == 20


def test_several_months_end_before_today(made):
    responses = frames.responses(made)
    end = pd.Timestamp(TODAY, tz="UTC")
    assert responses["updated_at"].max() < end
    assert responses["started_at"].min() < end - pd.Timedelta(weeks=12)
    assert (responses["started_at"] <= responses["updated_at"]).all()
    tidy = frames.answers(made)
    assert tidy["saved_at"].max() < end


def test_every_worksheet_that_exists_has_data(made):
    assert set(frames.responses(made)["worksheet"]) == set(WORKSHEETS)


def test_completed_answers_pass_the_worksheets_own_checks_and_flags(made):
    tidy = frames.answers(made)
    answers = frames.answer_dicts(tidy)
    flags = frames.responses(made).set_index("response_id")["flags"]
    for response in frames.responses(made).itertuples():
        if response.status != "completed":
            continue
        sheet = WORKSHEETS[response.worksheet]
        given = answers.get(response.response_id, {})
        assert check_all(sheet, given) == {}, response
        assert frames.split_flags(flags[response.response_id]) == sorted(sheet.flags(given))


def test_the_demo_clients_change_over_time(made):
    # The first persona settles: their self-check goes down over the months.
    sheet = WORKSHEETS["fight-or-make-it-right"]
    self_check = next(item for item in sheet.measures if item.id == "self_check")
    fight = scores.measure_frame(frames.answers(made), sheet, self_check)
    by_client = fight.groupby("client")["value"]
    assert (by_client.first() - by_client.last()).max() >= 2


def test_a_few_demo_clients_raised_risk_flags_and_they_come_first(made):
    listed = frames.clients(made)
    risky = listed["risk"] != ""
    assert 1 <= risky.sum() < len(listed)
    assert risky.tolist() == sorted(risky.tolist(), reverse=True)
    raised = {flag for text in listed["risk"] for flag in frames.split_flags(text)}
    assert {"hurt_by_someone", "wellbeing"} <= raised


def test_only_the_fight_worksheet_while_the_others_do_not_exist(monkeypatch):
    for worksheet_id in list(WORKSHEETS):
        if worksheet_id != "fight-or-make-it-right":
            monkeypatch.delitem(WORKSHEETS, worksheet_id)
    assert set(frames.responses(build(clients=3))["worksheet"]) == {"fight-or-make-it-right"}


# -- which store the notebooks read --------------------------------------------------------


def test_an_empty_store_shows_demo_data_in_memory_and_stays_empty(tmp_path):
    url = f"sqlite:///{tmp_path}/real.sqlite"
    opened = source.open_coach_store(url)
    assert opened.is_demo
    assert opened.note == source.EMPTY_STORE_NOTE
    assert len(opened.store.find_clients()) == demo.DEFAULT_CLIENTS
    assert Store(url).find_clients() == []


def test_a_store_with_clients_is_shown_as_it_is(tmp_path):
    url = f"sqlite:///{tmp_path}/real.sqlite"
    Store(url).add_client("Ann Lee")
    opened = source.open_coach_store(url)
    assert not opened.is_demo
    assert [client.name for client in opened.store.find_clients()] == ["Ann Lee"]


def test_a_demo_store_says_so(tmp_path):
    url = f"sqlite:///{tmp_path}/demo.sqlite"
    demo.build_demo(Store(url), clients=1, today=TODAY)
    assert source.open_coach_store(url).note == source.DEMO_STORE_NOTE


def test_the_default_demo_store_is_not_the_clients_store():
    assert demo.default_demo_url().endswith("/data/demo.sqlite")
    assert demo.default_demo_url() != config.default_database_url()


def test_a_new_worksheet_file_gets_demo_answers_too(check_in):
    made = build(clients=4)
    tidy = frames.answers(made)
    mine = tidy[tidy["worksheet"] == check_in.id]
    assert not mine.empty
    assert set(mine["field"]) == {"calm", "kind_word", "mood", "talks"}


def test_demo_data_holds_a_calm_couple_and_one_kept_apart(made):
    from coachkit.couples.service import couple_gate

    couples = made.find_couples()
    assert len(couples) == 2
    assert sorted(couple_gate(made, first).open for first, _ in couples) == [False, True]
