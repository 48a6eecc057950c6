"""The store facade: clients, responses, one row per answer, flags and settings."""

import re

import pytest
from sqlalchemy import delete, func, select

from coachkit.store import (
    DraftChanged,
    DraftTakenOver,
    MissingEntry,
    ResponseCompleted,
    Store,
    StoreUnavailable,
    tables,
)
from coachkit.store.facade import MAX_NAME_LENGTH

WORKSHEET = "fight-or-make-it-right"
CODE_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


@pytest.fixture
def draft(store, client):
    return store.start_response(client.id, WORKSHEET, 1)


def answer_rows(store: Store, response_id: int) -> list[tuple[str, str]]:
    """The stored (step_id, field_id) rows of a response, straight from the table."""
    query = (
        select(tables.answers.c.step_id, tables.answers.c.field_id)
        .where(tables.answers.c.response_id == response_id)
        .order_by(tables.answers.c.field_id)
    )
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def count_rows(store: Store, table) -> int:
    with store.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


# -- clients -------------------------------------------------------------------------------


def test_add_client_normalises_whitespace_in_the_name(store):
    assert store.add_client("  Ann \t  Lee\n").name == "Ann Lee"


def test_add_client_gives_a_well_formed_code(store):
    assert CODE_PATTERN.match(store.add_client("Ann Lee").code)


def test_add_client_is_stored(store):
    added = store.add_client("Ann Lee")
    assert store.get_client(added.id) == added


def test_add_client_accepts_the_longest_name(store):
    assert len(store.add_client("x" * MAX_NAME_LENGTH).name) == MAX_NAME_LENGTH


def test_add_client_refuses_a_too_long_name(store):
    with pytest.raises(ValueError, match="1 to 200"):
        store.add_client("x" * (MAX_NAME_LENGTH + 1))
    assert store.find_clients() == []


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_add_client_refuses_a_blank_name(store, name):
    with pytest.raises(ValueError):
        store.add_client(name)
    assert store.find_clients() == []


def test_clients_get_distinct_codes(store):
    added = [store.add_client("Same Name") for _ in range(50)]
    assert len({found.code for found in added}) == 50


def test_find_client_by_code_finds_the_exact_code(store, client):
    assert store.find_client_by_code(client.code) == client


@pytest.mark.parametrize(
    "retype",
    [
        str.lower,
        lambda code: code.replace("-", ""),
        lambda code: code.replace("-", " "),
        lambda code: f"  {code.lower().replace('-', '  ')}  ",
    ],
    ids=["lower-case", "no-dashes", "spaces", "messy"],
)
def test_find_client_by_code_tolerates_case_spaces_and_dashes(store, client, retype):
    assert store.find_client_by_code(retype(client.code)) == client


@pytest.fixture
def coded_client(store, monkeypatch):
    """A client whose code holds the digits 0 and 1, which look like O, I and L."""
    monkeypatch.setattr("coachkit.codes.new_code", lambda: "10K7-QD1M-0XP9")
    return store.add_client("Ann Lee")


@pytest.mark.parametrize("typed", ["1OK7-QD1M-OXP9", "IOK7-QDIM-0XP9", "lok7 qdlm oxp9"])
def test_find_client_by_code_reads_o_i_and_l_as_digits(store, coded_client, typed):
    assert store.find_client_by_code(typed) == coded_client


def test_add_client_retries_when_a_code_is_taken(store, monkeypatch):
    offered = iter(["AAAA-AAAA-AAAA", "AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB"])
    monkeypatch.setattr("coachkit.codes.new_code", lambda: next(offered))
    first, second = store.add_client("Ann"), store.add_client("Bo")
    assert (first.code, second.code) == ("AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB")


def test_add_client_gives_up_when_no_free_code_is_found(store, monkeypatch):
    monkeypatch.setattr("coachkit.codes.new_code", lambda: "AAAA-AAAA-AAAA")
    store.add_client("Ann")
    with pytest.raises(StoreUnavailable, match="free client code"):
        store.add_client("Bo")
    assert [found.name for found in store.find_clients()] == ["Ann"]


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "----", "0000-0000-0000", "ABC", "AAAA-BBBB-CCCC-DDDD", "UUUU-UUUU-UUUU", "'; DROP"],
)
def test_find_client_by_code_returns_none_for_unknown_or_garbage(store, client, typed):
    assert store.find_client_by_code(typed) is None


