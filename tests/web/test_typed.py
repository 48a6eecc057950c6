"""Words a page kept while the server was away are saved with the worksheet's own checks, and only while
that page still writes the draft (``coachkit.web.typed``), on a real store."""

from __future__ import annotations

import pytest

from coachkit.attempt import Attempt
from coachkit.exercises import get_worksheet
from coachkit.store import Client, Response, Store
from coachkit.web.typed import save_typed
from tests.browser.drafts import WORKSHEET, draft_at_the_text_step

BEFORE = "We argued about money."
TYPED = "We argued about money. Then I went for a walk, and we talked after."


@pytest.fixture
def client(store: Store) -> Client:
    return store.add_client("Kit Kept")


PAGE = "0123456789abcdef"
"""The page that writes the draft (its writer)."""


@pytest.fixture
def draft(store: Store, client: Client) -> Response:
    response = draft_at_the_text_step(store, client, recent_fight=BEFORE)
    return store.claim_draft(response.id, PAGE)


def ref(response: Response, writer: str = PAGE) -> str:
    return f"{response.id}-{writer}"


def test_text_kept_by_the_page_that_writes_the_draft_is_saved(store, client, draft):
    outcome = save_typed(store, client.id, ref(draft), {"recent_fight": TYPED, "making_it_right": "Listen."})
    assert (outcome.saved, outcome.unsaved) == (["making_it_right", "recent_fight"], [])
    assert store.get_answers(draft.id)["recent_fight"] == TYPED
    after = store.get_response(draft.id)
    assert after.current_step == draft.current_step  # the client is where they were
    assert after.version == draft.version + 1  # one save, on top of the version read


def test_what_is_saved_already_is_not_written_again(store, client, draft):
    outcome = save_typed(store, client.id, ref(draft), {"recent_fight": BEFORE})
    assert outcome.saved == ["recent_fight"]
    assert store.get_response(draft.id).version == draft.version


def test_words_of_despair_kept_while_away_raise_the_same_flag_as_on_the_page(store, client, draft):
    worksheet = get_worksheet(WORKSHEET)
    words = "I can't take it anymore, I don't want to be here."
    expected = worksheet.flags({**store.get_answers(draft.id), "recent_fight": words})
    assert expected  # the safety net sits under every text box
    save_typed(store, client.id, ref(draft), {"recent_fight": words})
    assert expected <= store.find_flags(draft.id)


def test_nothing_is_saved_once_another_tab_has_taken_the_draft_over(store, client, draft):
    store.claim_draft(draft.id, "fedcba9876543210")
    outcome = save_typed(store, client.id, ref(draft), {"recent_fight": TYPED})
    assert (outcome.saved, outcome.unsaved) == ([], ["recent_fight"])
    assert store.get_answers(draft.id)["recent_fight"] == BEFORE


def test_a_text_its_box_refuses_is_not_saved_and_the_others_are(store, client, draft):
    too_long = "x" * 4001  # the box holds 4,000 characters
    outcome = save_typed(
        store, client.id, ref(draft), {"recent_fight": too_long, "making_it_right": "Listen."}
    )
    assert (outcome.saved, outcome.unsaved) == (["making_it_right"], ["recent_fight"])
    assert store.get_answers(draft.id)["recent_fight"] == BEFORE


@pytest.mark.parametrize(
    "typed",
    [{"frequency": "daily"}, {"no_such_field": "text"}, {"been_hurt": "yes"}],
    ids=["a choice", "an unknown field", "a safety choice"],
)
def test_only_text_boxes_are_filled_this_way(store, client, draft, typed):
    before = store.get_answers(draft.id)
    outcome = save_typed(store, client.id, ref(draft), typed)
    assert (outcome.saved, outcome.unsaved) == ([], sorted(typed))
    assert store.get_answers(draft.id) == before


def test_another_clients_draft_a_finished_one_or_a_made_up_one_takes_nothing(store, client, draft):
    other = store.add_client("Oda Other")
    assert save_typed(store, other.id, ref(draft), {"recent_fight": TYPED}).saved == []
    assert save_typed(store, client.id, "not-a-draft", {"recent_fight": TYPED}).saved == []
    assert save_typed(store, client.id, f"{draft.id + 99}-{PAGE}", {"recent_fight": TYPED}).saved == []
    attempt = Attempt.resume(store, get_worksheet(WORKSHEET), client, store.get_response(draft.id))
    attempt.writer = PAGE
    attempt.complete({}, attempt.step_index)
    assert save_typed(store, client.id, ref(draft), {"recent_fight": TYPED}).saved == []
    assert store.get_answers(draft.id)["recent_fight"] == BEFORE
