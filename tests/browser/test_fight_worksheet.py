"""A client completes "Fight or make it right" in a real browser, against a real Voila server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, open_page, screenshot

pytestmark = pytest.mark.browser

WORKSHEET = "fight-or-make-it-right"
HOSTILE_NOTE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" 😊'
LOAD_TIMEOUT_MS = 90_000


def open_link(page: Page, server: Server, code: str) -> list[str]:
    """Open the client's link; returns the list that collects any JavaScript dialogs (none expected)."""
    return open_page(page, server.link(WORKSHEET, code), LOAD_TIMEOUT_MS)


def expect_step(page: Page, number: int) -> None:
    expect(page.get_by_text(f"Step {number} of 6", exact=True)).to_be_visible()


def next_step(page: Page, number: int) -> None:
    page.get_by_role("button", name="Next").click()
    expect_step(page, number)


def answer_first_step_by_keyboard(page: Page) -> None:
    """Tab to the first option, pick with the arrow keys, Tab to Next and press Enter."""
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.type === 'radio'"):
            break
    else:
        pytest.fail("the first option cannot be reached with the Tab key")
    page.keyboard.press("ArrowDown")  # from "I expect a fight" to "I look for a fight"
    page.keyboard.press("ArrowDown")  # "I run from a fight"
    page.keyboard.press("ArrowDown")  # "I sidestep a fight"
    expect(page.get_by_label("I sidestep a fight")).to_be_checked()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.textContent?.trim() === 'Next'"):
            break
    else:
        pytest.fail("the Next button cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    expect_step(page, 2)


def answer_steps_two_and_three(page: Page) -> None:
    page.get_by_label("Trying to make things right").check()
    next_step(page, 3)
    yes_no_groups = page.locator(".ck-yesno")
    expect(yes_no_groups).to_have_count(5)
    for index in range(5):
        yes_no_groups.nth(index).get_by_label("Yes" if index == 1 else "No", exact=True).check()
    next_step(page, 4)


def test_client_completes_resumes_and_everything_is_stored(server: Server, phone: Page) -> None:
    store = server.store()
    client = store.add_client("Robin Example")
    dialogs = open_link(phone, server, client.code)
    expect(phone.get_by_text("Hello Robin.")).to_be_visible()
    expect_step(phone, 1)
    screenshot(phone, "fight-step-1-phone")

    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_text("Please choose one of the options.")).to_be_visible()
    expect_step(phone, 1)

    answer_first_step_by_keyboard(phone)
    answer_steps_two_and_three(phone)

    # Half-way: reload the page. Everything up to step 3 was saved when moving on.
    phone.reload()
    phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(phone.get_by_text("Welcome back, Robin.")).to_be_visible()
    phone.get_by_role("button", name="Continue where I left off").click()
    expect_step(phone, 4)
    phone.get_by_role("button", name="Back").click()
    expect_step(phone, 3)
    expect(phone.locator(".ck-yesno").nth(1).get_by_label("Yes", exact=True)).to_be_checked()
    next_step(phone, 4)

    phone.get_by_label("I'm usually on the receiving end").check()
    next_step(phone, 5)
    phone.get_by_label("About once a week").check()
    phone.get_by_label("If you like: what happened in a recent fight?").fill(HOSTILE_NOTE)
    next_step(phone, 6)
    phone.get_by_label("Yes", exact=True).check()
    expect(phone.get_by_text("You deserve to be safe.").first).to_be_visible()
    phone.get_by_role("button", name="Finish").click()

    expect(phone.get_by_text("Here is what you shared")).to_be_visible()
    expect(phone.get_by_text("Your safety comes first")).to_be_visible()
    expect(phone.get_by_text("If you are on the receiving end")).to_be_visible()
    expect(phone.get_by_text(HOSTILE_NOTE)).to_be_visible()  # shown as text, not as markup
    screenshot(phone, "fight-summary-phone")
    assert dialogs == []

    [response] = store.find_responses(client.id, WORKSHEET)
    assert response.status == "completed"
    assert response.worksheet_version == 1
    assert store.get_answers(response.id) == {
        "approach": "sidestep",
        "fight_or_right": "right",
        "one_upmanship": False,
        "superior": True,
        "bigger_weapons": False,
        "push_to_lose_cool": False,
        "rise_then_wrong": False,
        "role": "receiver",
        "frequency": "weekly",
        "recent_fight": HOSTILE_NOTE,
        "felt_unsafe": "yes",
    }
    assert store.find_flags(response.id) == {"safety", "frequent_fighting"}


def test_desktop_layout_and_doing_it_again(server: Server, desktop: Page) -> None:
    store = server.store()
    client = store.add_client("Casey")
    open_link(desktop, server, client.code)
    expect_step(desktop, 1)
    screenshot(desktop, "fight-step-1-desktop")
    desktop.get_by_label("I expect a fight").check()
    next_step(desktop, 2)
    desktop.get_by_label("I'm not sure yet").check()
    next_step(desktop, 3)
    for index in range(5):
        desktop.locator(".ck-yesno").nth(index).get_by_label("No", exact=True).check()
    next_step(desktop, 4)
    desktop.get_by_label("Both, it depends").check()
    next_step(desktop, 5)
    desktop.get_by_label("Rarely, a few times a year").check()
    next_step(desktop, 6)
    desktop.get_by_label("No", exact=True).check()
    desktop.get_by_role("button", name="Finish").click()
    expect(desktop.get_by_text("None of the five sounded like you.")).to_be_visible()
    screenshot(desktop, "fight-summary-desktop")

    desktop.get_by_role("button", name="Start a fresh copy").click()
    expect_step(desktop, 1)
    responses = store.find_responses(client.id, WORKSHEET)
    assert [r.status for r in responses] == ["draft", "completed"]


def test_unknown_code_reveals_nothing(server: Server, desktop: Page) -> None:
    store = server.store()
    other = store.add_client("Jordan Private")
    other_response = store.start_response(other.id, WORKSHEET, 1)
    store.save_step(other_response.id, "meeting_a_fight", {"approach": "look"}, current_step=1)

    # The server's gate answers an unknown code itself, with the page that asks for a code.
    desktop.goto(server.link(WORKSHEET, "ZZZZ-ZZZZ-ZZZZ"))
    expect(desktop.get_by_text("Please type the code your coach gave you.")).to_be_visible()
    page_text = desktop.locator("body").inner_text()
    assert "Jordan" not in page_text
    assert "Step" not in page_text

    desktop.get_by_label("Your code").fill(other.code.lower())
    desktop.get_by_role("button", name="Continue").click()
    desktop.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(desktop.get_by_text("Welcome back, Jordan.")).to_be_visible()