def test_find_client_by_code_returns_none_for_none(store, client):
    assert store.find_client_by_code(None) is None  # type: ignore[arg-type]


def test_get_client_raises_missing_entry_for_an_unknown_id(store):
    with pytest.raises(MissingEntry):
        store.get_client(999)


def test_find_clients_lists_everyone_by_name(store):
    zoe, ann, bo = (store.add_client(name) for name in ("Zoe", "Ann", "Bo"))
    assert store.find_clients() == [ann, bo, zoe]


def test_find_clients_matches_a_name_ignoring_case(store, client):
    store.add_client("Someone Else")
    assert store.find_clients("aNN lEE") == [client]


def test_find_clients_returns_every_client_sharing_a_name(store):
    first, second = store.add_client("Ann Lee"), store.add_client("ann lee")
    assert store.find_clients("Ann Lee") == [first, second]


def test_find_clients_finds_a_client_by_the_name_it_was_added_with(store):
    added = store.add_client("  Ann   Lee ")
    assert store.find_clients("  Ann   Lee ") == [added]


def test_find_clients_returns_nothing_for_an_unknown_name(store, client):
    assert store.find_clients("Nobody") == []


# -- responses -----------------------------------------------------------------------------


def test_start_response_makes_a_draft_at_step_zero(store, client):
    response = store.start_response(client.id, WORKSHEET, 3)
    assert (response.client_id, response.worksheet_id, response.worksheet_version) == (
        client.id,
        WORKSHEET,
        3,
    )
    assert (response.status, response.current_step, response.completed_at) == ("draft", 0, None)
    assert store.get_response(response.id) == response


def test_start_response_for_an_unknown_client_raises_missing_entry(store):
    with pytest.raises(MissingEntry):
        store.start_response(999, WORKSHEET, 1)
    assert count_rows(store, tables.responses) == 0


def test_find_draft_is_none_without_a_draft(store, client):
    assert store.find_draft(client.id, WORKSHEET) is None


def test_find_draft_returns_the_latest_started_draft(store, client):
    store.start_response(client.id, WORKSHEET, 1)
    newer = store.start_response(client.id, WORKSHEET, 1)
    assert store.find_draft(client.id, WORKSHEET) == newer


def test_find_draft_returns_the_most_recently_saved_draft(store, client):
    older = store.start_response(client.id, WORKSHEET, 1)
    store.start_response(client.id, WORKSHEET, 1)
    saved = store.save_step(older.id, "first", {"a": 1}, current_step=1)
    assert store.find_draft(client.id, WORKSHEET) == saved


def test_find_draft_ignores_completed_responses(store, client, draft):
    store.complete_response(draft.id, "last", {"a": 1})
    assert store.find_draft(client.id, WORKSHEET) is None


def test_find_draft_ignores_other_worksheets_and_clients(store, client, draft):
    other = store.add_client("Bo")
    assert store.find_draft(client.id, "another-worksheet") is None
    assert store.find_draft(other.id, WORKSHEET) is None


def test_find_responses_lists_newest_first(store, client):
    first = store.start_response(client.id, WORKSHEET, 1)
    second = store.start_response(client.id, WORKSHEET, 1)
    assert [r.id for r in store.find_responses(client.id)] == [second.id, first.id]


def test_get_response_raises_missing_entry_for_an_unknown_id(store):
    with pytest.raises(MissingEntry):
        store.get_response(999)


# -- answers -------------------------------------------------------------------------------


def test_save_step_stores_one_row_per_answer(store, draft):
    store.save_step(draft.id, "first", {"a": "yes", "b": 2, "c": ["x", "y"]}, current_step=1)
    assert answer_rows(store, draft.id) == [("first", "a"), ("first", "b"), ("first", "c")]


def test_save_step_returns_the_answers_by_field(store, draft):
    store.save_step(draft.id, "first", {"a": "yes", "b": 2}, current_step=1)
    assert store.get_answers(draft.id) == {"a": "yes", "b": 2}


def test_save_step_updates_the_current_step(store, draft):
    saved = store.save_step(draft.id, "first", {"a": 1}, current_step=4)
    assert saved.current_step == 4
    assert store.get_response(draft.id).current_step == 4


def test_save_step_moves_updated_at_forward(store, draft):
    saved = store.save_step(draft.id, "first", {"a": 1}, current_step=1)
    assert saved.updated_at >= draft.updated_at
    assert saved.started_at == draft.started_at


