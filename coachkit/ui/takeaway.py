"""The take-home card on the page, with its PDF and printable-page downloads and a Print button."""

from __future__ import annotations

import base64
import datetime as dt
from html import escape

from coachkit.card import Card, card_html, card_pdf, printable_page
from coachkit.card.html import PRINT_CSS
from coachkit.i18n import ENGLISH, Words
from coachkit.worksheet import Answers, Worksheet


def make_card(
    worksheet: Worksheet,
    first_name: str,
    answers: Answers,
    date: dt.date,
    neutral_title: str = "Notes",
    words: Words = ENGLISH,
) -> Card | None:
    """The worksheet's card for these answers, or None for a worksheet without one; its file is named after
    ``neutral_title`` (the coach's page title, in the page's language), its date written in the page's
    language, its words in the worksheet's."""
    if worksheet.takeaway is None:
        return None
    lines = tuple(worksheet.takeaway.lines(answers))
    day = words.date(date)
    return Card(
        worksheet.takeaway.title, first_name, date, lines, neutral_title or "Notes", words.language, day
    )


def _data_link(label: str, filename: str, mime: str, payload: bytes) -> str:
    encoded = base64.b64encode(payload).decode("ascii")
    return (
        f'<a class="ck-download" download="{escape(filename)}" href="data:{mime};base64,{encoded}">'
        f"{escape(label)}</a>"
    )


def takeaway_html(card: Card, words: Words = ENGLISH) -> str:
    """The card, then ways to keep it: PDF, a printable page, and printing this page."""
    _ = words
    pdf = _data_link(_("Download my card (PDF)"), card.filename("pdf"), "application/pdf", card_pdf(card))
    page = printable_page(card).encode("utf-8")
    printable = _data_link(_("Download a printable page"), card.filename("html"), "text/html", page)
    label = escape(_("Print my card"))
    print_button = f'<button type="button" class="ck-print" onclick="window.print()">{label}</button>'
    return (
        f"<style>{PRINT_CSS}</style>{card_html(card)}"
        f'<div class="ck-keep">{pdf}{printable}{print_button}</div>'
    )
