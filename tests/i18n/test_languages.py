"""Which language a page uses, and that it is used everywhere the client reads: the page and its picker,
help texts, reminders, the card and its PDF (right to left for Arabic), the server's own pages."""

from __future__ import annotations

import datetime as dt
import io

import ipywidgets as w
import pytest
from pypdf import PdfReader

from coachkit.attempt import Attempt
from coachkit.card import Card, card_html, card_pdf, printable_page
from coachkit.exercises import worksheets_in
from coachkit.homework.assigning import assign_worksheet
from coachkit.homework.reminders import BODY, SUBJECT, write_due_reminders
from coachkit.i18n import negotiate, resolve, words_for
from coachkit.settings import CRISIS_HELP, page_context
from coachkit.ui.app import WorksheetApp
from coachkit.ui.client import ClientApp, open_client_page
from coachkit.web import pages
from coachkit.web.gate import kernel_query
from tests.i18n.pseudo import visible_text

NOW = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)
SAFE = {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "any"}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("fr-FR, ar;q=0.7, en;q=0.5", "ar"),
        ("en;q=0.2, es;q=0.8", "es"),
        ("de, fr", None),
        ("", None),
        (None, None),
        ("es;q=0, ar;q=0.1", "ar"),
        ("*;q=0.5, es;q=0.4", "es"),
        ("x" * 5000, None),
        ("es;q=abc, ar", "ar"),
    ],
)
def test_the_browsers_language_is_the_one_it_prefers_most_that_coachkit_speaks(header, expected):
    assert negotiate(header) == expected


def test_the_clients_choice_wins_then_the_coachs_then_the_browsers():
    assert resolve("ar", "es", "en") == "ar"
    assert resolve(None, "es", "ar") == "es"
    assert resolve(None, None, "ar") == "ar"
    assert resolve(None, "fr", None) == "en"


def test_plural_forms_follow_each_language():
    arabic = words_for("ar")
    for count in (0, 1, 2, 3, 11, 100):
        assert str(count) in arabic.ngettext(
            "Step {step} of {count}", "Step {step} of {count}", count, step=1
        )


def test_help_texts_are_in_the_clients_language_and_keep_the_coachs_own_numbers(store):
    spanish = words_for("es")
    default = page_context(store, spanish)["crisis_help"]
    assert default.startswith("Si estás en peligro") and "línea de crisis" in default
    store.set_setting(CRISIS_HELP.key, "Call 999, or Samaritans on 116 123.")
    assert page_context(store, spanish)["crisis_help"] == f"{default} Call 999, or Samaritans on 116 123."
    store.set_setting(CRISIS_HELP.key + ".es", "Llama al 024 (línea de atención a la conducta suicida).")
    assert (
        page_context(store, spanish)["crisis_help"]
        == "Llama al 024 (línea de atención a la conducta suicida)."
    )
    assert page_context(store)["crisis_help"] == "Call 999, or Samaritans on 116 123."


def texts(widget: w.Widget) -> str:
    return " ".join(visible_text(widget))


def test_the_picker_redraws_the_page_in_the_chosen_language_and_keeps_the_choice(store):
    sam = store.add_client("Sam Lee")
    session, _ = store.start_session(sam.id, "my-anger-plan")
    app = ClientApp(store, session, sam, language="es")
    assert "Antes de empezar" in texts(app.view) and app.picker.value == "es"
    assert 'data-lang="es" data-dir="ltr"' in app.direction.value
    app.picker.value = "ar"
    assert store.get_languages(sam.id).chosen == "ar"
    assert "قبل البدء" in texts(app.view) and 'data-lang="ar" data-dir="rtl"' in app.direction.value
    assert app.current.worksheet.language == "ar"  # type: ignore[union-attr]


def test_a_client_page_opens_in_the_browsers_language_unless_the_client_chose_another(store, monkeypatch):
    sam = store.add_client("Sam Lee")
    session, _ = store.start_session(sam.id)
    monkeypatch.setenv("QUERY_STRING", kernel_query(session.id, False, "es"))
    assert open_client_page(store).words.language == "es"  # type: ignore[union-attr]
    store.choose_language(sam.id, "ar")
    assert open_client_page(store).words.language == "ar"  # type: ignore[union-attr]


