"""Nothing typed is lost across an outage: words typed while the server was away are saved once it is
back, or shown plainly as not saved, to be copied; the page says "saved" only of what is.

A real ``coachkit serve``, killed (SIGKILL, kernels and all) while the client types, and started again
on the same port and store.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from coachkit.store import Store
from coachkit.ui.app import RESUMED
from tests.browser.conftest import follow_link
from tests.browser.drafts import WORKSHEET, draft_at_the_text_step
from tests.browser.test_load_and_faults import ServerControl

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
BEFORE = "We argued about money."
SAVED = " Then I went for a walk."
AWAY = " While the server was away I wrote this, and it matters."
LOST = (
    "We've lost touch with the server. Please keep this page open: what you type stays here, "
    "and is saved once we're back in touch."
)
NOT_SAVED = (
    "We couldn't save what you typed while we were out of touch. It is below, so you can copy it "
    "before going on."
)


@pytest.fixture
def control(tmp_path: Path) -> Iterator[ServerControl]:
    controlled = ServerControl(tmp_path)
    try:
        yield controlled
    finally:
        controlled.stop()


def story(store_url: str, response_id: int) -> str:
    store = Store(store_url)
    try:
        return store.get_answers(response_id).get("recent_fight", "")
    finally:
        store.close()


def wait_for_story(store_url: str, response_id: int, text: str, within: float = 30) -> None:
    deadline = time.monotonic() + within
    while story(store_url, response_id) != text:
        assert time.monotonic() < deadline, f"the store holds {story(store_url, response_id)!r}"
        time.sleep(0.2)


def open_the_draft(phone: Page, control: ServerControl, url: str, code: str) -> None:
    server = control.start(url)
    follow_link(phone, server.link(WORKSHEET, code), LOAD_TIMEOUT_MS)
    phone.get_by_role("button", name="Continue where I left off").click()
    expect(phone.get_by_role("textbox").first).to_have_value(BEFORE, timeout=LOAD_TIMEOUT_MS)


def type_while_away(phone: Page, control: ServerControl, url: str, response_id: int) -> None:
    box = phone.get_by_role("textbox").first
    box.press("End")
    box.press_sequentially(SAVED)
    wait_for_story(url, response_id, BEFORE + SAVED)  # saved as typed, as ever
    control.kill()  # the server and its kernels are gone, as after a crash
    box.press_sequentially(AWAY)
    expect(phone.get_by_role("alert").filter(has_text="lost touch")).to_have_text(LOST, timeout=20_000)
    assert story(url, response_id) == BEFORE + SAVED


def seeded(tmp_path: Path) -> tuple[str, str, int]:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = Store(url)
    client = store.add_client("Oona Outage")
    draft = draft_at_the_text_step(store, client, recent_fight=BEFORE)
    store.close()
    return url, client.code, draft.id


def test_words_typed_while_the_server_was_killed_are_saved_when_it_is_back(
    tmp_path: Path, control: ServerControl, phone: Page
) -> None:
    url, code, response_id = seeded(tmp_path)
    open_the_draft(phone, control, url, code)
    type_while_away(phone, control, url, response_id)

    control.start(url)
    phone.wait_for_url("**resume=1**", timeout=60_000)  # after the words were sent, not before
    assert story(url, response_id) == BEFORE + SAVED + AWAY
    phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(phone.get_by_text(RESUMED)).to_be_visible()
    expect(phone.get_by_role("textbox").first).to_have_value(BEFORE + SAVED + AWAY)
    expect(phone.get_by_text(NOT_SAVED)).to_have_count(0)


def test_words_the_server_cannot_take_any_more_are_shown_to_copy_and_nothing_saved_is_touched(
    tmp_path: Path, control: ServerControl, phone: Page
) -> None:
    url, code, response_id = seeded(tmp_path)
    open_the_draft(phone, control, url, code)
    type_while_away(phone, control, url, response_id)
    store = Store(url)
    store.claim_draft(response_id, "fedcba9876543210")  # meanwhile, another tab took the draft over
    store.close()

    control.start(url)
    panel = phone.locator("#ck-unsaved")
    expect(panel).to_contain_text(NOT_SAVED, timeout=60_000)
    expect(panel.get_by_role("textbox")).to_have_value(BEFORE + SAVED + AWAY)  # to be copied
    assert "resume=1" not in phone.url  # the page waits for the client
    assert story(url, response_id) == BEFORE + SAVED  # what the other tab holds stands

    panel.get_by_role("button", name="Go on to what was saved").click()
    phone.wait_for_url("**resume=1**", timeout=60_000)
    phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(phone.get_by_role("textbox").first).to_have_value(BEFORE + SAVED)
