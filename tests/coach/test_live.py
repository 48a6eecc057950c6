"""The live view, in-process: a followed client's worksheet as they fill it, their pages, the coach's note.

The client saves through an ``Attempt`` exactly as their page does; the client server's notes of open
pages are made with the store's own methods. The view looks when ``tick`` is called (no event loop).
"""

from __future__ import annotations

import datetime as dt
import re

import ipywidgets as w
import pytest
from sqlalchemy import event

from coachkit.attempt import Attempt
from coachkit.coach import exports
from coachkit.coach.dashboard import Dashboard
from coachkit.coach.live import LiveView
from coachkit.coach.notes import notes_panel
from coachkit.exercises import WORKSHEETS
from coachkit.store import StoreUnavailable
from tests.coach.conftest import FIGHT, HOSTILE

SHEET = "“Fight or make it right?”"
SAFE = {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "any"}


def text_of(widget: w.Widget) -> str:
    """Every HTML widget's content under ``widget``, tags removed, spaces tidied."""
    found: list[str] = []

    def walk(each: w.Widget) -> None:
        if isinstance(each, w.HTML):
            found.append(each.value)
        for child in getattr(each, "children", ()):
            walk(child)

    walk(widget)
    return " ".join(re.sub(r"<[^>]+>", " ", " ".join(found)).split())


def html_of(widget: w.Widget) -> str:
    found: list[str] = []

    def walk(each: w.Widget) -> None:
        if isinstance(each, w.HTML):
            found.append(each.value)
        for child in getattr(each, "children", ()):
            walk(child)

    walk(widget)
    return "".join(found)


@pytest.fixture
def live(store):
    view = LiveView(lambda: store, lambda message: pytest.fail(message), start=False)
    yield view
    view.close()


@pytest.fixture
def attempt(store, ann):
    return Attempt.start(store, WORKSHEETS[FIGHT], ann)


def open_page(store, client, kernel="kernel-1", sheet=FIGHT, connected=True):  # type: ignore[no-untyped-def]
    """What the client server notes as a page opens (its session, then the browser connecting)."""
    session, _ = store.start_session(client.id, sheet)
    store.note_page(kernel, session.id, "server", connected=connected)
    return session


def test_each_answer_shows_as_it_is_saved_with_the_step_they_are_on(store, ann, live, attempt):
    live.follow(ann.id, ann.name)
    card = live.cards[ann.id]
    assert "Filling in “Fight or make it right?”: step 1 of 6" in text_of(card.view)
    attempt.save_step(0, {"been_hurt": "no"}, 0)
    live.tick()
    assert re.search(r"ever hurt you or made you afraid\? No saved \d\d:\d\d:\d\d", text_of(card.view))
    attempt.save_step(0, SAFE, 1)
    attempt.save_step(1, {"role": "both"}, 1)
    live.tick()
    shown = text_of(card.view)
    assert "step 2 of 6, “Where you usually find yourself”" in shown
    assert "Step 2 · Where you usually find yourself They are here" in shown
    assert 'aria-current="step"' in html_of(card.view)


def test_a_safety_answer_raises_a_flag_at_once_and_a_corrected_one_clears_it(store, ann, live, attempt):
    live.follow(ann.id, ann.name)
    attempt.save_step(0, {**SAFE, "been_hurt": "yes"}, 0)
    live.tick()
    card = live.cards[ann.id]
    assert 'role="alert"' in card.flags.value and "Flag raised: check in" in card.flags.value
    assert "hurt them or made them afraid" in text_of(card.flags)
    assert "Flag raised: said a partner or someone close has hurt them" in text_of(card.events_html)
    attempt.save_step(0, SAFE, 0)
    live.tick()
    assert card.flags.value == ""


def test_finishing_turns_the_view_into_the_summary_they_read(store, ann, live, attempt):
    live.follow(ann.id, ann.name)
    attempt.save_step(0, SAFE, 1)
    live.tick()
    assert "They are here" in text_of(live.cards[ann.id].body)
    attempt.complete({"frequency": "rarely", "role": "both", "approach": "sidestep"}, 5)
    live.tick()
    shown = text_of(live.cards[ann.id].view)
    assert "Finished “Fight or make it right?”" in shown
    assert "Finished at" in shown and "The summary they read" in shown and "Their answers" in shown
    assert "They are here" not in shown
    assert "Finished “Fight or make it right?”." in text_of(live.cards[ann.id].events_html)