def test_saving_a_step_again_replaces_its_answers(store, draft):
    store.save_step(draft.id, "first", {"a": "old", "b": "old"}, current_step=1)
    store.save_step(draft.id, "first", {"a": "new", "b": "newer"}, current_step=1)
    assert store.get_answers(draft.id) == {"a": "new", "b": "newer"}
    assert len(answer_rows(store, draft.id)) == 2


def test_saving_one_step_keeps_the_other_steps_answers(store, draft):
    store.save_step(draft.id, "first", {"a": 1}, current_step=1)
    store.save_step(draft.id, "second", {"b": 2}, current_step=2)
    assert store.get_answers(draft.id) == {"a": 1, "b": 2}


def test_saving_none_removes_the_answers_row(store, draft):
    store.save_step(draft.id, "first", {"a": "yes", "b": "kept"}, current_step=1)
    store.save_step(draft.id, "first", {"a": None, "b": "kept"}, current_step=1)
    assert store.get_answers(draft.id) == {"b": "kept"}
    assert answer_rows(store, draft.id) == [("first", "b")]


def test_saving_none_for_a_never_answered_field_stores_nothing(store, draft):
    store.save_step(draft.id, "first", {"a": None}, current_step=1)
    assert answer_rows(store, draft.id) == []


@pytest.mark.parametrize(
    "value",
    [
        ["calm", "heard", ""],
        [],
        True,
        False,
        0,
        -7,
        10**15,
        "",
        "Zoë 😊 — 日本語 עברית",
        "<script>alert('x')</script>",
        "before\x00after",
        'line\nbreak\ttab "quoted" \\ back',
        "x" * 100_000,
    ],
    ids=[
        "list",
        "empty-list",
        "true",
        "false",
        "zero",
        "negative",
        "big-int",
        "empty-text",
        "unicode",
        "script",
        "nul",
        "escapes",
        "100k-text",
    ],
)
def test_answers_round_trip_exactly(store, draft, value):
    store.save_step(draft.id, "first", {"field": value}, current_step=1)
    stored = store.get_answers(draft.id)["field"]
    assert stored == value
    assert type(stored) is type(value)


def test_text_with_a_lone_surrogate_round_trips(store, draft):
    # Browsers can send half of a surrogate pair (a cut emoji); JSON carries it as "\ud83d".
    store.save_step(draft.id, "first", {"field": "cut \ud83d"}, current_step=1)
    assert store.get_answers(draft.id) == {"field": "cut \ud83d"}


def test_save_step_for_an_unknown_response_raises_missing_entry(store):
    with pytest.raises(MissingEntry):
        store.save_step(999, "first", {"a": 1}, current_step=1)
    assert count_rows(store, tables.answers) == 0


def test_answers_of_one_client_never_appear_in_anothers_response(store, client, draft):
    other = store.add_client("Bo")
    theirs = store.start_response(other.id, WORKSHEET, 1)
    store.save_step(draft.id, "first", {"a": "Ann's", "mine": 1}, current_step=1)
    store.save_step(theirs.id, "first", {"a": "Bo's"}, current_step=1)
    assert store.get_answers(draft.id) == {"a": "Ann's", "mine": 1}
    assert store.get_answers(theirs.id) == {"a": "Bo's"}


def test_get_answers_of_an_unknown_response_is_empty(store):
    assert store.get_answers(999) == {}


# -- flags ---------------------------------------------------------------------------------


def test_save_step_records_flags(store, draft):
    store.save_step(draft.id, "first", {"a": 1}, current_step=1, flags={"safety"})
    assert store.find_flags(draft.id) == {"safety"}


def test_a_corrected_answer_clears_the_drafts_flag_and_keeps_its_row(store, draft):
    store.save_step(draft.id, "first", {"a": 1}, current_step=1, flags={"safety"})
    store.save_step(draft.id, "first", {"a": None}, current_step=1, flags=set())
    assert store.find_flags(draft.id) == set()
    assert count_rows(store, tables.response_flags) == 1  # the history keeps it, cleared


def test_flags_accumulate_without_duplicates(store, draft):
    store.save_step(draft.id, "first", {"a": 1}, current_step=1, flags={"safety"})
    store.save_step(draft.id, "second", {"b": 1}, current_step=2, flags={"safety", "other"})
    assert store.find_flags(draft.id) == {"safety", "other"}
    assert count_rows(store, tables.response_flags) == 2


