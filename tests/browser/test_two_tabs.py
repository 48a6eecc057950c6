"""Two tabs, one truth, in Chromium: a tab left on the offer screen takes the draft over as it is when
Continue is pressed, not as it was when the tab opened, and the tab it took it from stops saving.

(The same, step by step on the real store without a browser: ``tests/ui/test_two_tabs.py``.)
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, Page, expect

from coachkit.store import Store
from coachkit.ui.wizard import TAKEN_OVER
from tests.browser.conftest import CLIENT_PAGE, follow_link
from tests.browser.drafts import WORKSHEET, draft_at_the_text_step
from tests.browser.running import coachkit_server

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
FIRST, SECOND, THIRD = "We argued.", " Then I went for a walk.", " We talked after dinner."


def story(store: Store, response_id: int) -> str:
    return store.get_answers(response_id).get("recent_fight", "")


def wait_for_story(store: Store, response_id: int, text: str, within: float = 30) -> None:
    deadline = time.monotonic() + within
    while story(store, response_id) != text:
        assert time.monotonic() < deadline, f"the store holds {story(store, response_id)!r}"
        time.sleep(0.2)


def type_at_the_end(page: Page, text: str) -> None:
    box = page.get_by_role("textbox").first
    box.press("End")
    box.press_sequentially(text)


def test_a_tab_left_on_the_offer_screen_continues_from_what_the_other_tab_saved(tmp_path, browser: Browser):
    with coachkit_server(tmp_path / "s") as served:
        store = served.store()
        client = store.add_client("Tomas Tabs")
        draft = draft_at_the_text_step(store, client, recent_fight=FIRST)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            tab_b = context.new_page()  # opened first, left on the offer screen
            follow_link(tab_b, served.link(client.code, WORKSHEET), LOAD_TIMEOUT_MS)
            continue_b = tab_b.get_by_role("button", name="Continue where I left off")
            continue_b.wait_for(timeout=LOAD_TIMEOUT_MS)

            tab_a = context.new_page()  # the same browser, a second tab
            tab_a.goto(served.base_url + CLIENT_PAGE)
            tab_a.get_by_role("button", name="Continue where I left off").click(timeout=LOAD_TIMEOUT_MS)
            expect(tab_a.get_by_role("textbox").first).to_have_value(FIRST, timeout=LOAD_TIMEOUT_MS)
            type_at_the_end(tab_a, SECOND)
            wait_for_story(store, draft.id, FIRST + SECOND)

            continue_b.click()  # now: tab B reads the draft as it is
            expect(tab_b.get_by_role("textbox").first).to_have_value(FIRST + SECOND, timeout=30_000)
            type_at_the_end(tab_b, THIRD)
            wait_for_story(store, draft.id, FIRST + SECOND + THIRD)

            type_at_the_end(tab_a, " (in the old tab)")  # tab A has stopped: it says so, and keeps it
            expect(tab_a.get_by_text(TAKEN_OVER)).to_be_visible(timeout=30_000)
            expect(tab_a.get_by_role("textbox").first).to_have_value(FIRST + SECOND + " (in the old tab)")
            time.sleep(1)
            assert story(store, draft.id) == FIRST + SECOND + THIRD
        finally:
            context.close()