def test_the_client_text_is_escaped(store, ann, live, attempt):
    live.follow(ann.id, ann.name)
    attempt.save_step(0, SAFE, 5)
    attempt.save_step(5, {"frequency": "rarely", "recent_fight": HOSTILE}, 5)
    live.tick()
    body = live.cards[ann.id].body.value
    assert "<script>" not in body and "&lt;script&gt;" in body and "<img src=x" not in body


def test_private_answers_are_the_coachs_to_read_and_marked_where_the_client_page_hides_them(
    store, ann, live, attempt
):
    session = open_page(store, ann)
    live.follow(ann.id, ann.name)
    attempt.save_step(0, SAFE, 0)
    live.tick()
    body = live.cards[ann.id].body.value
    assert body.count("private on their page") == 3  # been hurt, hurt a partner, safe contact
    store.note_code_typed(session.id)
    live.tick()
    assert "private on their page" not in live.cards[ann.id].body.value


def test_open_now_lists_pages_connected_now_and_follows_one_with_a_click(store, ann, live):
    live.tick()
    assert "No client has a page open now" in live.open_label.value
    open_page(store, ann)
    live.tick()
    [button] = live.open_buttons.children
    assert button.description == "Ann Lee · “Fight or make it right?”"
    button.click()
    assert "Page open now, showing “Fight or make it right?”" in text_of(live.cards[ann.id].heading)


def test_a_reload_a_second_tab_a_lost_connection_and_a_closed_page_each_say_so(store, ann, live):
    session = open_page(store, ann)
    live.follow(ann.id, ann.name)
    card = live.cards[ann.id]
    store.note_page("kernel-2", session.id, "server", connected=True)  # a second tab
    live.tick()
    assert "Open in 2 tabs or windows" in text_of(card.heading)
    store.note_page_closed("kernel-2")
    store.note_page("kernel-1", session.id, "server", connected=False)  # out of signal
    live.tick()
    assert "Connection lost" in text_of(card.heading) and card.heading.value.count("ck-live-lost")
    assert "(connection lost)" in live.open_buttons.children[0].description
    store.note_page("kernel-1", session.id, "server", connected=True)
    live.tick()
    store.note_page("kernel-3", session.id, "server", connected=True)  # a reload: a new page …
    store.note_page("kernel-1", session.id, "server", connected=False)  # … and the old one gone
    store.note_page_closed("kernel-1")
    live.tick()
    assert "Page open now" in text_of(card.heading)
    store.note_page_closed("kernel-3")
    live.tick()
    assert "No page open now" in text_of(card.heading)
    assert live.open_buttons.children == ()
    items = re.findall(r"<li>(.*?)</li>", card.events_html.value)
    events = [re.sub(r"^\d\d:\d\d:\d\d ", "", item) for item in items]
    again = f"Opened their page again (a reload, or another tab or window), showing {SHEET}."
    lost, back, closed = (
        "Lost the connection to their page (or it was closed).",
        "Connected again.",
        "Their page closed.",
    )
    assert events == [again, lost, back, again, closed]


def test_the_worksheet_their_page_shows_is_followed_even_before_they_save_in_it(store, ann, live):
    plan = Attempt.start(store, WORKSHEETS["my-anger-plan"], ann)
    plan.save_step(0, {"hurt_partner": "no"}, 0)
    fight = Attempt.start(store, WORKSHEETS[FIGHT], ann)
    fight.save_step(0, SAFE, 2)
    session = open_page(store, ann, sheet="my-anger-plan")
    live.follow(ann.id, ann.name)
    assert "Filling in “My anger plan”" in text_of(live.cards[ann.id].heading)
    store.show_in_session(session.id, None)
    live.tick()
    assert "showing their own page" in text_of(live.cards[ann.id].heading)
    assert "Moved to their own page." in text_of(live.cards[ann.id].events_html)


def test_a_deleted_client_is_said_plainly_and_the_others_carry_on(store, ann, live, attempt):
    bo = store.add_client("Bo Other")
    live.follow(ann.id, ann.name)
    live.follow(bo.id, bo.name)
    store.remove_client(ann.id)
    live.tick()
    assert "Ann Lee was deleted, with every answer" in text_of(live.cards[ann.id].view)
    assert live.cards[ann.id].note.text.disabled
    Attempt.start(store, WORKSHEETS[FIGHT], bo).save_step(0, SAFE, 1)
    live.tick()
    assert "step 2 of 6" in text_of(live.cards[bo.id].heading)


