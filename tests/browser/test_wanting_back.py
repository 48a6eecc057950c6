"""A client works through "Wanting them back" over two sittings, in a real browser against a real server."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Server, open_page, screenshot

pytestmark = pytest.mark.browser

WORKSHEET = "wanting-them-back"
LOAD_TIMEOUT_MS = 90_000
SAVE_TIMEOUT_S = 20
WHY_NOW = "It came out of nowhere, the week after our anniversary."
MISSING = 'I keep rereading what they said: <b>bold</b> & "quotes" 💔\nand then I start again.'
WHAT_I_WANT = "To sleep through the night 🌙"
FRESH_START_QUESTION = "Would you like a fresh start?"


def open_link(page: Page, server: Server, code: str) -> list[str]:
    """Open the client's link; returns the list that collects any JavaScript dialogs (none expected)."""
    return open_page(page, server.link(WORKSHEET, code), LOAD_TIMEOUT_MS)


def expect_step(page: Page, number: int) -> None:
    expect(page.get_by_text(f"Step {number} of 7", exact=True)).to_be_visible()


def next_step(page: Page, number: int) -> None:
    page.get_by_role("button", name="Next").click()
    expect_step(page, number)


def choice(page: Page, question: str) -> Locator:
    """The radio group asking ``question`` (several groups on a page share "Yes" and "No")."""
    return page.locator(".ck-single").filter(has_text=question)


def scroll_to_top(page: Page) -> None:
    """Scroll Voila's container back to the top: the wizard keeps the scroll of the step before."""
    page.evaluate("() => { for (const el of document.querySelectorAll('*')) el.scrollTop = 0; }")


def wait_until_saved(server: Server, client_id: int, expected: dict) -> None:
    """Wait for the wizard's autosave (it runs a moment after the last keystroke) to reach the store."""
    store = server.store()
    deadline = time.monotonic() + SAVE_TIMEOUT_S
    answers: dict = {}
    while time.monotonic() < deadline:
        draft = store.find_draft(client_id, WORKSHEET)
        answers = store.get_answers(draft.id) if draft else {}
        if expected.items() <= answers.items():
            return
        time.sleep(0.2)
    pytest.fail(f"the autosave never arrived: stored {answers!r}, waiting for {expected!r}")


WELLBEING = {"hopeless": "not_at_all", "sleep": "worse", "self_harm": "no", "safe_contact": "any"}


def answer_wellbeing(page: Page) -> None:
    """Step 2, asked of everyone: how they are doing."""
    choice(page, "how often have you felt hopeless").get_by_label("Not at all").check()
    choice(page, "How have you been sleeping?").get_by_label("Worse than usual").check()
    choice(page, "thoughts of harming yourself").get_by_label("No", exact=True).check()
    choice(page, "Is it safe for your coach").get_by_label("Yes, any way is fine").check()


def answer_treatment(page: Page) -> None:
    """Step 6, asked of everyone: how the partner treated them."""
    choice(page, "Did they ever control you").get_by_label("No", exact=True).check()


def first_sitting(page: Page, server: Server, code: str) -> list[str]:
    """Steps 1 and 2, and two of the three questions on step 3, then the client stops half-way."""
    dialogs = open_link(page, server, code)
    expect(page.get_by_text("Hello Sam.")).to_be_visible()
    expect_step(page, 1)
    expect(page.get_by_text("You can stop at any time")).to_be_visible()
    screenshot(page, "wanting-back-step-1-phone")

    page.get_by_label("We were married, or long-term partners").check()
    page.get_by_label("Our children").check()
    page.get_by_label("The future I pictured").check()
    next_step(page, 2)
    answer_wellbeing(page)
    next_step(page, 3)

    expect(page.get_by_text("Any of them can be skipped.")).to_be_visible()
    page.get_by_label("Why now?").fill(WHY_NOW)
    page.get_by_label("What was I missing?").fill(MISSING)
    return dialogs


def second_sitting(page: Page, server: Server, code: str) -> list[str]:
    """Back from the same link: continue, skip some questions, and finish."""
    dialogs = open_link(page, server, code)
    expect(page.get_by_text("Welcome back, Sam.")).to_be_visible()
    expect(page.get_by_text("You were on step 3 of 7.")).to_be_visible()
    page.get_by_role("button", name="Continue where I left off").click()
    expect_step(page, 3)
    expect(page.get_by_label("Why now?")).to_have_value(WHY_NOW)
    expect(page.get_by_label("Why at all?")).to_have_value("")
    expect(page.get_by_label("What was I missing?")).to_have_value(MISSING)
    next_step(page, 4)

    page.get_by_label("What do I want?").fill(WHAT_I_WANT)
    next_step(page, 5)

    page.get_by_label("I think it is my fault that they behaved badly.").check()
    page.get_by_label("I believe I will be alone forever if they leave me.").check()
    page.get_by_label("I am afraid to be alone.").check()
    next_step(page, 6)
    answer_treatment(page)
    next_step(page, 7)

    fresh_start = page.get_by_text(FRESH_START_QUESTION)
    expect(fresh_start).to_be_hidden()
    choice(page, "Has your partner come back").get_by_label("Yes, all three").check()
    expect(fresh_start).to_be_visible()
    expect(page.get_by_text("There is no right answer.")).to_be_visible()
    choice(page, FRESH_START_QUESTION).get_by_label("Not yet").check()
    page.get_by_role("button", name="Finish").click()
    # Reopened, the page keeps the wellbeing answers private until the client types their code.
    expect(page.get_by_text("Some of your answers are private")).to_be_visible()
    page.get_by_label("Your code").fill(code)
    page.get_by_role("button", name="Show my answers").click()
    return dialogs