def test_answers_keep_the_language_they_were_given_in(store):
    sam = store.add_client("Sam Lee")
    sheet = worksheets_in("es")["fight-or-make-it-right"]
    app = WorksheetApp(sheet, store, client=sam, words=words_for("es"))
    assert app.wizard is not None and app.wizard.attempt.response.language == "es"


def test_despair_in_spanish_brings_crisis_help_in_spanish_and_a_flag(store):
    sam = store.add_client("Sam Lee")
    sheet = worksheets_in("es")["fight-or-make-it-right"]
    attempt = Attempt.start(store, sheet, sam)
    attempt.save_step(0, SAFE, next_index=1)
    attempt.save_step(5, {"recent_fight": "Ya no quiero seguir viviendo. Quiero morir."}, next_index=5)
    assert "words_of_despair" in {flag for flag in sheet.flags(attempt.answers)}
    [crisis] = [item for item in sheet.summary_feedback(attempt.facts) if "{crisis_help}" in item.text]
    assert crisis.title == "Tú importas"
    flags = store.flag_rows(sam.id)
    assert "words_of_despair" in {row[flags.columns.index("flag")] for row in flags.values}


def test_reminders_are_written_in_the_clients_language(store):
    store.now = lambda: NOW
    sam = store.add_client("Sam Lee")
    Attempt.start(store, worksheets_in("en")["fight-or-make-it-right"], sam).save_step(0, SAFE, next_index=1)
    store.set_reminders(sam.id, "sam@example.org", 9, "UTC")
    store.note_browser_language(sam.id, "es")
    assign_worksheet(store, sam, "anger-plan-practice", by="coach", due_on=NOW.date())
    assert write_due_reminders(store) == 1
    [mail] = store.find_mail()
    spanish = words_for("es")
    assert (mail.subject, mail.body) == (spanish(SUBJECT), spanish(BODY))
    assert "{link}" in mail.body and "{stop}" in mail.body and "Hay algo esperándote" in mail.body


def test_an_arabic_card_reads_right_to_left_in_its_page_and_its_pdf():
    sheet = worksheets_in("ar")["my-anger-plan"]
    answers = {
        **SAFE,
        "calm_action": "walk",
        "back_how": "in_minutes",
        "back_minutes": "30",
        "not_ready": "say_so",
    }
    day = dt.date(2026, 11, 26)
    card = Card(
        sheet.takeaway.title,  # type: ignore[union-attr]
        "Sam",
        day,
        tuple(sheet.takeaway.lines(answers)),  # type: ignore[union-attr]
        neutral_title="ملاحظات",
        language="ar",
        date_said=words_for("ar").date(day),
    )
    assert card.title == "خطتي للتعامل مع الغضب" and card.filename("pdf") == "card-2026-11-26.pdf"
    assert 'lang="ar" dir="rtl"' in card_html(card) and '<html lang="ar" dir="rtl">' in printable_page(card)
    reader = PdfReader(io.BytesIO(card_pdf(card)))
    assert len(reader.pages) == 1
    assert "سأعود بعد 30 دقيقة" in card.lines[3]
    extracted = reader.pages[0].extract_text()
    assert "Sam" in extracted and "2026" in extracted  # shaped Arabic is glyphs, the rest stays text


@pytest.mark.parametrize(("language", "direction", "said"), [("es", "ltr", "Abrir"), ("ar", "rtl", "فتح")])
def test_the_servers_pages_are_written_in_the_readers_language(language, direction, said):
    html = pages.render(
        "open",
        pages.Look("Notes", "https://www.example.org/"),
        "/",
        words_for(language),
        action="/l",
        xsrf="t",
    )
    assert html.startswith(f'<!DOCTYPE html>\n<html lang="{language}" dir="{direction}">')
    assert f'<button type="submit">{said}</button>' in html
    assert "Salida rápida" in html if language == "es" else "خروج سريع" in html
