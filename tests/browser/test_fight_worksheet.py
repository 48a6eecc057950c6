"""A client completes "Fight or make it right" in a real browser, against a real Voila server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, answer_the_safety_step, follow_link, open_page, screenshot

pytestmark = pytest.mark.browser

WORKSHEET = "fight-or-make-it-right"
HOSTILE_NOTE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" 😊'
LOAD_TIMEOUT_MS = 90_000
CONTACT_HOW = "Text only, before 5 pm"


def open_link(page: Page, server: Server, code: str) -> list[str]:
    """Open the client's link; returns the list that collects any JavaScript dialogs (none expected)."""
    return open_page(page, server.link(WORKSHEET, code), LOAD_TIMEOUT_MS)


def expect_step(page: Page, number: int, of: int = 6) -> None:
    expect(page.get_by_text(f"Step {number} of {of}", exact=True)).to_be_visible()


def next_step(page: Page, number: int, of: int = 6) -> None:
    page.get_by_role("button", name="Next").click()
    expect_step(page, number, of)


def answer_the_approach_by_keyboard(page: Page, then: tuple[int, int] = (4, 6)) -> None:
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
    expect_step(page, *then)


def answer_the_self_check(page: Page, yes_at: int | None) -> None:
    yes_no_groups = page.locator(".ck-yesno")
    expect(yes_no_groups).to_have_count(5)
    for index in range(5):
        yes_no_groups.nth(index).get_by_label("Yes" if index == yes_at else "No", exact=True).check()


def question(page: Page, text: str):  # type: ignore[no-untyped-def]
    return page.locator(".ck-single").filter(has_text=text)


def type_the_code(page: Page, code: str) -> None:
    page.get_by_label("Your code").fill(code)
    page.get_by_role("button", name="Show my answers").click()


ORDINARY_ADVICE = [
    "refusing to take part",
    "both of you lose",
    "relationship help",
    "Next: your anger plan",
    "Next: when a fight comes your way",
]


def test_on_the_receiving_end_and_afraid_safety_comes_first_and_nothing_else_is_advised(
    server: Server, phone: Page
) -> None:
    store = server.store()
    client = store.add_client("Robin Example")
    dialogs = open_link(phone, server, client.code)
    expect(phone.get_by_text("Hello Robin.")).to_be_visible()
    expect(phone.get_by_text("A private window keeps this page out of the browser's history")).to_be_visible()
    expect_step(phone, 1)
    screenshot(phone, "fight-step-1-phone")

    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_text("Please choose one of the options.").first).to_be_visible()
    expect_step(phone, 1)

    # Safety first: a "yes" brings help at once; everyone says how it is safe to get in touch.
    contact = question(phone, "Is it safe for your coach to get in touch")
    expect(contact).to_be_visible()
    question(phone, "ever hurt you or made you afraid").get_by_label("Yes", exact=True).check()
    expect(phone.get_by_text("what happened is not your fault")).to_be_visible()
    expect(phone.get_by_text("domestic abuse helpline").first).to_be_visible()
    question(phone, "hurt or frightened a partner").get_by_label("No", exact=True).check()
    contact.get_by_label("Yes, but only in some ways, or at some times").check()
    phone.get_by_label("How and when is it safe?").fill(CONTACT_HOW)
    screenshot(phone, "fight-safety-yes-phone")
    next_step(phone, 2, 4)

    # On the receiving end, and afraid: never asked how they look for a fight.
    phone.get_by_label("I'm usually on the receiving end").check()
    expect_step(phone, 2, 4)
    next_step(phone, 3, 4)
    answer_the_approach_by_keyboard(phone, then=(4, 4))

    # Half-way: reload. Everything so far was saved; the safety answer is not shown again.
    phone.reload()
    phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(phone.get_by_text("Welcome back, Robin.")).to_be_visible()
    phone.get_by_role("button", name="Continue where I left off").click()
    expect_step(phone, 4, 4)
    phone.get_by_role("button", name="Back").click()
    expect_step(phone, 3, 4)
    expect(phone.get_by_label("I sidestep a fight")).to_be_checked()
    next_step(phone, 4, 4)

    phone.get_by_label("About once a week").check()
    phone.get_by_label("If you like: what happened in a recent fight?").fill(HOSTILE_NOTE)
    phone.get_by_role("button", name="Finish").click()

    # The page was reopened, so its private answers wait for the client's code.
    expect(phone.get_by_text("Some of your answers are private")).to_be_visible()
    expect(phone.get_by_text("Your safety comes first")).to_have_count(0)
    type_the_code(phone, client.code.lower())

    expect(phone.get_by_text("Here is what you shared")).to_be_visible()
    cards = phone.locator(".ck-card")
    expect(cards.first).to_contain_text("Your safety comes first")
    expect(cards.first).to_contain_text("not your fault")
    expect(phone.get_by_text("Your coach can see what you said about how and when")).to_be_visible()
    expect(phone.locator(".ck-card").get_by_text(CONTACT_HOW)).to_have_count(0)  # not read back
    expect(phone.get_by_text("When you feel unsafe, getting away is the right thing to do.")).to_have_count(0)
    expect(phone.get_by_text("You said you usually sidestep a fight.")).to_be_visible()
    summary = phone.locator(".ck-app").inner_text()
    for advice in ORDINARY_ADVICE:
        assert advice not in summary, advice
    expect(phone.get_by_text(HOSTILE_NOTE)).to_be_visible()  # shown as text, not as markup
    screenshot(phone, "fight-summary-phone")
    assert dialogs == []

    [response] = store.find_responses(client.id, WORKSHEET)
    assert response.status == "completed"
    assert response.worksheet_version == 3
    assert store.get_answers(response.id) == {
        "been_hurt": "yes",
        "hurt_partner": "no",
        "safe_contact": "some",
        "contact_how": CONTACT_HOW,
        "role": "receiver",
        "approach": "sidestep",
        "frequency": "weekly",
        "recent_fight": HOSTILE_NOTE,
    }
    assert store.find_flags(response.id) == {"hurt_by_someone", "frequent_fighting"}