def test_a_store_that_cannot_be_read_is_said_and_the_view_carries_on(store, ann, live, attempt, monkeypatch):
    live.follow(ann.id, ann.name)
    real = store.live_marks

    def unavailable(_ids):  # type: ignore[no-untyped-def]
        raise StoreUnavailable("the disk is gone")

    monkeypatch.setattr(store, "live_marks", unavailable)
    live.tick()
    assert "can’t be read just now" in live.trouble.value
    monkeypatch.setattr(store, "live_marks", real)
    attempt.save_step(0, SAFE, 1)
    live.tick()
    assert live.trouble.value == "" and "step 2 of 6" in text_of(live.cards[ann.id].heading)


def test_looking_costs_two_statements_and_reading_more_only_when_a_mark_moved(store, ann, live, attempt):
    ran: list[str] = []
    selects = lambda *args: args[2].lstrip().upper().startswith("SELECT") and ran.append(args[2])  # noqa: E731
    event.listen(store.engine, "before_cursor_execute", selects)
    live.tick()
    assert len(ran) == 1  # following no one: the open pages alone
    live.follow(ann.id, ann.name)
    ran.clear()
    for _ in range(5):
        live.tick()
    assert len(ran) == 10  # nothing moved: two statements a look, nothing more
    attempt.save_step(0, SAFE, 1)
    ran.clear()
    live.tick()
    assert len(ran) > 2  # the response itself is read once …
    ran.clear()
    live.tick()
    assert len(ran) == 2  # … and not again


def test_following_and_stopping(store, ann, live):
    live.follow(ann.id, ann.name)
    live.follow(ann.id, ann.name)
    assert len(live.cards_box.children) == 1
    live.cards[ann.id].view.children[-1].click()  # Stop following
    assert live.cards == {} and live.cards_box.children == ()


# -- the coach's note ---------------------------------------------------------------------------------


def test_the_note_is_about_the_worksheet_they_fill_and_shown_on_the_dashboard_and_in_exports(
    store, ann, live, attempt
):
    live.follow(ann.id, ann.name)
    note = live.cards[ann.id].note
    assert "about “Fight or make it right?”" in note.about.value and "never the client" in note.about.value
    note.text.value = f"Calmer today. {HOSTILE}"
    assert "Saved" in note.status.value
    assert store.find_coach_note(attempt.response.id).note == f"Calmer today. {HOSTILE}"
    panel = notes_panel(store, ann.id, dt.UTC)
    assert "Your session notes" in panel and "Calmer today." in panel and "<script>" not in panel
    assert f'href="#ck-response-{attempt.response.id}"' in panel
    table = exports.tables(store, ann.id)["notes"]
    assert list(table["note"]) == [f"Calmer today. {HOSTILE}"] and list(table["worksheet"]) == [FIGHT]
    assert "Calmer today" in exports.csv_bytes(table).decode("utf-8-sig")
    note.text.value = ""
    assert store.find_coach_note(attempt.response.id) is None


def test_a_note_before_any_worksheet_is_about_the_client_and_kept_when_one_starts(store, ann, live):
    live.follow(ann.id, ann.name)
    note = live.cards[ann.id].note
    assert "about not a worksheet yet" in note.about.value
    note.text.value = "Talked about the week first."
    note.text.value = "Talked about the week first; no worksheet."
    assert len(store.coach_note_rows(ann.id).values) == 1
    Attempt.start(store, WORKSHEETS[FIGHT], ann).save_step(0, SAFE, 1)
    live.tick()
    assert note.text.value == "" and "about “Fight or make it right?”" in note.about.value
    [row] = store.coach_note_rows(ann.id).values
    assert row[5] == "Talked about the week first; no worksheet."


def test_the_dashboard_has_the_live_view_and_a_follow_button_for_the_picked_client(store, ann):
    board = Dashboard(store)
    follow = next(
        b for b in board.view.children[4].children if getattr(b, "description", "") == "Follow live"
    )
    follow.click()
    assert "Pick a client first" in board.live.status.value
    board.pick(ann.id)
    follow.click()
    assert ann.id in board.live.cards
    board.live.cards[ann.id].note.text.value = "A word for later."
    board.pick(ann.id)
    assert "Your session notes" in html_of(board.client_view)
