"""The take-home card: its byline and file name, its HTML (always escaped), and its one-page PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from dataclasses import replace

import pytest
from pypdf import PdfReader

from coachkit.card import Card, card_html, card_pdf, printable_page
from coachkit.exercises import get_worksheet
from coachkit.worksheet import ShortText

PLAN_SHEET = get_worksheet("my-anger-plan")
DATE = dt.date(2026, 11, 26)
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
QUOTES = "He said \"fine\" and I said 'fine'"
ENTITY = "Tom &amp; Jerry"
EMOJI = "Breathe 😊 then talk 💔"
RIGHT_TO_LEFT = "שלום עולם · مرحبا بالعالم"
LONG = "calm " * 2000  # 10,000 characters

PLAN = {
    "signs": ["hot", "louder", "other"],
    "own_signs": "I start pacing",
    "care_words": "Our evenings together and the kids",
    "calm_action": "walk",
    "back_how": "at_time",
    "back_time": "18:30",
}


def card(*lines: str, first_name: str = "Sam", title: str = "My anger plan") -> Card:
    return Card(title, first_name, DATE, tuple(lines))


def plan_card(answers: dict, first_name: str = "Sam") -> Card:
    return card(*PLAN_SHEET.takeaway.lines(answers), first_name=first_name)


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text with runs of whitespace (and line wraps) made one space."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return [squash(page.extract_text()) for page in reader.pages]


def squash(text: str) -> str:
    return " ".join(text.split())


def words_of_length(length: int, word: str = "steady") -> str:
    """Ordinary words (so lines wrap between them) making text of exactly ``length`` characters."""
    text = " ".join([word] * (length // (len(word) + 1) + 1))
    return text[:length].rstrip().ljust(length, "s")


# -- byline and file name ----------------------------------------------------------------------


def test_byline_has_first_name_and_date_in_words():
    assert card(first_name="Sam").byline == "Sam · 26 November 2026"
    assert Card("T", "Alex", dt.date(2026, 3, 5), ()).byline == "Alex · 5 March 2026"


def test_filename_is_the_neutral_page_title_and_date_never_the_topic():
    assert card().filename("pdf") == "notes-2026-11-26.pdf"
    assert card().filename("html") == "notes-2026-11-26.html"
    assert "anger" not in card().filename("pdf")


def test_filename_never_carries_the_clients_text():
    hostile = card(SCRIPT, IMAGE, QUOTES, "../../etc/passwd", first_name='Sam"/../<x>')
    assert hostile.filename("pdf") == "notes-2026-11-26.pdf"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("  What -- I  keep!  ", "what-i-keep-2026-11-26.pdf"),
        ("<>/..\\", "card-2026-11-26.pdf"),
        ("", "card-2026-11-26.pdf"),
    ],
)
def test_filename_is_safe_whatever_the_neutral_title(title, expected):
    name = replace(card(), neutral_title=title).filename("pdf")
    assert name == expected
    assert re.fullmatch(r"[\w-]+\.pdf", name)


# -- HTML: everything escaped ------------------------------------------------------------------

HOSTILE = [SCRIPT, IMAGE, QUOTES, ENTITY, EMOJI, RIGHT_TO_LEFT, LONG]


@pytest.mark.parametrize("render", [card_html, printable_page])
def test_html_escapes_the_clients_lines(render):
    html = render(card(*HOSTILE))
    for raw in ["<script", "<img", "onerror=alert(1)>", "Tom &amp; Jerry"]:
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "He said &quot;fine&quot; and I said &#x27;fine&#x27;" in html
    assert "Tom &amp;amp; Jerry" in html
    assert EMOJI in html
    assert RIGHT_TO_LEFT in html
    assert f"<p>{LONG}</p>" in html


@pytest.mark.parametrize("render", [card_html, printable_page])
def test_html_escapes_the_name_and_title(render):
    html = render(card("a line", first_name=IMAGE, title=SCRIPT))
    assert "<script" not in html
    assert "<img" not in html
    assert "<bdi>&lt;img src=x onerror=alert(1)&gt;</bdi> · 26 November 2026" in html
    assert 'aria-label="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2>" in html


def test_card_html_shows_each_line_in_order_and_keeps_blank_lines():
    html = card_html(card("1. First", "", "My early signs: hot."))
    assert html.index("1. First") < html.index('<p class="ck-gap">') < html.index("My early signs: hot.")
    assert html.count("<p>") == 2


def test_printable_page_is_a_whole_page_holding_only_the_card():
    page = printable_page(card("1. First"))
    assert page.startswith("<!doctype html>")
    assert '<meta charset="utf-8">' in page
    assert "<title>Notes</title>" in page
    assert card_html(card("1. First")) in page
    assert page.endswith("</body></html>")
    assert "<script" not in page


# -- PDF: one page, the client's words -------------------------------------------------------


def test_pdf_holds_the_plan_on_one_page():
    data = card_pdf(plan_card(PLAN))
    [text] = pdf_pages(data)
    assert "My anger plan" in text
    assert "Sam · 26 November 2026" in text
    for line in PLAN_SHEET.takeaway.lines(PLAN):
        assert squash(line) in text


def test_pdf_shows_markup_and_quotes_as_typed():
    lines = (SCRIPT, IMAGE, QUOTES, ENTITY)
    [text] = pdf_pages(card_pdf(card(*lines, first_name="<b>Sam</b>")))
    for line in lines:
        assert line in text
    assert "<b>Sam</b> · 26 November 2026" in text


def test_pdf_with_own_words_in_markup():
    answers = {**PLAN, "calm_action": "own", "own_action": '<b>breathe</b> & say "pause"'}
    [text] = pdf_pages(card_pdf(plan_card(answers)))
    assert 'I\'m going to <b>breathe</b> & say "pause".' in text


@pytest.mark.parametrize("line", [EMOJI, RIGHT_TO_LEFT, f"{EMOJI} {RIGHT_TO_LEFT}"])
def test_pdf_with_emoji_and_right_to_left_text(line):
    with warnings.catch_warnings():
        # fpdf2 warns (and leaves a gap) for a glyph its font lacks, such as some emoji.
        warnings.simplefilter("ignore")
        data = card_pdf(card("1. I recognize that I am getting angry.", line, first_name="Zoë"))
    [text] = pdf_pages(data)
    assert "1. I recognize that I am getting angry." in text
    assert "Zoë · 26 November 2026" in text


def test_pdf_keeps_the_emoji_its_font_has():
    [text] = pdf_pages(card_pdf(card("Breathe 😊 then talk")))
    assert "Breathe 😊 then talk" in text


def test_pdf_lays_out_right_to_left_text_from_the_right():
    data = card_pdf(card("שלום"))
    # Layout mode reads glyphs left to right as placed on the page: correctly laid out, the word's
    # last letter (final mem) is the leftmost one.
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text(extraction_mode="layout")
    assert "םולש" in text


def test_pdf_of_a_very_long_line_is_still_one_page():
    assert len(pdf_pages(card_pdf(card(LONG, LONG, first_name="N" * 200)))) == 1


def field_max(field_id: str) -> int:
    item = PLAN_SHEET.field(field_id)
    assert isinstance(item, ShortText)
    return item.max_length


def test_pdf_at_every_fields_max_length_is_one_page_with_the_four_sentences():
    answers = {
        "signs": [option.value for option in PLAN_SHEET.field("signs").options],
        "own_signs": words_of_length(field_max("own_signs"), "pacing"),
        "care_words": words_of_length(field_max("care_words"), "together"),
        "calm_action": "own",
        "own_action": words_of_length(field_max("own_action"), "tea"),
        "back_how": "in_minutes",
        "back_minutes": "480",
    }
    data = card_pdf(plan_card(answers, first_name="N" * 200))
    [text] = pdf_pages(data)
    for sentence in PLAN_SHEET.steps[-1].preview(answers):
        assert squash(sentence) in text
    assert squash(answers["own_signs"]) in text
    assert squash(answers["care_words"]) in text


def test_pdf_is_the_same_for_the_same_card_apart_from_its_timestamp():
    first = pdf_pages(card_pdf(plan_card(PLAN)))
    second = pdf_pages(card_pdf(plan_card(PLAN)))
    assert first == second
