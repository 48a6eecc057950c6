"""The client's own page with homework: what the coach assigned first, named only once the code is typed
when its worksheet asks anything private; a calendar file; reminders behind the code and the safe-contact
answer."""

from __future__ import annotations

import base64
import datetime as dt
import re
from html import escape

import ipywidgets as w
import pytest

from coachkit.attempt import Attempt
from coachkit.exercises import get_worksheet
from coachkit.homework.assigning import assign_programme, assign_worksheet
from coachkit.ui.client import ClientApp
from coachkit.ui.history import HistoryPage
from coachkit.ui.homework import BAD_EMAIL, HEADING, REMINDERS
from coachkit.web.directory import Directory

FIGHT = get_worksheet("fight-or-make-it-right")
NOW = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)  # a Monday


@pytest.fixture
def client(store):
    store.now = lambda: NOW
    return store.add_client("Robin Example")


def widgets(widget: w.Widget, kind: type) -> list:
    found = [widget] if isinstance(widget, kind) else []
    for child in getattr(widget, "children", ()):
        found += widgets(child, kind)
    return found


def text_of(page: HistoryPage) -> str:
    return " ".join(
        [h.value for h in widgets(page.view, w.HTML)] + [b.description for b in widgets(page.view, w.Button)]
    )


def labels(page: HistoryPage) -> list[str]:
    return [b.description for b in widgets(page.view, w.Button) if "ck-link-button" in b._dom_classes]


def answer_safety(store, client, safe_contact: str) -> None:
    attempt = Attempt.start(store, FIGHT, client)
    attempt.save_step(
        0, {"been_hurt": "no", "hurt_partner": "no", "safe_contact": safe_contact}, next_index=1
    )


def type_code(page: HistoryPage, code: str) -> None:
    check = next(c for c in page.screen.children if "ck-identity" in c._dom_classes)
    widgets(check, w.Text)[0].value = code
    next(b for b in widgets(check, w.Button) if b.description == "Show my answers").click()


def test_assigned_homework_comes_first_and_is_named_only_after_the_code(store, client):
    assign_programme(store, client, "after-a-fight", by="ana, test")
    assign_worksheet(
        store,
        client,
        "anger-plan-practice",
        by="ana, test",
        due_on=dt.date(2026, 3, 27),
        note="After the next argument",
    )
    page = HistoryPage(store, client, navigate=lambda sheet: None)
    assert labels(page)[:3] == [
        "Worksheet 1 from your coach, due Wednesday",
        "Worksheet 2 from your coach, due Friday",
        "Worksheet 3 from your coach, from Thursday, due Sunday",
    ]
    shown = text_of(page)
    for secret in ("Fight or make it right", "anger", "After the next argument"):
        assert secret not in shown
    assert page.state.startswith("4 assigned, ")
    type_code(page, client.code)
    assert labels(page)[:2] == [
        "Fight or make it right?, due Wednesday",
        "How did my anger plan go?, due Friday",
    ]
    assert "After the next argument" in text_of(page)
    html = "".join(h.value for h in widgets(page.view, w.HTML))
    assert html.index(HEADING) < (html.index("Finished") if "Finished" in html else len(html))


def test_a_button_opens_the_worksheet_and_the_calendar_file_is_neutral(store, client):
    store.set_setting("page_title", "Notes")
    assign_worksheet(store, client, FIGHT.id, by="ana, test", due_on=dt.date(2026, 3, 27))
    session, _ = store.start_session(client.id)
    app = ClientApp(store, session, client)
    html = "".join(h.value for h in widgets(app.view, w.HTML))
    link = re.search(r'href="data:text/calendar;charset=utf-8;base64,([^"]+)"', html).group(1)
    ics = base64.b64decode(link).decode()
    assert "SUMMARY:Notes" in ics and "DTSTART;VALUE=DATE:20260327" in ics
    assert "fight" not in ics.lower() and "Robin" not in ics
    next(b for b in widgets(app.view, w.Button) if b.description.endswith("due Friday")).click()
    assert app.current.worksheet.id == FIGHT.id


def test_done_homework_leaves_the_list_and_overdue_reads_kindly(store, client):
    assign_worksheet(store, client, FIGHT.id, by="ana, test", due_on=dt.date(2026, 3, 24))
    assign_worksheet(store, client, "anger-plan-practice", by="ana, test", due_on=dt.date(2026, 3, 24))
    Attempt.start(store, get_worksheet("anger-plan-practice"), client).complete({}, 0)
    store.now = lambda: NOW + dt.timedelta(days=3)
    page = HistoryPage(store, client, revealed=True, navigate=lambda sheet: None)
    assert [label for label in labels(page) if "due" in label] == ["Fight or make it right?, was due Tuesday"]


def test_without_homework_every_worksheet_is_offered_as_before(store, client):
    assert FIGHT.title in labels(HistoryPage(store, client, navigate=lambda sheet: None))


def test_reminders_wait_for_the_code_and_a_safe_contact_answer_that_allows_them(store, client):
    answer_safety(store, client, "wait")
    assert REMINDERS not in text_of(HistoryPage(store, client, revealed=True))
    answer_safety(store, client, "some")
    page = HistoryPage(store, client, time_zone="Europe/London")
    assert REMINDERS not in text_of(page)
    type_code(page, client.code)
    assert REMINDERS in text_of(page) and "only some ways or times are safe" in text_of(page)
    panel = widgets(page.view, w.Text)
    email = next(box for box in panel if box.description == "Email")
    email.value = "not an address"
    next(b for b in widgets(page.view, w.Button) if b.description == "Send me reminders").click()
    assert escape(BAD_EMAIL) in text_of(page) and not store.get_contact(client.id).reminders_on
    email = next(box for box in widgets(page.view, w.Text) if box.description == "Email")
    email.value = "robin@example.org"
    next(b for b in widgets(page.view, w.Button) if b.description == "Send me reminders").click()
    contact = store.get_contact(client.id)
    assert (contact.email, contact.remind_hour, contact.time_zone, contact.reminders_on) == (
        "robin@example.org",
        18,
        "Europe/London",
        True,
    )
    assert "Notes go to robin@example.org at 18:00 (Europe/London)" in text_of(page)
    next(b for b in widgets(page.view, w.Button) if b.description == "Stop reminders").click()
    assert not store.get_contact(client.id).reminders_on


def test_the_browsers_time_zone_is_kept_and_a_made_up_one_ignored(store, client):
    directory = Directory(store.url)
    directory._store = store
    directory._note_time_zone(client.id, "America/New_York")
    assert store.get_contact(client.id).time_zone == "America/New_York"
    directory._note_time_zone(client.id, "Mars/Olympus_Mons")
    assert store.get_contact(client.id).time_zone == "America/New_York"
    session, _ = store.start_session(client.id)
    assert ClientApp(store, session, client).time_zone == "America/New_York"