def test_a_client_reflects_over_two_sittings_and_everything_is_stored(
    server: Server, browser, phone: Page
) -> None:
    store = server.store()
    client = store.add_client("Sam Example")

    first = browser.new_context(viewport=phone.viewport_size, device_scale_factor=2)
    try:
        dialogs = first_sitting(first.new_page(), server, client.code)
        wait_until_saved(server, client.id, {"why_now": WHY_NOW, "what_was_i_missing": MISSING})
    finally:
        first.close()  # the client closes the page half-way through
    dialogs += second_sitting(phone, server, client.code)

    expect(phone.get_by_text("Here is what you shared")).to_be_visible()
    expect(phone.get_by_text("You recognized 3 of the eight.")).to_be_visible()
    expect(phone.get_by_text('You said "not yet" for now.')).to_be_visible()
    expect(phone.get_by_text("With children or money involved")).to_be_visible()
    expect(phone.get_by_text("You wrote about 3 of the seven questions.")).to_be_visible()
    expect(phone.get_by_text("When it was a short relationship")).to_have_count(0)

    answers = phone.locator(".ck-answers")
    expect(answers.get_by_text("We were married, or long-term partners")).to_be_visible()
    touches = answers.locator("dd").filter(has_text="Our children")
    assert touches.inner_text() == "Our children\nThe future I pictured"  # one per line
    expect(answers.get_by_text(WHY_NOW)).to_be_visible()
    missing = answers.locator("dd").filter(has_text="<b>bold</b>")
    expect(missing).to_have_count(1)
    assert missing.inner_text() == MISSING  # the client's text, literally, line break kept
    expect(answers.locator("b")).to_have_count(0)  # and never as markup
    expect(answers.get_by_text(WHAT_I_WANT)).to_be_visible()
    expect(answers.get_by_text("Not yet", exact=True)).to_be_visible()
    expect(answers.get_by_text("Skipped")).to_have_count(8)
    expect(phone.get_by_text("Look after your sleep")).to_be_visible()
    expect(phone.get_by_text("You matter")).to_have_count(0)
    scroll_to_top(phone)
    screenshot(phone, "wanting-back-summary-phone")
    assert dialogs == []

    [response] = store.find_responses(client.id, WORKSHEET)
    assert response.status == "completed"
    assert response.worksheet_version == 3
    assert response.completed_at is not None
    assert store.get_answers(response.id) == {
        "relationship_length": "long_term",
        "also_touches": ["children", "future"],
        **WELLBEING,
        "why_now": WHY_NOW,
        "what_was_i_missing": MISSING,
        "what_do_i_want": WHAT_I_WANT,
        "beliefs": ["my_fault", "alone_forever", "afraid_alone"],
        "treated_poorly": "no",
        "came_back": "yes",
        "fresh_start": "not_yet",
    }
    assert store.find_flags(response.id) == set()


def test_a_short_relationship_on_desktop_never_sees_the_fresh_start(server: Server, desktop: Page) -> None:
    store = server.store()
    client = store.add_client("Alex")
    dialogs = open_link(desktop, server, client.code)
    expect_step(desktop, 1)
    desktop.get_by_label("We were dating, for a year or less").check()
    next_step(desktop, 2)
    answer_wellbeing(desktop)
    next_step(desktop, 3)
    next_step(desktop, 4)  # every question skipped
    next_step(desktop, 5)
    next_step(desktop, 6)  # no belief ticked
    answer_treatment(desktop)
    next_step(desktop, 7)

    choice(desktop, "Has your partner come back").get_by_label("Some of that, but not all").check()
    expect(desktop.get_by_text("what is still missing, and what you want now")).to_be_visible()
    expect(desktop.get_by_text(FRESH_START_QUESTION)).to_be_hidden()
    choice(desktop, "Has your partner come back").get_by_label("No", exact=True).check()
    expect(desktop.get_by_text("what is still missing, and what you want now")).to_be_hidden()
    expect(desktop.get_by_text("you don't have to face it alone")).to_be_visible()
    expect(desktop.get_by_text(FRESH_START_QUESTION)).to_be_hidden()
    desktop.get_by_role("button", name="Finish").click()

    expect(desktop.get_by_text("When it was a short relationship")).to_be_visible()
    expect(desktop.get_by_text("You didn't tick any of the eight.")).to_be_visible()
    expect(desktop.get_by_text("Bring whichever of the seven questions")).to_be_visible()
    expect(desktop.get_by_text(FRESH_START_QUESTION)).to_have_count(0)
    expect(desktop.get_by_text('You said "')).to_have_count(0)
    scroll_to_top(desktop)
    screenshot(desktop, "wanting-back-summary-desktop")
    assert dialogs == []

    [response] = store.find_responses(client.id, WORKSHEET)
    assert response.status == "completed"
    assert response.worksheet_version == 3
    assert store.get_answers(response.id) == {
        "relationship_length": "dating_year_or_less",
        **WELLBEING,
        "treated_poorly": "no",
        "came_back": "no",
    }
