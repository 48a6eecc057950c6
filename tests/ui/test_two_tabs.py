"""Two tabs on one draft, interleaved step by step: taking a draft over reads it afresh, and a page never
writes over answers it has not seen (compare-and-set on the response's version).

Real widgets and a real store (SQLite and PostgreSQL), driven in-process: each tab is a ``WorksheetApp``
as a page's kernel runs it. Without a running loop, autosave runs at once, so every step below is one
save at most.
"""

from __future__ import annotations

import ipywidgets as w
import pytest

from coachkit.attempt import Attempt
from coachkit.store import Client, DraftChanged, DraftTakenOver, Store
from coachkit.ui.app import WorksheetApp
from coachkit.ui.wizard import TAKEN_OVER
from coachkit.worksheet import LongText, Option, SingleChoice, Step, Worksheet

SHEET = Worksheet(
    id="two-tabs",
    version=1,
    title="Two tabs",
    intro="",
    steps=(
        Step("story", "What happened", (LongText(id="story", label="What happened?", required=False),)),
        Step(
            "mood",
            "How it went",
            (SingleChoice(id="mood", label="How?", options=(Option("ok", "OK"), Option("bad", "Bad"))),),
        ),
    ),
)
FIRST, SECOND, THIRD = "We argued.", " Then I went for a walk.", " We talked after dinner."


@pytest.fixture
def client(store: Store) -> Client:
    return store.add_client("Tabitha Twice")


def story_box(tab: WorksheetApp) -> w.Textarea:
    assert tab.wizard is not None
    [block] = [block for block in tab.wizard.blocks if block.item.id == "story"]
    return block.input.watched[0]


def press(tab: WorksheetApp, description: str) -> None:
    def find(widget: w.Widget) -> w.Button | None:
        if isinstance(widget, w.Button) and widget.description == description:
            return widget
        return next((hit for child in getattr(widget, "children", ()) if (hit := find(child))), None)

    found = find(tab.view)
    assert found is not None, f"no {description!r} button"
    found.click()


def saved_story(store: Store) -> str:
    """The story as the client's one draft holds it in the store."""
    [client] = store.find_clients()
    draft = store.find_draft(client.id, SHEET.id)
    assert draft is not None
    return store.get_answers(draft.id)["story"]


def test_a_tab_that_waited_on_the_offer_screen_takes_over_the_draft_as_it_is_now(store, client):
    first = WorksheetApp(SHEET, store, client=client)  # the draft begins with one sentence
    story_box(first).value = FIRST
    assert saved_story(store) == FIRST

    tab_b = WorksheetApp(SHEET, store, client=client)  # opened earlier, left on the offer screen
    assert tab_b.state == "offering to continue a draft"
    tab_a = WorksheetApp(SHEET, store, client=client)
    press(tab_a, "Continue where I left off")
    story_box(tab_a).value = FIRST + SECOND  # tab A saves a second sentence
    assert saved_story(store) == FIRST + SECOND

    press(tab_b, "Continue where I left off")  # tab B takes over now: it reads the draft afresh
    assert story_box(tab_b).value == FIRST + SECOND
    story_box(tab_b).value = FIRST + SECOND + THIRD
    assert saved_story(store) == FIRST + SECOND + THIRD

    story_box(tab_a).value = FIRST + SECOND + " (typed in the old tab)"  # tab A has stopped
    assert tab_a.wizard is not None and tab_a.wizard.stopped
    assert TAKEN_OVER.replace("'", "&#x27;") in tab_a.wizard.message.value
    assert story_box(tab_a).value.endswith("(typed in the old tab)")  # kept on its page
    assert saved_story(store) == FIRST + SECOND + THIRD


def test_a_save_that_was_on_its_way_when_the_draft_was_taken_over_is_refused(store, client):
    tab_a = WorksheetApp(SHEET, store, client=client)
    story_box(tab_a).value = FIRST
    tab_b = WorksheetApp(SHEET, store, client=client)
    press(tab_b, "Continue where I left off")  # B now writes the draft
    # A's next save (sent before B took over, arriving after) is refused, and B's text stands.
    story_box(tab_b).value = FIRST + THIRD
    story_box(tab_a).value = FIRST + SECOND
    assert saved_story(store) == FIRST + THIRD
    assert tab_a.wizard is not None and tab_a.wizard.stopped


def test_a_save_on_top_of_a_version_it_never_read_is_refused(store, client):
    attempt = Attempt.start(store, SHEET, client)
    attempt.claim()
    stale = Attempt.resume(store, SHEET, client, attempt.response)
    stale.writer = attempt.writer  # the same page, read earlier: only the version tells them apart
    attempt.save_step(0, {"story": FIRST + SECOND}, next_index=0)
    with pytest.raises(DraftChanged):
        stale.save_step(0, {"story": FIRST}, next_index=0)
    assert isinstance(DraftChanged("x"), DraftTakenOver)  # a page stops for it as for a takeover
    assert store.get_answers(attempt.response.id) == {"story": FIRST + SECOND}
    assert store.get_response(attempt.response.id).version == 1
