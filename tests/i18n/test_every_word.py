"""Every word a client sees goes through a catalog: pages drawn in a pseudo language (every looked-up word
wrapped in ⟦…⟧) hold no word that is not wrapped, other than the client's own.

A new English string in the renderer, a sign-in page, a worksheet part no translation covers, or the card,
shows up here unwrapped, with the page it is on, before any client sees it in the wrong language.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import ipywidgets as w
import pytest

from coachkit.attempt import Attempt
from coachkit.exercises import all_worksheets, worksheets_in
from coachkit.homework.assigning import assign_worksheet
from coachkit.i18n import LANGUAGES
from coachkit.ui.app import WorksheetApp
from coachkit.ui.client import ClientApp, open_client_page
from coachkit.web import client_files, pages, prepaint
from coachkit.worksheet import (
    AnswerError,
    LongText,
    MultiChoice,
    Rating,
    ShortText,
    SingleChoice,
    TimeOfDay,
    YesNo,
)
from tests.i18n.pseudo import CODE, html_text, install, unwrapped, visible_text

NOW = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)  # a Monday
SAFE = {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "any"}
EMAIL = "sam@example.org"
TYPED = "my own words"
SENTENCE = re.compile(r"[A-Z][a-z'’]+( [A-Za-z'’,.]+){2,}")
"""A string literal that reads like words for a person (not a selector, a header or an event name)."""


@pytest.fixture
def pseudo(monkeypatch):
    return install(monkeypatch)


@pytest.fixture
def sam(store):
    store.now = lambda: NOW
    return store.add_client("Sam Example")


def own_data(client) -> list[str]:  # type: ignore[no-untyped-def]
    """What a page may show untranslated: the client's own data, and language names in their own words."""
    names = [language.name for language in LANGUAGES.values()]
    return [client.name, client.name.split()[0], client.code, EMAIL, TYPED, "UTC", *names, "PDF", "Esc"]


def assert_all_translated(widget: w.Widget, client, where: str) -> None:  # type: ignore[no-untyped-def]
    left = unwrapped(visible_text(widget), own_data(client))
    assert left == [], f"{where}: not through a catalog: {left}"


def sheets():  # type: ignore[no-untyped-def]
    return list(all_worksheets())


@pytest.mark.parametrize("sheet_id", sheets())
def test_every_step_of_every_worksheet_is_in_the_pages_language(store, sam, pseudo, sheet_id):
    sheet = worksheets_in(CODE)[sheet_id]
    app = WorksheetApp(sheet, store, client=sam, words=pseudo)
    wizard = app.wizard
    assert wizard is not None
    for index in range(len(sheet.steps)):
        wizard.index = index
        wizard.render_step()
        assert_all_translated(app.view, sam, f"{sheet_id}, step {sheet.steps[index].id}")
        for block in wizard.blocks:  # every notice, as if its answer had been given
            block.show_notices([notice.text for notice in block.item.notices])
            if isinstance(block.item, ShortText) and not block.concealed:
                block.input.widget.value = "I want to die. He hit me."  # the safety net's help, too
        wizard.go_next()  # required answers missing: each field says so, and the page too
        assert_all_translated(app.view, sam, f"{sheet_id}, step {sheet.steps[index].id}, with notices")


@pytest.mark.parametrize("sheet_id", sheets())
def test_every_summary_card_and_next_step_is_in_the_pages_language(store, sam, pseudo, sheet_id):
    sheet = worksheets_in(CODE)[sheet_id]
    attempt = Attempt.start(store, sheet, sam)
    answers = {}
    for _, item in sheet.all_fields():
        if isinstance(item, SingleChoice | MultiChoice):
            answers[item.id] = (
                [item.options[0].value] if isinstance(item, MultiChoice) else item.options[0].value
            )
        elif isinstance(item, YesNo):
            answers[item.id] = False
        elif isinstance(item, Rating):
            answers[item.id] = item.high
        elif isinstance(item, TimeOfDay):
            answers[item.id] = "18:30"
        elif isinstance(item, ShortText):
            answers[item.id] = TYPED
    attempt.complete(answers)
    app = WorksheetApp(sheet, store, client=sam, words=pseudo, navigate=lambda _: None)
    app.finish(attempt)
    assert_all_translated(app.view, sam, f"{sheet_id}, summary")


def test_the_clients_own_page_with_homework_reminders_and_history_is_in_the_pages_language(
    store, sam, pseudo
):
    fight = worksheets_in(CODE)["fight-or-make-it-right"]
    Attempt.start(store, fight, sam).complete({**SAFE, "role": "starter", "approach": "look"})
    draft = Attempt.start(store, worksheets_in(CODE)["my-anger-plan"], sam)
    draft.save_step(0, SAFE, next_index=1)
    assign_worksheet(store, sam, "anger-plan-practice", by="coach", due_on=NOW.date() + dt.timedelta(days=3))
    assign_worksheet(store, sam, "wanting-them-back", by="coach", due_on=NOW.date() + dt.timedelta(days=10))
    store.set_reminders(sam.id, EMAIL, 18, "UTC")
    session, _ = store.start_session(sam.id)
    app = ClientApp(store, session, sam, language=CODE)
    assert_all_translated(app.view, sam, "the client's own page, private answers hidden")
    app.current._typed() if hasattr(app.current, "_typed") else None
    app.current.reveal()  # type: ignore[union-attr]
    assert_all_translated(app.view, sam, "the client's own page, code typed")
    store.stop_reminders(sam.id)
    app.current.render()  # type: ignore[union-attr]
    assert_all_translated(app.view, sam, "the client's own page, asking about reminders")


