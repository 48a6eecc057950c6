"""A client builds, keeps, revises and practises their anger plan, in a real browser against a real server."""

from __future__ import annotations

import base64
import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from coachkit.exercises import get_worksheet
from tests.browser.conftest import CLIENT_PAGE, Server, follow_link, screenshot

pytestmark = pytest.mark.browser

PLAN = "my-anger-plan"
PRACTICE = "anger-plan-practice"
LOAD_TIMEOUT_MS = 90_000
SHEET = get_worksheet(PLAN)
NOT_DURING_A_BREAK = "During a break, please leave out driving, alcohol and drugs"
LONG_BREAK_NOTE = (
    "A long break is fine, as long as you come back when you said; coming back the same day often helps "
    "your partner trust the plan."
)
OWN_SIGNS = 'I say <b>"fine"</b> when it isn\'t'
CARE_WORDS = 'Our Sunday mornings & "us" time'
OWN_ACTION = "make a cup of tea in the garden"
PRACTICE_NOTE = "We sat on the steps afterwards & it was <i>okay</i>."
SAFE = {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "any"}
FIRST_ANSWERS = {
    **SAFE,
    "signs": ["hot", "interrupting", "other"],
    "own_signs": OWN_SIGNS,
    "care_words": CARE_WORDS,
    "calm_action": "own",
    "own_action": OWN_ACTION,
    "back_how": "at_time",
    "back_time": "18:30",
    "not_ready": "say_so",
    "share_plan": "yes",
}
REVISED_ANSWERS = {
    **{key: value for key, value in FIRST_ANSWERS.items() if key != "back_time"},
    "back_how": "in_minutes",
    "back_minutes": "45",
}


