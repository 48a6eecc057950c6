"""The coach's everyday work on the dashboard, in Chromium, at a desk (1280 px) and on a tablet (768 px).

``coachkit dashboard`` behind the coach's password, beside ``coachkit serve`` on the same store: the coach
logs in at the bookmarkable address, adds a client, copies a new link (read back from the clipboard),
changes a help text and sees a client's page show it, and marks the client's flag checked in with a note.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.coaching import LOAD_TIMEOUT_MS, Servers, coach_and_clients, log_in
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_safety_paths import CONTACT, HURT, HURTING, question

pytestmark = pytest.mark.browser

HELP_TEXT = "Call the Riverside helpline on 0800 555 0199, day or night."


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with coach_and_clients(tmp_path_factory.mktemp("coach-home")) as running:
        yield running


@pytest.fixture(params=[1280, 768], ids=["desktop", "tablet"])
def coach(request, browser, servers: Servers):  # type: ignore[no-untyped-def]
    """The coach's browser at this width, allowed to use the clipboard (as a person's browser asks)."""
    context = browser.new_context(viewport={"width": request.param, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=servers.dashboard)
    try:
        yield context.new_page(), request.param
    finally:
        context.close()


def shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_the_address_needs_the_password(servers: Servers) -> None:
    with urllib.request.urlopen(f"{servers.dashboard}/voila/render/dashboard.ipynb", timeout=10) as answer:
        assert "/login?next=" in answer.geturl()
        assert "Type the password you set" in answer.read().decode()


def test_a_coachs_day_on_the_dashboard(servers: Servers, coach, browser) -> None:  # type: ignore[no-untyped-def]
    page, width = coach
    name = f"Sam Rivera {width}"
    log_in(page, servers)

    # Add a client: they are listed and picked.
    page.locator(".ck-new-name input").fill(name)
    page.get_by_role("button", name="Add client").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=30_000)
    expect(page.locator("table.ck-clients")).to_contain_text(name)

    # A new link, copied: the clipboard holds exactly the link shown, and it opens at the client server.
    page.locator(".ck-link-where select").select_option(label="Fight or make it right?")
    page.get_by_role("button", name="New link").click()
    shown = page.locator(".ck-link-text")
    expect(shown).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/link/[\w-]{22}$"))
    link = shown.input_value()
    assert link.startswith(servers.clients + "/link/")  # where `coachkit serve` said it serves
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    expect(page.locator("img.ck-qr")).to_be_visible()
    shot(page, f"coach-home-link-{width}")

    # A help text changed on the page …
    page.get_by_text("Your settings, login and backup").click()
    box = page.locator(".ck-setting-safety-help textarea")
    box.fill(HELP_TEXT)
    page.locator(".ck-save-safety-help").click()
    expect(page.get_by_text("Saved safety-help.").first).to_be_visible()
    minutes = page.locator(".ck-setting-session-minutes input")
    minutes.fill("2")
    page.locator(".ck-save-session-minutes").click()
    expect(page.get_by_text("Not saved: session-minutes: it must be a whole number").first).to_be_visible()
    shot(page, f"coach-home-settings-{width}")

    # … is what a client who says they were hurt sees, on the page the copied link opens.
    client = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        phone = client.new_page()
        phone.goto(link)
        phone.get_by_role("button", name="Open").click()
        phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        question(phone, HURT).get_by_label("Yes", exact=True).check()
        question(phone, HURTING).get_by_label("No", exact=True).check()
        question(phone, CONTACT).get_by_label("Yes, any way is fine").check()
        expect(phone.get_by_text(HELP_TEXT)).to_be_visible()
        phone.get_by_role("button", name="Next").click()
        expect(phone.get_by_text("Step 2 of", exact=False).first).to_be_visible()
    finally:
        client.close()

    # The flag: the client comes first, the coach checks in with a note, and they move down.
    page.get_by_role("button", name="Refresh").click()
    expect(page.locator("table.ck-clients tbody tr").first).to_contain_text(name)
    expect(page.get_by_role("alert").filter(has_text="Check in first")).to_be_visible()
    page.locator(".ck-checkin textarea").fill("Called as agreed; she is safe at her sister's.")
    shot(page, f"coach-home-flag-{width}")
    page.get_by_role("button", name="Mark checked in").click()
    expect(page.get_by_text("Marked checked in").first).to_be_visible()
    expect(page.locator("section.ck-checked")).to_contain_text("safe at her sister")
    expect(page.get_by_role("alert").filter(has_text="Check in first")).to_have_count(0)
    shot(page, f"coach-home-checked-{width}")
    for log in servers.logs:
        text = log.read_text(errors="replace")
        assert "Traceback" not in text
        assert link.rsplit("/", 1)[1] not in text  # the link's key never reaches a log