def walk_calmly_to_the_last_step(page: Page) -> None:
    """Steps 1 to 5 as a client who feels safe, meets fights both ways and says no to the self-check."""
    answer_the_safety_step(page)
    next_step(page, 2)
    page.get_by_label("Both, it depends").check()
    next_step(page, 3)
    page.get_by_label("I expect a fight").check()
    next_step(page, 4)
    page.get_by_label("I'm not sure yet").check()
    next_step(page, 5)
    answer_the_self_check(page, yes_at=None)
    next_step(page, 6)


def test_desktop_layout_and_doing_it_again(server: Server, desktop: Page) -> None:
    store = server.store()
    client = store.add_client("Casey")
    open_link(desktop, server, client.code)
    expect_step(desktop, 1)
    screenshot(desktop, "fight-step-1-desktop")
    walk_calmly_to_the_last_step(desktop)
    desktop.get_by_label("Rarely, a few times a year").check()
    desktop.get_by_role("button", name="Finish").click()
    expect(desktop.get_by_text("None of the five sounded like you.")).to_be_visible()
    expect(desktop.get_by_text("Next: your anger plan")).to_be_visible()
    expect(desktop.get_by_role("button", name="Your anger plan")).to_be_visible()  # opens in place
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

    # The server answers a link it does not know, or an old link with an unknown code, itself, with the
    # page that asks for a code.
    for url in (f"{server.base_url}/link/{'Z' * 22}", f"{server.link(WORKSHEET, other.code)}x"):
        follow_link(desktop, url)
        expect(desktop.get_by_text("Please type the code your coach gave you.")).to_be_visible()
        page_text = desktop.locator("body").inner_text()
        assert "Jordan" not in page_text
        assert "Step" not in page_text
    desktop.goto(f"{server.base_url}/voila/render/worksheet.ipynb?sheet={WORKSHEET}&client=ZZZZ-ZZZZ-ZZZZ")
    expect(desktop.get_by_text("Please type the code your coach gave you.")).to_be_visible()
    assert "Jordan" not in desktop.locator("body").inner_text()

    desktop.get_by_label("Your code").fill(other.code.lower())
    desktop.get_by_role("button", name="Continue").click()
    desktop.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(desktop.get_by_text("Hello Jordan.")).to_be_visible()  # their own page
    desktop.get_by_role("button", name="Fight or make it right? (not finished yet)").click()
    expect(desktop.get_by_text("Welcome back, Jordan.")).to_be_visible()