def test_pages_before_a_worksheet_starts_are_in_the_pages_language(store, sam, pseudo, monkeypatch):
    sheet = worksheets_in(CODE)["my-anger-plan"]
    asked = WorksheetApp(sheet, store, words=pseudo)  # no client yet: it asks for the code
    assert_all_translated(asked.view, sam, "asking for the code")
    asked.enter("WRONG-CODE")
    assert_all_translated(asked.view, sam, "a wrong code")
    draft = Attempt.start(store, sheet, sam)
    draft.save_step(1, {"signs": ["hot"]}, next_index=2)
    offered = WorksheetApp(sheet, store, client=sam, words=pseudo)
    assert_all_translated(offered.view, sam, "offering to continue")
    monkeypatch.setenv("QUERY_STRING", f"lang={CODE}")
    assert_all_translated(open_client_page(store).view, sam, "not signed in")


def test_answers_refused_are_refused_in_the_pages_language(pseudo):
    said = []
    for sheet in worksheets_in(CODE).values():
        for _, item in sheet.all_fields():
            for raw in (None, "not an option", ["not", "on", "the", "list"], 99, "x" * 30_000, "25:99"):
                try:
                    item.clean(raw)
                except AnswerError as error:
                    said.append(str(error))
    kinds = {type(item) for sheet in worksheets_in(CODE).values() for _, item in sheet.all_fields()}
    assert {SingleChoice, MultiChoice, YesNo, Rating, ShortText, LongText, TimeOfDay} <= kinds
    assert said and unwrapped(said) == []


@pytest.mark.parametrize("name", ["code", "open", "busy", "wait", "missing", "error", "stop"])
def test_the_servers_own_pages_are_in_the_readers_language(pseudo, name):
    look = pages.Look("Notes", "https://www.example.org/")
    html = pages.render(name, look, "/", pseudo, action="/x", xsrf="t", again="/", status_code=404)
    body = html.split("<body>", 1)[1]
    assert unwrapped(html_text(body)) == [], name
    assert f'<html lang="{CODE}"' in html


def assert_painted_translated(html: str, client, where: str) -> None:  # type: ignore[no-untyped-def]
    left = unwrapped(html_text(html), own_data(client))
    assert left == [], f"{where}, painted: not through a catalog: {left}"


@pytest.mark.parametrize("sheet_id", sheets())
def test_every_painted_first_screen_is_in_the_pages_language(store, sam, pseudo, sheet_id):
    """What the server paints before the widgets (``prepaint``): a first step, the offer to continue,
    the step resumed, and the client's own page, each all in the page's language."""
    session, _ = store.start_session(sam.id, sheet_id)
    assert_painted_translated(prepaint.first_screen(store, session, False, CODE), sam, sheet_id)
    sheet = worksheets_in(CODE)[sheet_id]
    draft = Attempt.start(store, sheet, sam)
    first = sheet.steps[0].fields[0]
    answer = [first.options[0].value] if isinstance(first, MultiChoice) else None
    if isinstance(first, SingleChoice):
        answer = first.options[0].value
    elif isinstance(first, YesNo):
        answer = False
    elif isinstance(first, ShortText):
        answer = TYPED
    draft.save_step(0, {first.id: answer}, next_index=0)
    for resume in (False, True):
        html = prepaint.first_screen(store, session, resume, CODE)
        assert_painted_translated(html, sam, f"{sheet_id}, a draft (resume={resume})")


def test_the_painted_own_page_and_the_top_of_the_page_are_in_the_pages_language(store, sam, pseudo):
    session, _ = store.start_session(sam.id)
    painted = prepaint.first_screen(store, session, False, CODE)
    assert_painted_translated(painted, sam, "the client's own page")
    look = pages.Look("Notes", "https://www.example.org/")
    top = pages.client_top(look, "/", painted, client_files.links("/"), client_files.stylesheet(), pseudo)
    assert f'<html lang="{CODE}" dir="ltr">' in top
    assert unwrapped(html_text(top.split("</head>", 1)[1]), own_data(sam)) == []
    empty = pages.client_top(look, "/", "", client_files.links("/"), client_files.stylesheet(), pseudo)
    assert unwrapped(html_text(empty.split("</head>", 1)[1]), own_data(sam)) == []  # "One moment…"


def test_the_page_script_holds_no_words_of_its_own():
    """page.js says only what the page gives it (``ck-words``: ``pages.PAGE_WORDS``, in the catalog)."""
    script = (Path(pages.STATIC_DIR) / "page.js").read_text(encoding="utf-8")
    literals = re.findall(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'', script)
    sentences = [text for pair in literals for text in pair if SENTENCE.match(text)]
    assert sentences == []
    assert set(re.findall(r'say\("([a-z_]+)"\)', script)) <= set(pages.PAGE_WORDS)
