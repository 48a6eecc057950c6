"""The client's page in-process: one signed-in session, moving between their own page and worksheets."""

from __future__ import annotations

import datetime as dt

import ipywidgets as w
import pytest

from coachkit.attempt import Attempt
from coachkit.exercises import get_worksheet
from coachkit.links import HISTORY_TITLE
from coachkit.ui.app import WorksheetApp
from coachkit.ui.client import ClientApp
from coachkit.ui.history import HistoryPage

FIGHT = get_worksheet("fight-or-make-it-right")
PLAN = get_worksheet("my-anger-plan")
LIVE = {"idle": dt.timedelta(minutes=30), "longest": dt.timedelta(hours=8)}


@pytest.fixture
def client(store):
    return store.add_client("Cleo Client")


def buttons(widget: w.Widget) -> dict[str, w.Button]:
    found: dict[str, w.Button] = {}
    if isinstance(widget, w.Button):
        found[widget.description] = widget
    for child in getattr(widget, "children", ()):
        found.update(buttons(child))
    return found


def test_a_session_opens_the_page_its_link_named(store, client):
    session, _ = store.use_sign_in_link(store.add_sign_in_link(client.id, PLAN.id))
    app = ClientApp(store, session, client)
    assert isinstance(app.current, WorksheetApp)
    assert app.current.worksheet.id == PLAN.id
    session, _ = store.use_sign_in_link(store.add_sign_in_link(client.id))
    assert isinstance(ClientApp(store, session, client).current, HistoryPage)


def test_moving_in_place_is_noted_so_a_reload_reopens_it(store, client):
    session, _ = store.start_session(client.id)
    app = ClientApp(store, session, client)
    buttons(app.view)[FIGHT.title].click()
    assert isinstance(app.current, WorksheetApp) and app.current.worksheet.id == FIGHT.id
    assert app.view.children == (app.bar, app.current.view)  # the language picker, and one page at a time
    reloaded = ClientApp(store, store.get_session(session.id), client, resume=True)
    assert reloaded.current.worksheet.id == FIGHT.id


def test_a_session_naming_an_unknown_worksheet_opens_the_clients_own_page(store, client):
    session, _ = store.start_session(client.id, "no-such-sheet")
    assert isinstance(ClientApp(store, session, client).current, HistoryPage)


def test_typing_the_code_is_noted_for_the_rest_of_the_visit(store, client):
    draft = Attempt.start(store, FIGHT, client)
    draft.save_step(0, {"been_hurt": "yes"}, 1)  # a private answer
    session, _ = store.use_sign_in_link(store.add_sign_in_link(client.id))
    app = ClientApp(store, session, client)
    assert "Fight or make it right? (not finished yet)" not in buttons(app.view)
    check = next(c for c in app.current.screen.children if "ck-identity" in c._dom_classes)
    next(c for c in check.children if isinstance(c, w.Text)).value = client.code
    buttons(check)["Show my answers"].click()
    assert store.get_session(session.id).code_typed
    assert "Fight or make it right? (not finished yet)" in buttons(app.view)
    again = ClientApp(store, store.get_session(session.id), client)  # a reload in the same visit
    assert again.revealed


def test_finishing_ends_the_session_but_leaves_the_page(store, client):
    session, token = store.start_session(client.id, "anger-plan-practice", code_typed=True)
    app = ClientApp(store, session, client)
    page = app.current
    assert isinstance(page, WorksheetApp)
    page.finished(page.wizard.attempt)  # what pressing Finish calls once every answer is saved
    assert store.find_session(token, **LIVE) is None
    assert app.current is page
    buttons(app.view)[HISTORY_TITLE].click()  # the open page still moves in place
    assert isinstance(app.current, HistoryPage)