def test_flags_belong_to_their_response(store, client, draft):
    other = store.start_response(client.id, WORKSHEET, 1)
    store.save_step(draft.id, "first", {"a": 1}, current_step=1, flags={"safety"})
    assert store.find_flags(other.id) == set()


# -- completing ----------------------------------------------------------------------------


def test_complete_response_sets_status_and_completed_at(store, draft):
    completed = store.complete_response(draft.id, "last", {"z": "done"})
    assert completed.status == "completed"
    assert completed.completed_at is not None
    assert completed.completed_at >= draft.started_at
    assert store.get_response(draft.id) == completed


def test_complete_response_saves_the_last_steps_answers_and_flags(store, draft):
    store.save_step(draft.id, "first", {"a": 1}, current_step=1)
    store.complete_response(draft.id, "last", {"z": "done"}, flags={"safety"})
    assert store.get_answers(draft.id) == {"a": 1, "z": "done"}
    assert store.find_flags(draft.id) == {"safety"}


def test_a_completed_response_refuses_save_step(store, draft):
    store.complete_response(draft.id, "last", {"z": "done"})
    with pytest.raises(ResponseCompleted):
        store.save_step(draft.id, "last", {"z": "changed", "new": 1}, current_step=0)
    assert store.get_answers(draft.id) == {"z": "done"}
    assert store.get_response(draft.id).status == "completed"


def test_a_completed_response_refuses_completing_again(store, draft):
    first = store.complete_response(draft.id, "last", {"z": "done"})
    with pytest.raises(ResponseCompleted):
        store.complete_response(draft.id, "last", {"z": "changed"}, flags={"safety"})
    assert store.get_response(draft.id) == first
    assert store.get_answers(draft.id) == {"z": "done"}
    assert store.find_flags(draft.id) == set()


def test_doing_a_worksheet_again_makes_a_new_response(store, client, draft):
    store.complete_response(draft.id, "last", {"z": "first time"})
    again = store.start_response(client.id, WORKSHEET, 1)
    store.save_step(again.id, "last", {"z": "second time"}, current_step=1)
    assert again.id != draft.id
    assert store.get_answers(draft.id) == {"z": "first time"}
    assert store.get_answers(again.id) == {"z": "second time"}


def test_complete_response_for_an_unknown_response_raises_missing_entry(store):
    with pytest.raises(MissingEntry):
        store.complete_response(999, "last", {"z": "done"})


# -- settings ------------------------------------------------------------------------------


def test_get_setting_gives_the_default_when_unset(store):
    assert store.get_setting("safety_help") is None
    assert store.get_setting("safety_help", "fallback") == "fallback"


def test_set_setting_then_get_it(store):
    store.set_setting("safety_help", "Call 116 123")
    assert store.get_setting("safety_help", "fallback") == "Call 116 123"


def test_set_setting_replaces_the_old_value(store):
    store.set_setting("safety_help", "old")
    store.set_setting("safety_help", "new")
    assert store.get_setting("safety_help") == "new"
    assert count_rows(store, tables.settings) == 1


# -- deleting ------------------------------------------------------------------------------


def test_deleting_a_client_removes_their_responses_answers_and_flags(store, client, draft):
    store.save_step(draft.id, "first", {"a": 1, "b": 2}, current_step=1, flags={"safety"})
    with store.engine.begin() as connection:
        connection.execute(delete(tables.clients).where(tables.clients.c.id == client.id))
    for table in (tables.responses, tables.answers, tables.response_flags):
        assert count_rows(store, table) == 0


def test_deleting_a_client_keeps_other_clients_data(store, client, draft):
    other = store.add_client("Bo")
    theirs = store.start_response(other.id, WORKSHEET, 1)
    store.save_step(theirs.id, "first", {"a": "Bo's"}, current_step=1)
    with store.engine.begin() as connection:
        connection.execute(delete(tables.clients).where(tables.clients.c.id == client.id))
    assert store.get_answers(theirs.id) == {"a": "Bo's"}
    assert store.find_clients() == [other]


# -- one writer per draft ----------------------------------------------------------------------


def test_the_page_that_starts_a_draft_may_save_it(store, client):
    draft = store.start_response(client.id, WORKSHEET, 1, writer="tab-a")
    store.save_step(draft.id, "s1", {"approach": "run"}, current_step=1, writer="tab-a")
    assert store.get_answers(draft.id) == {"approach": "run"}


