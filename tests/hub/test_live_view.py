"""In a session, in a practice: a client through the Hub's proxy, their coach following them live in the
dashboard their JupyterLab opens on, on another server, the two sharing only the coach's database.

The client answers on a phone (390 px) through the proxy; the coach, logged in at the Hub, follows them
from "open now" and sees each answer, the flag at the safety question, and the summary. The other coach
sees none of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import follow_link
from tests.hub.lab import log_in
from tests.hub.running import RunningPractice
from tests.hub.test_practice import LOAD_TIMEOUT_MS

pytestmark = pytest.mark.hub

SEEN_MS = 20_000
CONTACT_HOW = "Only by email, Quillwort-9"
CLIENT = "Iris Lowe"


@pytest.fixture(scope="module")
def code(practice: RunningPractice) -> str:
    """Ana's client, added before Ana opens her dashboard (as her account, as she would)."""
    return practice.add_client(practice.ana, CLIENT)


@pytest.fixture(scope="module")
def coach_pages(browser: Browser, practice: RunningPractice, code: str) -> Iterator[dict[str, Page]]:
    opened, contexts = {}, []
    try:
        for coach in (practice.ana, practice.ben):
            context, page = log_in(browser, practice, coach)
            contexts.append(context)
            opened[coach.name] = page
        yield opened
    finally:
        for context in contexts:
            context.close()


def test_a_coach_follows_a_client_live_across_the_practices_servers(
    browser: Browser, practice: RunningPractice, code: str, coach_pages: dict[str, Page]
) -> None:
    coach = coach_pages[practice.ana.name]
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    try:
        phone = phone_context.new_page()
        follow_link(phone, practice.link(practice.ana, code, "fight-or-make-it-right"), LOAD_TIMEOUT_MS)
        phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)

        # The client server noted the page in Ana's database; Ana's dashboard, on her own server, lists it.
        open_now = coach.locator("button.ck-open-page").filter(has_text=CLIENT)
        expect(open_now).to_be_visible(timeout=SEEN_MS)
        open_now.click()
        live = coach.locator(".ck-live-card").filter(has_text=CLIENT)
        expect(live).to_contain_text("Page open now, showing “Fight or make it right?”", timeout=SEEN_MS)

        question = phone.locator(".ck-single")
        question.filter(has_text="ever hurt you or made you afraid").get_by_label("Yes", exact=True).check()
        expect(live.locator(".ck-live-flags")).to_contain_text(
            "hurt them or made them afraid", timeout=SEEN_MS
        )
        question.filter(has_text="hurt or frightened a partner").get_by_label("No", exact=True).check()
        question.filter(has_text="Is it safe for your coach").get_by_label(
            "Yes, but only in some ways, or at some times"
        ).check()
        how = phone.get_by_label("How and when is it safe?")
        expect(how).to_be_visible()
        how.press_sequentially(CONTACT_HOW, delay=40)
        expect(live.locator('[data-field="contact_how"]')).to_contain_text(CONTACT_HOW, timeout=SEEN_MS)

        phone.get_by_role("button", name="Next").click()
        expect(live).to_contain_text("step 2 of 4", timeout=SEEN_MS)
        phone.get_by_label("I'm usually on the receiving end").check()
        phone.get_by_role("button", name="Next").click()
        phone.get_by_label("I sidestep a fight").check()
        phone.get_by_role("button", name="Next").click()
        phone.get_by_label("About once a week").check()
        expect(live).to_contain_text("step 4 of 4", timeout=SEEN_MS)
        phone.get_by_role("button", name="Finish").click()
        expect(live).to_contain_text("The summary they read", timeout=SEEN_MS)
        expect(live.get_by_text("They are here")).to_have_count(0)
    finally:
        phone_context.close()

    # The other coach's dashboard never lists Ana's client, open or followed.
    ben = coach_pages[practice.ben.name]
    expect(ben.locator(".ck-live")).not_to_contain_text(CLIENT)
    assert not re.search(CLIENT, ben.locator(".ck-dash").inner_text())
    pages = "SELECT count(*) FROM client_pages"
    assert practice.query(practice.ben, pages).strip() == "0"
