"""A page whose server went away says so in plain words, and goes back to its draft when it returns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from coachkit.store import Store
from coachkit.ui.app import RESUMED
from tests.browser.conftest import answer_the_safety_step, follow_link
from tests.browser.test_load_and_faults import ServerControl

pytestmark = pytest.mark.browser

WORKSHEET = "fight-or-make-it-right"
LOAD_TIMEOUT_MS = 90_000
LOST = (
    "We've lost touch with the server. Please keep this page open: what you type stays here, "
    "and is saved once we're back in touch."
)


@pytest.fixture
def control(tmp_path: Path) -> Iterator[ServerControl]:
    controlled = ServerControl(tmp_path)
    try:
        yield controlled
    finally:
        controlled.stop()


def test_a_page_that_lost_its_server_says_so_and_resumes_when_it_is_back(
    tmp_path: Path, control: ServerControl, phone: Page
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = Store(url)
    client = store.add_client("Lee Lost")
    store.close()
    server = control.start(url)
    follow_link(phone, server.link(WORKSHEET, client.code))
    phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    answer_the_safety_step(phone)
    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_text("Step 2 of 6", exact=True)).to_be_visible()

    control.kill()  # the server and its kernels are gone, as after a crash
    phone.get_by_label("I'm usually on the receiving end").check()
    phone.get_by_role("button", name="Next").click()
    notice = phone.get_by_role("alert").filter(has_text="lost touch")
    expect(notice).to_have_text(LOST, timeout=15_000)
    expect(phone.get_by_text("Step 2 of 6", exact=True)).to_be_visible()  # nothing else changed

    control.start(url)
    phone.wait_for_url("**resume=1**", timeout=60_000)
    phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(phone.get_by_text(RESUMED)).to_be_visible()
    expect(phone.get_by_text("Step 2 of 6", exact=True)).to_be_visible()
    expect(phone.get_by_text(LOST)).to_have_count(0)