def test_a_second_page_takes_a_draft_over(store, client):
    draft = store.start_response(client.id, WORKSHEET, 1, writer="tab-a")
    store.claim_draft(draft.id, "tab-b")
    with pytest.raises(DraftTakenOver):
        store.save_step(draft.id, "s1", {"approach": "run"}, current_step=1, writer="tab-a")
    with pytest.raises(DraftTakenOver):
        store.complete_response(draft.id, "s1", {"approach": "run"}, writer="tab-a")
    store.save_step(draft.id, "s1", {"approach": "look"}, current_step=1, writer="tab-b")
    assert store.get_answers(draft.id) == {"approach": "look"}
    assert store.get_response(draft.id).status == "draft"


def test_an_unclaimed_draft_takes_any_writer(store, draft):
    store.save_step(draft.id, "s1", {"approach": "run"}, current_step=1, writer="tab-a")
    assert store.get_answers(draft.id) == {"approach": "run"}


def test_a_completed_response_cannot_be_claimed(store, draft):
    store.complete_response(draft.id, "s1", {"approach": "run"})
    with pytest.raises(ResponseCompleted):
        store.claim_draft(draft.id, "tab-b")


def test_claiming_an_unknown_response_raises_missing_entry(store):
    with pytest.raises(MissingEntry):
        store.claim_draft(999, "tab-a")


def test_each_save_moves_the_drafts_version_on(store, client):
    draft = store.start_response(client.id, WORKSHEET, 1, writer="tab-a")
    assert draft.version == 0
    saved = store.save_step(draft.id, "s1", {"approach": "run"}, current_step=1, expected_version=0)
    assert saved.version == store.get_response(draft.id).version == 1
    assert store.claim_draft(draft.id, "tab-b").version == 1  # taking over writes no answers


def test_a_save_on_top_of_an_older_version_is_refused_and_changes_nothing(store, client):
    draft = store.start_response(client.id, WORKSHEET, 1, writer="tab-a")
    store.save_step(draft.id, "s1", {"approach": "run"}, current_step=1, writer="tab-a", expected_version=0)
    with pytest.raises(DraftChanged):
        store.save_step(
            draft.id, "s1", {"approach": "look"}, current_step=2, writer="tab-a", expected_version=0
        )
    with pytest.raises(DraftChanged):
        store.complete_response(draft.id, "s1", {"approach": "look"}, expected_version=0)
    response = store.get_response(draft.id)
    assert (response.version, response.current_step, response.status) == (1, 1, "draft")
    assert store.get_answers(draft.id) == {"approach": "run"}


# -- answers carried between worksheets ----------------------------------------------------------


def test_latest_answers_come_from_any_of_the_clients_responses(store, client):
    fight = store.start_response(client.id, WORKSHEET, 1)
    store.save_step(fight.id, "safety", {"felt_unsafe": "no", "role": "starter"}, current_step=1)
    plan = store.start_response(client.id, "my-anger-plan", 1)
    store.save_step(plan.id, "safety", {"felt_unsafe": "yes"}, current_step=1)
    found = store.find_latest_answers(client.id, ["felt_unsafe", "role", "never_asked"])
    assert found == {"felt_unsafe": "yes", "role": "starter"}


def test_latest_answers_can_leave_out_one_response_and_stop_at_a_time(store, client):
    fight = store.start_response(client.id, WORKSHEET, 1)
    store.save_step(fight.id, "safety", {"felt_unsafe": "no"}, current_step=1)
    cut = store.get_response(fight.id).updated_at
    plan = store.start_response(client.id, "my-anger-plan", 1)
    store.save_step(plan.id, "safety", {"felt_unsafe": "yes"}, current_step=1)
    assert store.find_latest_answers(client.id, ["felt_unsafe"], excluding_response=plan.id) == {
        "felt_unsafe": "no"
    }
    assert store.find_latest_answers(client.id, ["felt_unsafe"], until=cut) == {"felt_unsafe": "no"}


def test_latest_answers_never_cross_clients(store, client):
    other = store.add_client("Someone Else")
    theirs = store.start_response(other.id, WORKSHEET, 1)
    store.save_step(theirs.id, "safety", {"felt_unsafe": "yes"}, current_step=1)
    assert store.find_latest_answers(client.id, ["felt_unsafe"]) == {}
    assert store.find_latest_answers(client.id, []) == {}