def open_link(page: Page, server: Server, worksheet_id: str, code: str) -> list[str]:
    """Open the client's link; returns the list that collects any JavaScript dialogs (none expected)."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    follow_link(page, server.link(worksheet_id, code), LOAD_TIMEOUT_MS)
    page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    return dialogs


def expect_step(page: Page, number: int, of: int = 6) -> None:
    expect(page.get_by_text(f"Step {number} of {of}", exact=True)).to_be_visible()


def next_step(page: Page, number: int) -> None:
    page.get_by_role("button", name="Next").click()
    expect_step(page, number)


def group(page: Page, css: str, question: str):  # type: ignore[no-untyped-def]
    """The radio group asking ``question`` (several groups on a page share "Yes" and "No")."""
    return page.locator(css).filter(has_text=question)


def expect_plan(where, answers: dict, numbered: bool = True) -> None:  # type: ignore[no-untyped-def]
    """The four statements, in order: numbered among the card's lines, or exactly the preview's lines."""
    sentences = SHEET.steps[-1].preview(answers)
    if numbered:
        numbered_lines = [f"{number}. {sentence}" for number, sentence in enumerate(sentences, 1)]
        expect(where).to_contain_text(numbered_lines)
    else:
        expect(where).to_have_text(sentences)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def answer_safety(page: Page) -> None:
    """The questions asked first, of everyone: no, no, and any way of getting in touch is fine."""
    expect_step(page, 1)
    for question in ("ever hurt you or made you afraid", "hurt or frightened a partner"):
        group(page, ".ck-single", question).get_by_label("No", exact=True).check()
    page.get_by_label("Yes, any way is fine").check()
    page.get_by_role("button", name="Next").click()


def come_back_in_the_plan(page: Page) -> None:
    """If not calm yet, say so; and yes, the plan can be talked through beforehand."""
    page.get_by_label("Say so, and agree a new time").check()
    group(page, ".ck-single", "Can you talk this plan through").get_by_label("Yes", exact=True).check()


def build_first_plan(page: Page) -> None:
    """Steps 1 to 5 as the client answers them the first time, ending on the preview."""
    answer_safety(page)
    expect_step(page, 2)
    page.get_by_label("My face or body gets hot").check()
    page.get_by_label("I start interrupting").check()
    page.get_by_label("Something else (say it below)").check()
    page.get_by_label("In your own words (optional)").fill(OWN_SIGNS)
    next_step(page, 3)

    page.get_by_label("If you like: what do you care about in this relationship?").fill(CARE_WORDS)
    next_step(page, 4)

    own_action = page.get_by_label("What will you do? (in a few words)")
    expect(own_action).to_be_hidden()
    page.get_by_label("Something of my own").check()
    expect(own_action).to_be_visible()
    own_action.fill("drive around the block")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text(NOT_DURING_A_BREAK)).to_be_visible()
    expect_step(page, 4)
    own_action.fill(OWN_ACTION)
    next_step(page, 5)

    time = page.get_by_label("I'll be back at")
    expect(time).to_be_hidden()
    page.get_by_label("At a time of day").check()
    expect(time).to_be_visible()
    time.fill("18:30")
    come_back_in_the_plan(page)
    next_step(page, 6)


def revise_come_back_time(page: Page) -> None:
    """From the prefilled revision: safety asked afresh, the rest kept; change only when to come back."""
    expect_step(page, 1)
    expect(page.get_by_label("No", exact=True).first).not_to_be_checked()  # safety is asked again
    answer_safety(page)
    expect_step(page, 2)
    expect(page.get_by_label("My face or body gets hot")).to_be_checked()
    expect(page.get_by_label("In your own words (optional)")).to_have_value(OWN_SIGNS)
    next_step(page, 3)
    next_step(page, 4)
    expect(page.get_by_label("Something of my own")).to_be_checked()
    expect(page.get_by_label("What will you do? (in a few words)")).to_have_value(OWN_ACTION)
    next_step(page, 5)
    expect(page.get_by_label("At a time of day")).to_be_checked()
    page.get_by_label("In a number of minutes").check()
    expect(page.get_by_label("I'll be back at")).to_be_hidden()
    page.get_by_label("45 minutes").check()
    expect(page.get_by_label("Say so, and agree a new time")).to_be_checked()
    group(page, ".ck-single", "Can you talk this plan through").get_by_label("Yes", exact=True).check()
    next_step(page, 6)
    expect_plan(page.locator(".ck-preview p"), REVISED_ANSWERS, numbered=False)


def log_practice(page: Page) -> None:
    expect(page.get_by_role("heading", name="How did my anger plan go?")).to_be_visible()
    group(page, ".ck-single", "were you hurt, or afraid?").get_by_label("No", exact=True).check()
    group(page, ".ck-single", "did your anger become physical").get_by_label("No", exact=True).check()
    page.get_by_label("Yes, any way is fine").check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Step 2 of 2", exact=True)).to_be_visible()
    group(page, ".ck-yesno", "Did I notice the anger starting?").get_by_label("Yes", exact=True).check()
    group(page, ".ck-yesno", "Did I say my four statements?").get_by_label("Yes", exact=True).check()
    group(page, ".ck-single", "During the break").get_by_label("Yes", exact=True).check()
    group(page, ".ck-single", "Did I come back when I said I would?").get_by_label("Yes", exact=True).check()
    page.locator(".ck-rating").get_by_label("4", exact=True).check()
    page.get_by_label("Anything to remember? (optional)").fill(PRACTICE_NOTE)
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_text("That is the plan working.")).to_be_visible()


def test_client_builds_keeps_revises_and_practises_their_plan(server: Server, phone: Page) -> None:
    store = server.store()
    client = store.add_client("Alex Rivera")
    dialogs = open_link(phone, server, PLAN, client.code)
    expect(phone.get_by_text("Hello Alex.")).to_be_visible()

    build_first_plan(phone)
    expect(phone.get_by_role("heading", name="Your plan, in your words")).to_be_visible()
    expect_plan(phone.locator(".ck-preview p"), FIRST_ANSWERS, numbered=False)
    screenshot(phone, "anger-plan-preview-phone")
    phone.get_by_role("button", name="Finish").click()

    # The card: their first name, the four statements, what they watch for; and ways to keep it.
    card = phone.locator(".ck-takeaway")
    expect(card).to_be_visible()
    expect(card.locator(".ck-byline")).to_contain_text("Alex · ")
    expect(card).not_to_contain_text("Rivera")
    expect_plan(card.locator("p"), FIRST_ANSWERS)
    expect(card).to_contain_text(OWN_SIGNS)  # the client's <b> shown as text
    expect(card).to_contain_text(CARE_WORDS)
    expect(phone.get_by_role("button", name="Print my card")).to_be_visible()
    screenshot(phone, "anger-plan-card-phone")

    with phone.expect_download() as downloading:
        phone.get_by_role("link", name="Download my card (PDF)").click()
    download = downloading.value
    assert re.fullmatch(r"notes-\d{4}-\d\d-\d\d\.pdf", download.suggested_filename)  # the page's title
    with open(download.path(), "rb") as pdf:
        text = pdf_text(pdf.read())
    assert "Alex ·" in text
    for number, sentence in enumerate(SHEET.steps[-1].preview(FIRST_ANSWERS), 1):
        assert f"{number}. {sentence}" in text
    assert OWN_SIGNS in text

    printable = phone.get_by_role("link", name="Download a printable page").get_attribute("href")
    assert printable is not None and printable.startswith("data:text/html;base64,")
    page_html = base64.b64decode(printable.split(",", 1)[1]).decode("utf-8")
    assert "&lt;b&gt;&quot;fine&quot;&lt;/b&gt;" in page_html
    assert "<b>" not in page_html

    # What next: buttons that open the page in place, so no address (and no history entry) names it.
    practice_button = phone.get_by_role("button", name="After a real argument: log how your plan went")
    expect(practice_button).to_have_class(re.compile(r"\bck-link-button\b"))
    hrefs = phone.locator(".ck-app a[href]").evaluate_all("(links) => links.map((a) => a.href)")
    assert not [href for href in hrefs if client.code in href or "sheet=" in href or PRACTICE in href]

    # Opened again: the latest version, and a way to revise it that keeps the first one as it was.
    open_link(phone, server, PLAN, client.code)
    expect(phone.get_by_text("Welcome back, Alex. Here is your latest version.")).to_be_visible()
    expect_plan(phone.locator(".ck-takeaway p"), FIRST_ANSWERS)
    phone.get_by_role("button", name="Revise my plan").click()
    revise_come_back_time(phone)
    phone.get_by_role("button", name="Finish").click()
    card = phone.locator(".ck-takeaway")
    expect(card).to_be_visible()
    expect_plan(card.locator("p"), REVISED_ANSWERS)

    revised, first = store.find_responses(client.id, PLAN)
    assert (first.status, revised.status) == ("completed", "completed")
    assert first.worksheet_version == revised.worksheet_version == SHEET.version
    assert store.get_answers(first.id) == FIRST_ANSWERS
    assert store.get_answers(revised.id) == REVISED_ANSWERS
    assert store.find_draft(client.id, PLAN) is None

    # After a real argument, the button on the card's page opens the practice log for the same client,
    # in place: the address stays the one neutral page.
    phone.get_by_role("button", name="After a real argument: log how your plan went").click()
    expect(phone.get_by_role("heading", name=get_worksheet(PRACTICE).title, level=1)).to_be_visible()
    assert phone.url == server.base_url + CLIENT_PAGE
    log_practice(phone)
    expect(phone.get_by_text(PRACTICE_NOTE)).to_be_visible()
    screenshot(phone, "practice-log-phone")

    [practice] = store.find_responses(client.id, PRACTICE)
    assert practice.status == "completed"
    assert store.get_answers(practice.id) == {
        "unsafe_this_time": "no",
        "physical_this_time": "no",
        "safe_contact": "any",
        "noticed": True,
        "kept_break": "yes",
        "said_statements": True,
        "came_back_on_time": "yes",
        "talk_went": 4,
        "note": PRACTICE_NOTE,
    }
    assert [r.worksheet_id for r in store.find_responses(client.id)].count(PLAN) == 2
    assert dialogs == []


def test_a_long_break_gets_a_gentle_note_and_can_still_be_chosen(server: Server, desktop: Page) -> None:
    store = server.store()
    client = store.add_client("Jordan")
    dialogs = open_link(desktop, server, PLAN, client.code)
    answer_safety(desktop)
    expect_step(desktop, 2)
    desktop.get_by_label("My heart starts racing").check()
    next_step(desktop, 3)
    next_step(desktop, 4)  # what they care about is optional
    desktop.get_by_label("Go for a walk").check()
    expect(desktop.get_by_label("What will you do? (in a few words)")).to_be_hidden()
    next_step(desktop, 5)
    come_back_in_the_plan(desktop)
    desktop.get_by_label("In a number of minutes").check()
    desktop.get_by_label("8 hours", exact=True).check()
    expect(desktop.get_by_text(LONG_BREAK_NOTE)).to_be_visible()
    desktop.get_by_label("2 hours").check()
    expect(desktop.get_by_text(LONG_BREAK_NOTE)).to_be_hidden()
    desktop.get_by_label("8 hours", exact=True).check()
    next_step(desktop, 6)
    answers = {
        **SAFE,
        "calm_action": "walk",
        "back_how": "in_minutes",
        "back_minutes": "480",
        "not_ready": "say_so",
        "share_plan": "yes",
    }
    expect_plan(desktop.locator(".ck-preview p"), answers, numbered=False)
    desktop.get_by_role("button", name="Finish").click()

    card = desktop.locator(".ck-takeaway")
    expect(card).to_be_visible()
    expect(card.locator(".ck-byline")).to_contain_text("Jordan · ")
    expect_plan(card.locator("p"), answers)
    expect(desktop.get_by_text("About the length of your break")).to_be_visible()
    expect(desktop.get_by_role("link", name="Download my card (PDF)")).to_be_visible()
    expect(desktop.get_by_role("button", name="Revise my plan")).to_be_visible()
    screenshot(desktop, "anger-plan-card-desktop")

    [response] = store.find_responses(client.id, PLAN)
    assert response.status == "completed"
    assert store.get_answers(response.id) == {"signs": ["heart"], **answers}
    assert dialogs == []
