"""Homework end to end, on a real client server, the coach's dashboard, Chromium and a real mail server.

The coach assigns a programme on the dashboard; the client opens their one link on a phone (390 px, in
London's time zone), sees it, does the first worksheet and asks for reminders; at the next worksheet's due
hour a reminder reaches the local SMTP server (aiosmtpd); a day later the dashboard shows one done on time
and one overdue. Time moves by the servers' test clock (``coachkit.clock``), never by sleeping.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from coachkit.clock import TEST_CLOCK_ENV
from coachkit.coach.server import TOKEN_ENV
from coachkit.homework.reminders import SUBJECT
from coachkit.links import HISTORY_TITLE
from coachkit.store import Store
from tests.browser.conftest import (
    CHROMIUM_FLAGS,
    follow_link,
    mint_link,
    running_coachkit,
    screenshot,
)
from tests.browser.test_dashboard import TOKEN, pick, screenshot_top
from tests.browser.test_fight_worksheet import walk_calmly_to_the_last_step
from tests.smtp import smtp_server

pytestmark = pytest.mark.browser
LONDON = ZoneInfo("Europe/London")
TIMEOUT_MS = 90_000
PROGRAMME = "Programme: After a fight, four weeks"


@dataclass
class Practice:
    database_url: str
    clock: Path
    serve_url: str
    dashboard_url: str
    inbox: object

    def store(self) -> Store:
        return Store(self.database_url)

    def move_clock(self, moment: dt.datetime) -> None:
        self.clock.write_text(moment.astimezone(dt.UTC).isoformat())


@pytest.fixture
def practice(tmp_path: Path) -> Iterator[Practice]:
    """A client server sending mail every half second, a dashboard and a mail server, all on one clock."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    clock = tmp_path / "clock"
    env = {TEST_CLOCK_ENV: str(clock), TOKEN_ENV: TOKEN}
    with smtp_server() as (port, inbox):
        store = Store(url)
        store.add_client("Sam Lee")
        for key, value in {
            "smtp_host": "127.0.0.1",
            "smtp_port": str(port),
            "smtp_security": "none",
            "smtp_from": "ana@example.org",
        }.items():
            store.set_setting(key, value)
        store.close()
        serve = ["serve", "--database", url, "--mail-every-seconds", "0.5", "--ready-kernels", "1"]
        with (
            running_coachkit(serve, tmp_path / "serve.log", env=env) as serve_url,
            running_coachkit(
                ["dashboard", "--database", url],
                tmp_path / "dash.log",
                ready_path=f"/?token={TOKEN}",
                env=env,
            ) as dashboard_url,
        ):
            yield Practice(url, clock, serve_url, dashboard_url, inbox)


@pytest.fixture
def london_phone(chromium_path: str):  # type: ignore[no-untyped-def]
    """A phone (390 px) whose browser is in London's time zone; and a desktop for the coach."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        try:
            phone = browser.new_context(
                viewport={"width": 390, "height": 844}, device_scale_factor=2, timezone_id="Europe/London"
            )
            desk = browser.new_context(viewport={"width": 1280, "height": 900})
            yield phone.new_page(), desk.new_page()
        finally:
            browser.close()


def open_dashboard(page: Page, practice: Practice) -> None:
    page.goto(f"{practice.dashboard_url}/voila/render/dashboard.ipynb?token={TOKEN}")
    page.locator(".ck-dash").first.wait_for(timeout=TIMEOUT_MS)


def test_a_programme_assigned_on_the_dashboard_reaches_the_phone_and_reminds_at_the_due_hour(
    practice: Practice, london_phone
) -> None:
    phone, desk = london_phone
    sam = practice.store().find_clients()[0]

    open_dashboard(desk, practice)
    pick(desk, "Sam Lee")
    desk.locator(".ck-assign select").first.select_option(label=PROGRAMME)
    desk.get_by_role("button", name="Assign", exact=True).click()
    expect(desk.get_by_text("Assigned 3 worksheets to Sam Lee.")).to_be_visible(timeout=TIMEOUT_MS)
    [fight, plan, _] = sorted(practice.store().find_assignments(sam.id), key=lambda a: a.starts_on)
    assert (fight.programme_id, fight.assigned_by.endswith("dashboard")) == ("after-a-fight", True)

    follow_link(phone, mint_link(practice.store(), sam.code, None, practice.serve_url))
    phone.locator(".ck-app").first.wait_for(timeout=TIMEOUT_MS)
    assigned = phone.locator(".ck-assigned button")
    expect(assigned.first).to_have_text(re.compile(r"^Worksheet 1 from your coach, due "), timeout=TIMEOUT_MS)
    assert "Fight" not in phone.locator(".ck-assigned").inner_text()  # not named before the code
    assert practice.store().get_contact(sam.id).time_zone == "Europe/London"  # from the browser
    assigned.first.click()
    expect(phone.get_by_text("Step 1 of 6", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    walk_calmly_to_the_last_step(phone)
    phone.get_by_label("Rarely, a few times a year").check()
    phone.get_by_role("button", name="Finish").click()
    phone.get_by_role("button", name=HISTORY_TITLE).click()

    phone.get_by_label("Your code").fill(sam.code)
    phone.get_by_role("button", name="Show my answers").click()
    expect(phone.locator(".ck-assigned button").first).to_have_text(re.compile(r"^My anger plan, from "))
    phone.get_by_label("Email").fill("sam@example.org")
    phone.locator(".ck-reminders select").select_option(label="18:00")
    phone.get_by_role("button", name="Send me reminders").click()
    expect(phone.get_by_text(re.compile("Notes go to sam@example.org at 18:00"))).to_be_visible()
    screenshot(phone, "homework-home-phone")

    due = dt.datetime.combine(plan.due_on, dt.time(18), tzinfo=LONDON)
    practice.move_clock(due - dt.timedelta(minutes=1))
    assert practice.inbox.wait_for(1, timeout=3) == []  # not before the hour
    practice.move_clock(due + dt.timedelta(minutes=1))
    [mail] = practice.inbox.wait_for(1)
    assert mail["Subject"] == SUBJECT and mail["To"] == "sam@example.org"
    text = mail.get_payload(decode=True).decode()
    assert "anger" not in text.lower() and "Sam" not in text
    link = re.search(r"http://\S+/link/[\w-]+", text).group(0)
    assert link.startswith(practice.serve_url)

    practice.move_clock(due + dt.timedelta(days=1))
    open_dashboard(desk, practice)
    pick(desk, "Sam Lee")
    homework = desk.locator(".ck-homework")
    expect(homework.get_by_text("all done")).to_be_visible(timeout=TIMEOUT_MS)
    expect(homework.get_by_text(re.compile(r"^overdue since "))).to_be_visible()
    figures = desk.locator(".ck-homework-figures tbody tr").first.inner_text().split("\t")
    assert [cell.strip() for cell in figures[:5]] == ["Sam Lee", "3", "1", "0", "1"]  # the log opened too
    screenshot_top(desk, "homework-dashboard", height=2200)
    assert practice.inbox.wait_for(2, timeout=2)[1:] == []  # the reminder went once

    follow_link(phone, link)  # the reminder's link opens their page, where the plan is now overdue
    expect(phone.locator(".ck-assigned button").first).to_have_text(
        re.compile(r"^Worksheet 1 from your coach, was due "), timeout=TIMEOUT_MS
    )
