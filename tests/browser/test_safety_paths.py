"""Each worksheet down its riskiest paths, at phone width, in a real browser against a real server.

What a client in danger or in despair reads: help first, at once; nothing that sends them back into
danger or calls it mutual; the coach flagged. Screenshots of each path are saved (see ``screenshot``).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import CLIENT_PAGE, Server, open_page, screenshot

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
DESPAIR = "Honestly I can't see the point of going on without them."
NEVER_WHEN_UNSAFE = [
    "I'll be back",
    "talk about this then",
    "partner at a calm moment",
    "refusing to take part",
    "both of you lose",
    "Sidestep, and refuse to play",
    "relationship help",
]


def open_sheet(page: Page, server: Server, worksheet_id: str, code: str) -> None:
    assert open_page(page, server.link(worksheet_id, code), LOAD_TIMEOUT_MS) == []


def question(page: Page, text: str):  # type: ignore[no-untyped-def]
    return page.locator(".ck-single, .ck-yesno").filter(has_text=text)


def expect_step(page: Page, number: int, of: int) -> None:
    expect(page.get_by_text(f"Step {number} of {of}", exact=True)).to_be_visible()


def next_step(page: Page, number: int, of: int) -> None:
    page.get_by_role("button", name="Next").click()
    expect_step(page, number, of)


def page_text(page: Page) -> str:
    return page.locator(".ck-app").inner_text()


def assert_nothing_sends_them_back(page: Page) -> None:
    text = page_text(page)
    for words in NEVER_WHEN_UNSAFE:
        assert words not in text, words


def test_an_anger_plan_after_a_fight_turned_physical_is_a_plan_for_staying_safe(
    server: Server, phone: Page
) -> None:
    store = server.store()
    client = store.add_client("Kit Safety")
    open_sheet(phone, server, "my-anger-plan", client.code)
    question(phone, "Has a fight ever turned physical").get_by_label("Yes", exact=True).check()
    expect(phone.get_by_text("If someone hurt or frightened you, it is not your fault.")).to_be_visible()
    question(phone, "Has your own anger ever become physical").get_by_label("No", exact=True).check()
    question(phone, "Is it safe for your coach").get_by_label(
        "No, please wait for me to get in touch"
    ).check()
    expect_step(phone, 1, 6)
    next_step(phone, 2, 6)
    phone.get_by_label("My heart starts racing").check()
    next_step(phone, 3, 6)
    next_step(phone, 4, 6)
    phone.get_by_label("Go for a walk").check()
    next_step(phone, 5, 6)

    # Instead of "I'll be back at __ o'clock": staying safe.
    expect(phone.get_by_role("heading", name="4. Staying safe")).to_be_visible()
    question(phone, "somewhere you could go").get_by_label("No", exact=True).check()
    expect(phone.get_by_text("a friend, family, or a shelter")).to_be_visible()
    question(phone, "someone you could call").get_by_label("Yes", exact=True).check()
    screenshot(phone, "anger-plan-staying-safe-phone")
    next_step(phone, 6, 6)
    expect(phone.locator(".ck-preview p").last).to_have_text(
        "We can talk about this another time, when things are calm."
    )
    phone.get_by_role("button", name="Finish").click()

    expect(phone.locator(".ck-card").first).to_contain_text("Your safety comes first")
    expect(phone.get_by_text("Your plan is about staying safe")).to_be_visible()
    expect(phone.get_by_text("Your coach won't contact you about this.")).to_be_visible()
    card = phone.locator(".ck-takeaway").inner_text().lower()
    for word in ("safe", "shelter", "afraid", "physical"):
        assert word not in card
    assert_nothing_sends_them_back(phone)
    expect(phone.get_by_role("link", name="After a real argument: log how your plan went")).to_have_count(0)
    screenshot(phone, "anger-plan-safety-summary-phone")

    [response] = store.find_responses(client.id, "my-anger-plan")
    assert store.find_flags(response.id) == {"safety", "nowhere_safe"}


def test_a_practice_log_where_someone_got_hurt_puts_safety_first(server: Server, phone: Page) -> None:
    store = server.store()
    client = store.add_client("Lee Practice")
    open_sheet(phone, server, "anger-plan-practice", client.code)
    question(phone, "were you hurt, or afraid?").get_by_label("Yes", exact=True).check()
    expect(phone.get_by_text("If someone hurt or frightened you, it is not your fault.")).to_be_visible()
    question(phone, "did your anger become physical").get_by_label("No", exact=True).check()
    question(phone, "Is it safe for your coach").get_by_label("Yes, any way is fine").check()
    next_step(phone, 2, 2)
    expect(phone.get_by_text("Did I come back when I said I would?")).to_be_hidden()
    expect(phone.get_by_text("How did the talk go afterwards?")).to_be_hidden()
    question(phone, "Did I notice the anger starting?").get_by_label("Yes", exact=True).check()
    question(phone, "Did I say my four statements?").get_by_label("No", exact=True).check()
    question(phone, "During the break").get_by_label("It didn't come to a break").check()
    phone.get_by_role("button", name="Finish").click()

    expect(phone.locator(".ck-card").first).to_contain_text("Your safety comes first")
    expect(phone.get_by_text("nothing here asks you to talk it through with your partner")).to_be_visible()
    expect(phone.get_by_text("Your coach has been told, and will be in touch.")).to_be_visible()
    assert "That is the plan working" not in page_text(phone)
    screenshot(phone, "practice-log-safety-phone")
    [response] = store.find_responses(client.id, "anger-plan-practice")
    assert store.find_flags(response.id) == {"safety"}


def test_on_the_receiving_end_and_afraid_the_sidestep_steps_are_never_shown(
    server: Server, phone: Page
) -> None:
    store = server.store()
    client = store.add_client("Mo Receiving")
    open_sheet(phone, server, "on-the-receiving-end", client.code)
    expect_step(phone, 1, 6)
    question(phone, "Has a fight ever turned physical").get_by_label("Yes", exact=True).check()
    expect_step(phone, 1, 4)  # the steps about sidestepping are gone at once
    question(phone, "Is it safe for your coach").get_by_label("Yes, any way is fine").check()
    next_step(phone, 2, 4)
    phone.get_by_label("They push to see if I'll lose my cool").check()
    phone.get_by_label("I give in to make it stop").check()
    next_step(phone, 3, 4)
    expect(phone.get_by_role("heading", name="The second-guessing check")).to_be_visible()
    phone.get_by_label("I feel I'm walking on eggshells").check()
    next_step(phone, 4, 4)
    expect(phone.get_by_text("It is never your fault.")).to_be_visible()
    question(phone, "somewhere you could go").get_by_label("Yes", exact=True).check()
    question(phone, "someone you could call").get_by_label("Yes", exact=True).check()
    phone.get_by_role("button", name="Finish").click()

    expect(phone.locator(".ck-card").first).to_contain_text("Your safety comes first")
    expect(phone.get_by_text("No one deserves to be treated like that.")).to_be_visible()
    expect(
        phone.get_by_text("You said that when it happens, you usually give in to make it stop.")
    ).to_be_visible()
    assert "don't have to accept it" not in page_text(phone)
    assert_nothing_sends_them_back(phone)
    screenshot(phone, "receiving-end-safety-summary-phone")
    [response] = store.find_responses(client.id, "on-the-receiving-end")
    assert store.find_flags(response.id) == {"safety"}


def test_on_the_receiving_end_and_safe_the_article_s_sidestep_is_offered(server: Server, phone: Page) -> None:
    store = server.store()
    client = store.add_client("Ola Calm")
    open_sheet(phone, server, "on-the-receiving-end", client.code)
    question(phone, "Has a fight ever turned physical").get_by_label("No", exact=True).check()
    question(phone, "Is it safe for your coach").get_by_label("Yes, any way is fine").check()
    next_step(phone, 2, 6)
    phone.get_by_label("I fight back").check()
    next_step(phone, 3, 6)
    expect(phone.get_by_role("heading", name="Sidestep, and refuse to play")).to_be_visible()
    phone.get_by_label("A calm line you could say instead of taking the bait").fill(
        "Not now. Let's talk later."
    )
    screenshot(phone, "receiving-end-sidestep-phone")
    next_step(phone, 4, 6)
    next_step(phone, 5, 6)
    next_step(phone, 6, 6)
    question(phone, "somewhere you could go").get_by_label("Yes", exact=True).check()
    question(phone, "someone you could call").get_by_label("Yes", exact=True).check()
    phone.get_by_role("button", name="Finish").click()
    expect(phone.get_by_text("“Not now. Let's talk later.” Practise saying it out loud")).to_be_visible()


def test_rather_not_say_is_met_with_help_on_the_summary(server: Server, phone: Page) -> None:
    store = server.store()
    client = store.add_client("Pat Private")
    open_sheet(phone, server, "fight-or-make-it-right", client.code)
    question(phone, "Has a fight ever turned physical").get_by_label("I'd rather not say").check()
    expect(phone.get_by_text("That's okay. If you ever feel unsafe, help is there.")).to_be_visible()
    question(phone, "Is it safe for your coach").get_by_label("Yes, any way is fine").check()
    next_step(phone, 2, 6)
    phone.get_by_label("I'm usually on the receiving end").check()
    next_step(phone, 3, 6)
    phone.get_by_label("I run from a fight").check()
    next_step(phone, 4, 6)
    phone.get_by_label("I'm not sure yet").check()
    next_step(phone, 5, 6)
    for index in range(5):
        phone.locator(".ck-yesno").nth(index).get_by_label("No", exact=True).check()
    next_step(phone, 6, 6)
    phone.get_by_label("Almost every day").check()
    phone.get_by_role("button", name="Finish").click()

    expect(phone.locator(".ck-card").first).to_contain_text("If you ever feel unsafe")
    expect(phone.get_by_text("You don't have to carry this alone.")).to_be_visible()
    expect(phone.get_by_text("on your own if you prefer")).to_be_visible()
    expect(phone.locator(".ck-answers").get_by_text("I'd rather not say")).to_be_visible()
    assert "refusing to take part" not in page_text(phone)
    screenshot(phone, "fight-rather-not-say-phone")
    [response] = store.find_responses(client.id, "fight-or-make-it-right")
    assert store.find_flags(response.id) == {"safety_not_said", "frequent_fighting"}


def test_after_they_left_any_sign_of_risk_brings_crisis_help_at_once(server: Server, phone: Page) -> None:
    store = server.store()
    client = store.add_client("Quinn Wellbeing")
    open_sheet(phone, server, "wanting-them-back", client.code)
    phone.get_by_label("We were married, or long-term partners").check()
    next_step(phone, 2, 6)
    question(phone, "how often have you felt hopeless").get_by_label("Nearly every day").check()
    expect(
        phone.get_by_text("That sounds really hard, and you don't have to carry it alone.")
    ).to_be_visible()
    question(phone, "How have you been sleeping?").get_by_label("Hardly at all").check()
    question(phone, "thoughts of harming yourself").get_by_label("Yes", exact=True).check()
    expect(phone.get_by_text("You matter, and help is there right now")).to_be_visible()
    # The crisis help once on the page, in the notice of the answer just given, not three times over.
    expect(phone.locator(".ck-notice", has_text="crisis line")).to_have_count(1)
    expect(phone.locator(".ck-notice", has_text="You matter")).to_contain_text("crisis line")
    question(phone, "Is it safe for your coach").get_by_label("Yes, any way is fine").check()
    screenshot(phone, "wanting-back-wellbeing-phone")
    next_step(phone, 3, 6)

    phone.get_by_label("Why now?").fill(DESPAIR)
    expect(
        phone.get_by_text("If you are having thoughts like these, you don't have to face them alone.")
    ).to_be_visible()
    next_step(phone, 4, 6)
    next_step(phone, 5, 6)
    phone.get_by_label("Deep down, I feel I deserve to be treated poorly.").check()
    next_step(phone, 6, 6)
    question(phone, "Has your partner come back").get_by_label("No", exact=True).check()
    phone.get_by_role("button", name="Finish").click()

    first = phone.locator(".ck-card").first
    expect(first).to_contain_text("You matter")
    expect(first).to_contain_text("Your coach will be told")
    expect(phone.locator(".ck-card").filter(has_text="You matter")).to_have_count(1)
    expect(phone.get_by_text("The rest of your reflection is saved")).to_be_visible()
    expect(phone.get_by_text("Who they showed you they are")).to_have_count(0)  # not today
    screenshot(phone, "wanting-back-crisis-summary-phone")
    [response] = store.find_responses(client.id, "wanting-them-back")
    assert store.find_flags(response.id) == {"wellbeing", "words_of_despair", "deserves_poor_treatment"}


def test_the_client_reads_their_history_and_private_answers_need_their_code(
    server: Server, phone: Page
) -> None:
    store = server.store()
    client = store.add_client("Rae History")
    open_sheet(phone, server, "anger-plan-practice", client.code)
    question(phone, "were you hurt, or afraid?").get_by_label("No", exact=True).check()
    question(phone, "did your anger become physical").get_by_label("No", exact=True).check()
    question(phone, "Is it safe for your coach").get_by_label("Yes, any way is fine").check()
    next_step(phone, 2, 2)
    question(phone, "Did I notice the anger starting?").get_by_label("Yes", exact=True).check()
    question(phone, "Did I say my four statements?").get_by_label("Yes", exact=True).check()
    question(phone, "During the break").get_by_label("Yes", exact=True).check()
    question(phone, "Did I come back when I said I would?").get_by_label("Yes", exact=True).check()
    phone.locator(".ck-rating").get_by_label("4", exact=True).check()
    phone.get_by_role("button", name="Finish").click()
    phone.get_by_role("button", name="Everything you've done so far").click()  # opens in place
    expect(phone.get_by_role("heading", name="Your worksheets")).to_be_visible()
    assert phone.url == server.base_url + CLIENT_PAGE  # the address names no page and no client
    entry = phone.locator("details.ck-entry")
    expect(entry).to_have_count(1)
    entry.locator("summary").click()
    expect(entry).to_contain_text("This one has private answers.")
    expect(entry).not_to_contain_text("That is the plan working.")
    phone.get_by_label("Your code").fill(client.code)
    phone.get_by_role("button", name="Show my answers").click()
    entry = phone.locator("details.ck-entry")
    entry.locator("summary").click()
    expect(entry).to_contain_text("That is the plan working.")
    screenshot(phone, "history-phone")
