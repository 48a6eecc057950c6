"""Each worksheet down its riskiest paths, at phone width, in a real browser against a real server.

The one who was hurt, the one who hurt, someone who is both, someone who chose not to say, someone in
crisis: what each reads. Help that fits them first, at once; nothing that sends the one who was hurt
back into danger or calls it mutual; never the victim's plan for the one who hurt; the coach flagged.
Screenshots of each path are saved (see ``screenshot``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from coachkit.alerts import ALERT_SUBJECT
from coachkit.settings import COACH_ALERTED
from coachkit.store import Client
from tests.browser.conftest import Server, follow_link, screenshot
from tests.browser.running import coachkit_server
from tests.smtp import smtp_server

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
DESPAIR = "Honestly I can't see the point of going on without them."
HURT = "Has a partner, or anyone close to you, ever hurt you"
HURTING = "Have you ever hurt or frightened a partner"
CONTACT = "Is it safe for your coach"
NEVER_WHEN_HURT = [
    "I'll be back",
    "talk about this then",
    "partner at a calm moment",
    "refusing to take part",
    "both of you lose",
    "Sidestep, and refuse to play",
    "relationship help",
]
VICTIMS_PLAN = ["not your fault", "keys, money, ID", "where you could go", "a shelter"]
"""The plan for the one who was hurt: never shown to the one who hurt."""


def open_sheet(page: Page, server: Server, worksheet_id: str, client: Client) -> None:
    """Open a new link to this worksheet, as the client does: press Open, wait for the worksheet."""
    key = server.store().add_sign_in_link(client.id, worksheet_id)
    page.goto(f"{server.base_url}/link/{key}")
    page.get_by_role("button", name="Open").click()
    page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)


def question(page: Page, text: str):  # type: ignore[no-untyped-def]
    return page.locator(".ck-single, .ck-yesno").filter(has_text=text)


def answer_safety(
    page: Page, hurt: str = "No", hurting: str = "No", contact: str = "Yes, any way is fine"
) -> None:
    question(page, HURT).get_by_label(hurt, exact=True).check()
    question(page, HURTING).get_by_label(hurting, exact=True).check()
    question(page, CONTACT).get_by_label(contact).check()


def expect_step(page: Page, number: int, of: int) -> None:
    expect(page.get_by_text(f"Step {number} of {of}", exact=True)).to_be_visible()


def next_step(page: Page, number: int, of: int) -> None:
    page.get_by_role("button", name="Next").click()
    expect_step(page, number, of)


def page_text(page: Page) -> str:
    return page.locator(".ck-app").first.inner_text()


def assert_absent(page: Page, phrases: list[str]) -> None:
    text = page_text(page)
    for words in phrases:
        assert words not in text, words


def flags_of(server: Server, client: Client, worksheet_id: str) -> set[str]:
    store = server.store()
    [response] = store.find_responses(client.id, worksheet_id)
    return store.find_flags(response.id)


def fight_steps_after_safety(page: Page, role: str, total: int) -> None:
    """From step 1 of "Fight or make it right?" to its Finish, as a calm client answers the rest."""
    next_step(page, 2, total)
    page.get_by_label(role).check()
    next_step(page, 3, total)
    page.get_by_label("I run from a fight").check()
    if total == 6:
        next_step(page, 4, total)
        page.get_by_label("Trying to make things right").check()
        next_step(page, 5, total)
        for index in range(5):
            page.locator(".ck-yesno").nth(index).get_by_label("No", exact=True).check()
    next_step(page, total, total)
    page.get_by_label("About once a month").check()
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_role("heading", name="Thank you. Here is what you shared")).to_be_visible()


# -- the two sides, asked apart ------------------------------------------------------------------


def test_the_one_who_hurt_a_partner_hears_it_is_violence_theirs_to_stop_and_that_help_exists(
    server: Server, phone: Page
) -> None:
    client = server.store().add_client("Pat Pushed")
    open_sheet(phone, server, "fight-or-make-it-right", client)
    answer_safety(phone, hurting="Yes")
    expect(phone.get_by_text("It takes courage, and it is where change starts.")).to_be_visible()
    expect(phone.locator(".ck-notice", has_text="behaviour change programmes")).to_have_count(1)
    assert_absent(phone, VICTIMS_PLAN)
    fight_steps_after_safety(phone, "I'm usually the one who starts it", 6)

    first = phone.locator(".ck-card").first
    expect(first).to_contain_text("Stopping it is yours to do")
    expect(first).to_contain_text("violence, not a way of arguing")
    expect(phone.get_by_text("Next: an anger plan, for you")).to_be_visible()
    expect(phone.get_by_role("button", name="Your anger plan")).to_be_visible()
    expect(phone.get_by_text("Stepping away before anyone could get hurt is right")).to_be_visible()
    assert_absent(phone, [*VICTIMS_PLAN, "When you feel unsafe", "You can stop a fight by refusing"])
    screenshot(phone, "fight-hurt-a-partner-phone")
    assert flags_of(server, client, "fight-or-make-it-right") == {"hurt_a_partner"}


def test_the_one_who_was_hurt_gets_safety_first_and_never_the_self_check_whatever_their_side(
    server: Server, phone: Page
) -> None:
    client = server.store().add_client("Ivy Hurt")
    open_sheet(phone, server, "fight-or-make-it-right", client)
    answer_safety(phone, hurt="Yes", contact="No, please wait for me to get in touch")
    expect(phone.get_by_text("what happened is not your fault")).to_be_visible()
    expect_step(phone, 1, 4)  # the instant answer and the self-check are gone at once
    fight_steps_after_safety(phone, "Both, it depends", 4)

    expect(phone.locator(".ck-card").first).to_contain_text("Your safety comes first")
    expect(phone.get_by_text("When you feel unsafe, getting away is the right thing to do.")).to_be_visible()
    expect(phone.get_by_text("Your self-check")).to_have_count(0)
    expect(phone.get_by_text("You asked your coach to wait for you to get in touch.")).to_be_visible()
    expect(
        phone.get_by_text("Your coach will see this the next time they look at your answers.")
    ).to_be_visible()
    assert_absent(phone, [*NEVER_WHEN_HURT, "part of you", "has been told"])
    screenshot(phone, "fight-hurt-phone")
    assert flags_of(server, client, "fight-or-make-it-right") == {"hurt_by_someone"}


def test_someone_who_was_hurt_and_has_hurt_gets_both(server: Server, phone: Page) -> None:
    client = server.store().add_client("Bo Both")
    open_sheet(phone, server, "fight-or-make-it-right", client)
    answer_safety(phone, hurt="Yes", hurting="Yes")
    fight_steps_after_safety(phone, "Both, it depends", 4)
    cards = phone.locator(".ck-card")
    expect(cards.filter(has_text="Your safety comes first")).to_have_count(1)
    expect(cards.filter(has_text="Stopping it is yours to do")).to_have_count(1)
    expect(phone.get_by_role("button", name="Your anger plan")).to_have_count(0)
    assert flags_of(server, client, "fight-or-make-it-right") == {"hurt_by_someone", "hurt_a_partner"}


# -- the anger plan, for each side ---------------------------------------------------------------


def test_an_anger_plan_for_the_one_who_was_hurt_is_a_plan_for_staying_safe(
    server: Server, phone: Page
) -> None:
    client = server.store().add_client("Kit Safety")
    open_sheet(phone, server, "my-anger-plan", client)
    answer_safety(phone, hurt="Yes", contact="No, please wait for me to get in touch")
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
    card = phone.locator(".ck-takeaway").inner_text()
    assert "My break lasts at least twenty minutes." in card
    assert "no driving, no alcohol or drugs" in card
    for word in ("safe", "shelter", "afraid", "physical"):
        assert word not in card.lower()
    assert_absent(phone, NEVER_WHEN_HURT)
    expect(phone.get_by_role("button", name="After a real argument: log how your plan went")).to_have_count(0)
    screenshot(phone, "anger-plan-safety-summary-phone")
    assert flags_of(server, client, "my-anger-plan") == {"hurt_by_someone", "nowhere_safe"}


def test_an_anger_plan_for_the_one_who_hurt_is_a_time_out_with_a_return_of_their_own(
    server: Server, phone: Page
) -> None:
    client = server.store().add_client("Ray Return")
    open_sheet(phone, server, "my-anger-plan", client)
    answer_safety(phone, hurting="Yes")
    next_step(phone, 2, 6)
    phone.get_by_label("My voice gets louder or sharper").check()
    next_step(phone, 3, 6)
    next_step(phone, 4, 6)
    phone.get_by_label("Go for a walk").check()
    next_step(phone, 5, 6)
    expect(phone.get_by_text("Coming back when you said is part of the plan.")).to_be_visible()
    question(phone, "How will you say when you'll be back?").get_by_label("In a number of minutes").check()
    question(phone, "I'll be back in").get_by_label("30 minutes").check()
    question(phone, "not calm yet").get_by_label("Say so, and agree a new time").check()
    question(phone, "talk this plan through with your partner").get_by_label("Not yet").check()
    next_step(phone, 6, 6)
    expect(phone.locator(".ck-preview p").last).to_have_text(
        "I'll be back in 30 minutes to check in. We can talk about this when we're both ready."
    )
    phone.get_by_role("button", name="Finish").click()

    expect(phone.locator(".ck-card").first).to_contain_text("Stopping it is yours to do")
    expect(phone.get_by_text("A plan for you to follow")).to_be_visible()
    card = phone.locator(".ck-takeaway").inner_text()
    for rule in (
        "My break lasts at least twenty minutes.",
        "no driving, no alcohol or drugs, and no going over the fight",
        "I'll be back in 30 minutes to check in.",
        "If I'm not calm yet when it's time, I'll say so, and we'll agree a new time.",
    ):
        assert rule in card, rule
    assert_absent(phone, [*VICTIMS_PLAN, "Your plan is about staying safe"])
    screenshot(phone, "anger-plan-hurt-a-partner-summary-phone")
    assert flags_of(server, client, "my-anger-plan") == {"hurt_a_partner"}


# -- after an argument ---------------------------------------------------------------------------


def test_a_practice_log_where_someone_got_hurt_puts_safety_first(server: Server, phone: Page) -> None:
    client = server.store().add_client("Lee Practice")
    open_sheet(phone, server, "anger-plan-practice", client)
    question(phone, "were you hurt, or afraid?").get_by_label("Yes", exact=True).check()
    expect(phone.get_by_text("what happened is not your fault")).to_be_visible()
    question(phone, "did your anger become physical").get_by_label("No", exact=True).check()
    question(phone, CONTACT).get_by_label("Yes, any way is fine").check()
    next_step(phone, 2, 2)
    expect(phone.get_by_text("Did I come back when I said I would?")).to_be_hidden()
    expect(phone.get_by_text("How did the talk go afterwards?")).to_be_hidden()
    question(phone, "Did I notice the anger starting?").get_by_label("Yes", exact=True).check()
    question(phone, "Did I say my four statements?").get_by_label("No", exact=True).check()
    question(phone, "During the break").get_by_label("It didn't come to a break").check()
    phone.get_by_role("button", name="Finish").click()

    expect(phone.locator(".ck-card").first).to_contain_text("Your safety comes first")
    expect(phone.get_by_text("nothing here asks you to talk it through with your partner")).to_be_visible()
    expect(
        phone.get_by_text("Your coach will see this the next time they look at your answers.")
    ).to_be_visible()
    assert "That is the plan working" not in page_text(phone)
    screenshot(phone, "practice-log-safety-phone")
    assert flags_of(server, client, "anger-plan-practice") == {"safety"}


# -- on the receiving end --------------------------------------------------------------------------


def test_on_the_receiving_end_and_afraid_the_sidestep_steps_are_never_shown(
    server: Server, phone: Page
) -> None:
    client = server.store().add_client("Mo Receiving")
    open_sheet(phone, server, "on-the-receiving-end", client)
    expect_step(phone, 1, 6)
    question(phone, HURT).get_by_label("Yes", exact=True).check()
    expect_step(phone, 1, 4)  # the steps about sidestepping are gone at once
    question(phone, HURTING).get_by_label("No", exact=True).check()
    question(phone, CONTACT).get_by_label("Yes, any way is fine").check()
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
    assert_absent(phone, NEVER_WHEN_HURT)
    screenshot(phone, "receiving-end-safety-summary-phone")
    assert flags_of(server, client, "on-the-receiving-end") == {"hurt_by_someone"}


def test_on_the_receiving_end_and_safe_the_article_s_sidestep_is_offered(server: Server, phone: Page) -> None:
    client = server.store().add_client("Ola Calm")
    open_sheet(phone, server, "on-the-receiving-end", client)
    answer_safety(phone)
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
    client = server.store().add_client("Pat Private")
    open_sheet(phone, server, "fight-or-make-it-right", client)
    answer_safety(phone, hurt="I'd rather not say")
    expect(phone.get_by_text("That's okay. If you ever feel unsafe, help is there.")).to_be_visible()
    fight_steps_after_safety(phone, "I'm usually on the receiving end", 6)

    expect(phone.locator(".ck-card").first).to_contain_text("If you ever feel unsafe")
    expect(phone.get_by_text("You don't have to carry this alone.")).to_be_visible()
    expect(phone.locator(".ck-answers").get_by_text("I'd rather not say")).to_be_visible()
    assert "refusing to take part" not in page_text(phone)
    screenshot(phone, "fight-rather-not-say-phone")
    assert flags_of(server, client, "fight-or-make-it-right") == {"hurt_not_said"}


# -- a client in crisis --------------------------------------------------------------------------


def test_after_they_left_a_sign_of_crisis_brings_help_at_once_and_the_offer_to_stop(
    server: Server, phone: Page
) -> None:
    client = server.store().add_client("Quinn Wellbeing")
    open_sheet(phone, server, "wanting-them-back", client)
    phone.get_by_label("We were married, or long-term partners").check()
    next_step(phone, 2, 7)
    question(phone, "how often have you felt hopeless").get_by_label("Nearly every day").check()
    question(phone, "How have you been sleeping?").get_by_label("Hardly at all").check()
    question(phone, "thoughts of harming yourself").get_by_label("Yes", exact=True).check()
    expect(phone.get_by_text("You matter, and help is there right now")).to_be_visible()
    # The crisis help once on the page, marked as crisis help, in the notice of the answer just given.
    expect(phone.locator(".ck-crisis", has_text="crisis line")).to_have_count(1)
    expect(phone.locator(".ck-notice.ck-crisis", has_text="You matter")).to_contain_text("Help, right now")
    question(phone, CONTACT).get_by_label("Yes, any way is fine").check()
    expect(phone.get_by_role("button", name="Stop here for today")).to_be_visible()
    screenshot(phone, "wanting-back-wellbeing-phone")
    next_step(phone, 3, 7)

    # Help stays in view on the next step, before anything is asked.
    box = phone.locator(".ck-crisis-box")
    expect(box).to_contain_text("crisis line")
    phone.get_by_label("Why now?").fill(DESPAIR)
    expect(
        phone.get_by_text("If you are having thoughts like these, you don't have to face them alone.")
    ).to_be_visible()
    screenshot(phone, "wanting-back-crisis-step-phone")
    phone.get_by_role("button", name="Stop here for today").click()

    first = phone.locator(".ck-card").first
    expect(first).to_contain_text("You matter")
    expect(first).to_contain_text("Your coach will see this the next time they look at your answers.")
    expect(phone.locator(".ck-card.ck-crisis").filter(has_text="You matter")).to_have_count(1)
    expect(phone.get_by_text("The rest of your reflection is saved")).to_be_visible()
    expect(phone.get_by_text("Who they showed you they are")).to_have_count(0)  # not today
    screenshot(phone, "wanting-back-crisis-summary-phone")
    assert flags_of(server, client, "wanting-them-back") == {
        "wellbeing",
        "words_of_despair",
        "stopped_after_crisis",
    }
    [response] = server.store().find_responses(client.id, "wanting-them-back")
    assert server.store().get_answers(response.id)["why_now"] == DESPAIR


def test_after_they_left_a_controlling_ex_brings_safety_never_a_fresh_start(
    server: Server, phone: Page
) -> None:
    client = server.store().add_client("Sol Control")
    open_sheet(phone, server, "wanting-them-back", client)
    phone.get_by_label("We were dating, for longer than a year").check()
    next_step(phone, 2, 7)
    question(phone, "how often have you felt hopeless").get_by_label("On some days").check()
    question(phone, "How have you been sleeping?").get_by_label("Worse than usual").check()
    question(phone, "thoughts of harming yourself").get_by_label("No", exact=True).check()
    question(phone, CONTACT).get_by_label("Yes, any way is fine").check()
    for number in (3, 4, 5, 6):
        next_step(phone, number, 7)
    question(phone, "Did they ever control you").get_by_label("Yes", exact=True).check()
    expect(phone.get_by_text("None of that was your fault")).to_be_visible()
    next_step(phone, 7, 7)
    question(phone, "Has your partner come back").get_by_label("Some of that, but not all").check()
    phone.get_by_role("button", name="Finish").click()

    first = phone.locator(".ck-card").first
    expect(first).to_contain_text("You deserve to be treated well")
    expect(first).to_contain_text("Who would want someone back who treats them poorly?")
    expect(first).to_contain_text("talk it through with your coach on your own first")
    assert "A fresh start has the best chance" not in page_text(phone)
    screenshot(phone, "wanting-back-control-phone")
    assert "treated_poorly" in flags_of(server, client, "wanting-them-back")


# -- the coach is told, for real, when alerts are set up ----------------------------------------


def test_with_alerts_set_up_a_safety_answer_sends_the_coach_a_note_that_names_no_one(
    tmp_path: Path, phone: Page
) -> None:
    with smtp_server() as (port, inbox):
        settings = {
            "alert_email": "coach@example.org",
            "smtp_host": "127.0.0.1",
            "smtp_port": str(port),
            "smtp_security": "none",
        }
        with coachkit_server(tmp_path, "--mail-every-seconds", "1", settings=settings) as served:
            client = served.store().add_client("Ada Alerted")
            follow_link(phone, served.link(client.code), LOAD_TIMEOUT_MS)
            phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
            question(phone, HURT).get_by_label("Yes", exact=True).check()
            expect(phone.get_by_text(COACH_ALERTED)).to_be_visible()  # the page promises what is done
            question(phone, HURTING).get_by_label("No", exact=True).check()
            question(phone, CONTACT).get_by_label("Yes, any way is fine").check()
            phone.get_by_role("button", name="Next").click()
            expect_step(phone, 2, 4)
            [mail] = inbox.wait_for(1)
            assert mail["Subject"] == ALERT_SUBJECT and mail["To"] == "coach@example.org"
            body = mail.get_payload()
            for secret in ("Ada", "Alerted", client.code, "hurt"):
                assert secret not in body
            phone.wait_for_timeout(2500)  # another pass of the sender: nothing is sent twice
            assert len(inbox.messages) == 1
            assert served.store().count_unsent_mail() == 0
