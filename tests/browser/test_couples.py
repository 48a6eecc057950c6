"""A couple, in Chromium: two partners answer apart at 390 px, the coach compares them on the dashboard, one
partner shares their anger plan card, the coach approves, the other reads it; and a couple the safety gate
keeps apart, where nothing is shared and the coach reads why. No partner's own words reach the other's page.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from coachkit.links import new_link
from coachkit.store import Client
from tests.browser.coaching import Servers, coach_and_clients, log_in, pick
from tests.browser.conftest import follow_link, screenshot
from tests.browser.test_anger_plan import build_first_plan
from tests.browser.test_fight_worksheet import walk_calmly_to_the_last_step
from tests.browser.test_safety_paths import CONTACT, HURT, HURTING, question

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
PRIVATE_NOTE = "Ana-only: the night of the broken mug"
"""What Ana writes about a recent fight: hers alone, never on Ben's page."""


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with coach_and_clients(tmp_path_factory.mktemp("couples")) as running:
        yield running


@pytest.fixture
def two_phones(browser) -> Iterator[tuple[Page, Page]]:  # type: ignore[no-untyped-def]
    contexts = [browser.new_context(viewport={"width": 390, "height": 844}) for _ in range(2)]
    try:
        yield contexts[0].new_page(), contexts[1].new_page()
    finally:
        for context in contexts:
            context.close()


def open_as(page: Page, servers: Servers, client: Client, sheet: str | None) -> None:
    store = servers.store()
    follow_link(page, new_link(store, client, sheet, servers.clients), LOAD_TIMEOUT_MS)
    page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)


def finish_the_fight(page: Page, frequency: str, note: str = "") -> None:
    walk_calmly_to_the_last_step(page)
    page.get_by_label(frequency).check()
    if note:
        page.get_by_label("If you like: what happened in a recent fight?").fill(note)
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_text("Here is what you shared")).to_be_visible()


def to_own_page_with_code(page: Page, client: Client) -> None:
    page.get_by_role("button", name="Everything you've done so far").click()
    expect(page.get_by_role("heading", name="Your worksheets")).to_be_visible()
    page.get_by_label("Your code").fill(client.code)
    page.get_by_role("button", name="Show my answers").click()


def frames_of(page: Page) -> list[str]:
    found: list[str] = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda data: found.append(str(data))))
    return found


def test_partners_answer_apart_the_coach_compares_and_a_card_is_shared_only_once_approved(
    servers: Servers, two_phones: tuple[Page, Page], desktop: Page
) -> None:
    ana_page, ben_page = two_phones
    store = servers.store()
    ana, ben = store.add_client("Ana Lane"), store.add_client("Ben Lane")
    store.link_partners(ana.id, ben.id)
    ben_frames = frames_of(ben_page)

    open_as(ana_page, servers, ana, "fight-or-make-it-right")
    finish_the_fight(ana_page, "About once a week", PRIVATE_NOTE)
    open_as(ben_page, servers, ben, "fight-or-make-it-right")
    finish_the_fight(ben_page, "Rarely, a few times a year")
    open_as(ana_page, servers, ana, "my-anger-plan")
    build_first_plan(ana_page)
    ana_page.get_by_role("button", name="Finish").click()
    expect(ana_page.locator(".ck-takeaway")).to_be_visible()

    # Ana shares her card, by choice, from her own page (once she typed her code in this visit).
    to_own_page_with_code(ana_page, ana)
    expect(ana_page.get_by_role("heading", name="Share with your partner")).to_be_visible()
    row = ana_page.locator(".ck-share-row").filter(has_text="My anger plan: the card")
    row.get_by_role("button", name="Share it").click()
    expect(ana_page.locator(".ck-share-row").filter(has_text="My anger plan: the card")).to_contain_text(
        "Waiting for your coach"
    )
    screenshot(ana_page, "couple-share-phone")

    # The coach compares them, reads the card exactly as Ben would, and approves it.
    log_in(desktop, servers)
    pick(desktop, "Ana Lane")
    part = desktop.locator(".ck-couple-part")
    expect(part).to_contain_text("Fight or make it right?: side by side")
    expect(part).to_contain_text("one says “About once a week”, the other “Rarely, a few times a year”")
    expect(part).to_contain_text("waiting for your approval")
    expect(part).to_contain_text("1. I recognize that I am getting angry.")
    expect(part).not_to_contain_text("ever hurt you")  # never a private question side by side
    screenshot(desktop, "couple-dashboard-desktop")
    part.get_by_role("button", name="Approve").click()
    expect(desktop.get_by_text("Approved: their partner can see it")).to_be_visible()

    # Ben reads it on his own page; nothing else of Ana's ever reached his page.
    open_as(ben_page, servers, ben, None)
    ben_page.get_by_label("Your code").fill(ben.code)
    ben_page.get_by_role("button", name="Show my answers").click()
    shared = ben_page.locator(".ck-card").filter(has_text="My anger plan")
    expect(shared).to_contain_text("1. I recognize that I am getting angry.")
    screenshot(ben_page, "couple-shared-with-you-phone")
    assert not [frame for frame in ben_frames if PRIVATE_NOTE in frame or ana.code in frame]


def test_a_couple_the_gate_keeps_apart_shares_nothing_and_the_coach_reads_why(
    servers: Servers, two_phones: tuple[Page, Page], desktop: Page
) -> None:
    cy_page, _ = two_phones
    store = servers.store()
    cy, di = store.add_client("Cy Apart"), store.add_client("Di Apart")
    store.link_partners(cy.id, di.id)
    open_as(cy_page, servers, cy, "fight-or-make-it-right")
    question(cy_page, HURT).get_by_label("Yes", exact=True).check()
    question(cy_page, HURTING).get_by_label("No", exact=True).check()
    question(cy_page, CONTACT).get_by_label("Yes, any way is fine").check()
    cy_page.get_by_role("button", name="Next").click()
    expect(cy_page.get_by_text("Step 2 of 4", exact=True)).to_be_visible()
    open_as(cy_page, servers, cy, None)
    cy_page.get_by_label("Your code").fill(cy.code)
    cy_page.get_by_role("button", name="Show my answers").click()
    expect(cy_page.get_by_role("heading", name="Your worksheets")).to_be_visible()
    expect(cy_page.get_by_text("Share with your partner")).to_have_count(0)
    expect(cy_page.get_by_text("partner")).to_have_count(0)  # not even that a partner is linked

    log_in(desktop, servers)
    pick(desktop, "Cy Apart")
    part = desktop.locator(".ck-couple-part")
    expect(part).to_contain_text("Kept apart")
    expect(part).to_contain_text("Cy said someone has hurt or frightened them")
    expect(part).to_contain_text("See them on their own first")
    expect(part).not_to_contain_text("side by side")
    screenshot(desktop, "couple-kept-apart-desktop")
