"""A worksheet run for a client in the coach's notebook: ``coachkit.open_worksheet(sheet, client=…)``."""

from __future__ import annotations

import re

import ipywidgets as w
import pytest

import coachkit
from coachkit.attempt import Attempt
from coachkit.exercises import get_worksheet
from coachkit.store import DraftTakenOver
from coachkit.ui.app import WorksheetApp
from coachkit.ui.client import NOT_SERVED, open_client_page
from coachkit.ui.history import HistoryPage
from coachkit.ui.inline import InlineWorksheet

FIGHT = get_worksheet("fight-or-make-it-right")
SAFE = {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "any"}


def html_of(widget: w.Widget) -> str:
    found = [widget.value] if isinstance(widget, w.HTML) else []
    for child in getattr(widget, "children", ()):
        found.append(html_of(child))
    return " ".join(found)


def buttons(widget: w.Widget) -> dict[str, w.Button]:
    found: dict[str, w.Button] = {}
    if isinstance(widget, w.Button):
        found[widget.description] = widget
    for child in getattr(widget, "children", ()):
        found.update(buttons(child))
    return found


def answer(page: InlineWorksheet, answers: dict[str, object]) -> None:
    """Answer on the current step as the client would, by the widgets."""
    assert isinstance(page.current, WorksheetApp) and page.current.wizard is not None
    for block in page.current.wizard.blocks:
        if block.item.id in answers:
            block.input.watched[0].value = answers[block.item.id]


@pytest.fixture
def sam(store):
    return store.add_client("Sam Rivera")


def test_a_worksheet_runs_for_a_client_named_or_by_code_with_the_same_steps_checks_and_saving(store, sam):
    page = coachkit.open_worksheet(FIGHT.id, client="  sam RIVERA ", store=store)
    assert isinstance(page, InlineWorksheet) and page.client == sam
    assert page._repr_mimebundle_()["text/plain"] == "Fight or make it right? · Sam Rivera · in the worksheet"
    wizard = page.current.wizard
    assert "Hello Sam." in wizard.header.value and "Quick exit" not in wizard.header.value  # none here
    wizard.next.click()  # nothing answered: the same check as the client's page
    assert "Please have a look" in wizard.message.value and wizard.index == 0
    answer(page, SAFE)
    wizard.next.click()
    assert wizard.index == 1
    [response] = store.find_responses(sam.id, FIGHT.id)
    assert store.get_answers(response.id) == SAFE
    by_code = coachkit.open_worksheet(FIGHT.id, client=sam.code.lower().replace("-", " "), store=store)
    assert isinstance(by_code, InlineWorksheet) and by_code.client == sam


def test_a_private_answer_shows_in_the_coachs_notebook(store, sam):
    Attempt.start(store, FIGHT, sam).save_step(0, {**SAFE, "been_hurt": "yes"}, 0)
    page = coachkit.open_worksheet(FIGHT.id, client="Sam Rivera", store=store)
    buttons(page.view)["Continue where I left off"].click()
    blocks = {block.item.id: block for block in page.current.wizard.blocks}
    assert not blocks["been_hurt"].concealed and blocks["been_hurt"].input.read() == "yes"


def test_opening_a_draft_takes_it_over_from_the_clients_page(store, sam):
    theirs = Attempt.start(store, FIGHT, sam)
    theirs.claim()
    theirs.save_step(0, {"been_hurt": "no"}, 0)
    page = coachkit.open_worksheet(FIGHT.id, client="Sam Rivera", store=store)
    buttons(page.view)["Continue where I left off"].click()
    with pytest.raises(DraftTakenOver):
        theirs.save_step(0, SAFE, 1)


def test_what_next_opens_in_place_and_the_clients_own_page_too(store, sam):
    page = coachkit.open_worksheet("anger-plan-practice", client="Sam Rivera", store=store)
    assert isinstance(page, InlineWorksheet)
    page.open(None)
    assert isinstance(page.current, HistoryPage) and page.view.children == (page.direction, page.current.view)
    page.open(FIGHT.id)
    assert isinstance(page.current, WorksheetApp) and page.current.worksheet.id == FIGHT.id


@pytest.mark.parametrize(
    ("sheet", "who", "said"),
    [
        ("no-such-sheet", "Sam Rivera", "There is no worksheet “no-such-sheet”. The worksheets: “"),
        (FIGHT.id, "Nobody Here", "No client is called “Nobody Here”"),
        (FIGHT.id, "AAAA-BBBB-CCCC", "no client has that code"),
    ],
)
def test_an_unknown_worksheet_or_client_says_what_to_give_instead(store, sam, sheet, who, said):
    page = coachkit.open_worksheet(sheet, client=who, store=store)
    assert said in html_of(page.view)
    assert "Traceback" not in html_of(page.view)


def test_two_clients_of_one_name_ask_for_the_code(store, sam):
    store.add_client("Sam Rivera")
    page = coachkit.open_worksheet(FIGHT.id, client="Sam Rivera", store=store)
    assert "2 clients are called “Sam Rivera”. Give their code instead" in html_of(page.view)


def test_the_clients_notebook_opened_in_jupyterlab_says_how_to_run_a_worksheet_here(monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    page = open_client_page()
    shown = html_of(page.view)
    assert page._repr_mimebundle_()["text/plain"] == f"{NOT_SERVED} · opened as a notebook"
    assert 'coachkit.open_worksheet("fight-or-make-it-right", client="Sam")' in shown.replace("&quot;", '"')
    assert re.search(r"<code>my-anger-plan</code>: My anger plan", shown)
    assert "link" in shown and "Please open the link" not in shown


def test_a_worksheet_runs_in_the_clients_language_or_the_one_the_coach_names(store, sam):
    store.set_client_language(sam.id, "es")  # the coach's setting for Sam
    page = coachkit.open_worksheet(FIGHT.id, client="Sam Rivera", store=store)
    assert isinstance(page, InlineWorksheet) and page.words.language == "es"
    wizard = page.current.wizard
    assert "Hola, Sam." in wizard.header.value
    assert wizard.next.description == "Siguiente"
    assert 'data-lang="es" data-dir="ltr"' in html_of(page.view)

    store.choose_language(sam.id, "ar")  # the client's own choice on their page wins
    arabic = coachkit.open_worksheet(FIGHT.id, client="Sam Rivera", store=store)
    assert arabic.words.language == "ar" and 'data-dir="rtl"' in html_of(arabic.view)
    answer(arabic, SAFE)
    arabic.current.wizard.next.click()
    draft = store.find_draft(sam.id, FIGHT.id)
    assert draft is not None and draft.language == "ar"  # the response says what it was given in

    english = coachkit.open_worksheet(FIGHT.id, client="Sam Rivera", language="en", store=store)
    assert english.words.language == "en" and "Continue where I left off" in buttons(english.view)


def test_a_language_worksheets_are_not_written_in_says_which_they_are(store, sam):
    page = coachkit.open_worksheet(FIGHT.id, client="Sam Rivera", language="xx", store=store)
    shown = html_of(page.view)
    assert (
        "Worksheets are not written in “xx”. The languages: en (English), es (Spanish), ar (Arabic)." in shown
    )
