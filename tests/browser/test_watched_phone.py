"""A watched phone: what whoever holds the client's phone can find once the client has left the page.

At 390 px, in a Chromium profile of the test's own (a persistent context keeps its history on disk, as a
phone's browser does): the client opens their link, answers, and leaves with Quick exit, or finishes.
The browser is closed; then its ``History`` database is read as anyone with the phone could, and every
address in it is opened again in the same profile (its cookies included). None may hold the client's
code, a link that still works, or a worksheet's name, and each may show only the code page.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from coachkit.exercises import all_worksheets
from coachkit.settings import SESSION_MINUTES_RANGE
from coachkit.ui.history import PRIVATE_TITLE
from coachkit.web.signin import IDLE, LINK_USED
from tests.browser.conftest import (
    CHROMIUM_FLAGS,
    answer_the_safety_step,
    follow_link,
    is_sign_in_link,
    open_page,
    screenshot,
)
from tests.browser.running import PAGE, WORKSHEET, Running, coachkit_server
from tests.browser.test_fight_worksheet import walk_calmly_to_the_last_step
from tests.browser.test_quick_exit import everyday_url  # noqa: F401 (a fixture)
from tests.store import raw

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
ASKING = "Please type the code your coach gave you."
NEUTRAL_TITLES = {"Notes", "Weather", ""}
"""The coach's neutral tab title (the default), and the everyday page Quick exit leads to."""
ANSWER = "Yes, any way is fine"
"""Words of an answer the client gave (the safety step's), which no reopened page may show."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, everyday_url: str) -> Iterator[Running]:  # noqa: F811
    folder = tmp_path_factory.mktemp("watched")
    with coachkit_server(folder, settings={"quick_exit_url": everyday_url}) as running:
        yield running


@contextmanager
def phone_browser(browser: Browser, profile: Path) -> Iterator[BrowserContext]:
    """Debian's Chromium with a profile on disk (its history, cookies and all) at phone width; closed at
    the end, which is when Chromium writes its history out."""
    context = browser.browser_type.launch_persistent_context(
        str(profile),
        executable_path=shutil.which("chromium"),
        args=CHROMIUM_FLAGS,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
    )
    try:
        yield context
    finally:
        context.close()


def first_page(context: BrowserContext) -> Page:
    return context.pages[0] if context.pages else context.new_page()


def browser_history(profile: Path) -> list[tuple[str, str]]:
    """Every address the browser's history keeps, with its title, as read from the profile's file."""
    path = profile / "Default" / "History"
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as history:
        visited = {row[0] for row in history.execute("SELECT url FROM visits")}
        rows = history.execute("SELECT id, url, title FROM urls ORDER BY id").fetchall()
    assert visited <= {row[0] for row in rows}
    return [(url, title) for _, url, title in rows]


def key_is_spent(served: Running, key: str) -> bool:
    digest = hashlib.sha256(key.encode()).hexdigest()
    rows = raw.query(served.database_url, "SELECT used_at FROM sign_in_links WHERE key_hash = ?", digest)
    return rows == [] or rows[0][0] is not None  # unknown, or used


def secrets_of(name: str, code: str) -> list[str]:
    """What must not be in any address or title: the client's code (as typed any way), their name, and
    every worksheet's id and title."""
    words = [code, code.lower(), code.replace("-", ""), code.replace("-", "").lower(), *name.split()]
    for sheet in all_worksheets().values():
        words += [sheet.id, sheet.title]
    return words


def assert_history_reveals_nothing(served: Running, profile: Path, name: str, code: str) -> list[str]:
    """The history holds only neutral addresses and spent links; returns the addresses on the server."""
    entries = browser_history(profile)
    ours = [url for url, _ in entries if url.startswith(served.base_url)]
    assert served.base_url + PAGE in ours  # what was read is the real history, not an empty one
    for url, title in entries:
        readable = unquote(url)
        for secret in secrets_of(name, code):
            assert secret not in readable, (secret, url)
            assert secret not in title, (secret, title)
        assert title in NEUTRAL_TITLES, title
        if is_sign_in_link(url):
            assert key_is_spent(served, urlsplit(url).path.rsplit("/", 1)[1]), (
                f"a live link in the history: {url}"
            )
    return ours


def assert_every_address_opens_only_the_code_page(
    browser: Browser, served: Running, profile: Path, addresses: list[str], name: str, shot: str
) -> None:
    """Open every address again, in the same profile, as whoever holds the phone would (pressing Open
    on a link's page): each shows the code page and nothing of the client."""
    with phone_browser(browser, profile) as context:
        for n, url in enumerate(addresses):
            page = context.new_page()
            follow_link(page, url, LOAD_TIMEOUT_MS, wait_until="load")
            expect(page.get_by_text(ASKING)).to_be_visible()
            assert page.locator(".ck-app").count() == 0
            shown = page.locator("body").inner_text()
            for secret in [*name.split(), *(s.title for s in all_worksheets().values()), ANSWER]:
                assert secret not in shown, (url, secret)
            if n == 0:
                screenshot(page, shot)
            page.close()


def quick_exit(page: Page, everyday: str) -> None:
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(everyday, timeout=10_000)
    expect(page.get_by_role("heading", name="Sunny spells")).to_be_visible()


def test_after_quick_exit_the_phone_keeps_nothing_that_opens_a_page(
    served: Running,
    browser: Browser,
    tmp_path: Path,
    everyday_url: str,  # noqa: F811
) -> None:
    name = "Wren Watched"
    client = served.store().add_client(name)
    profile = tmp_path / "phone"
    with phone_browser(browser, profile) as context:
        page = first_page(context)
        open_page(page, served.link(client.code, WORKSHEET), LOAD_TIMEOUT_MS)
        expect(page.get_by_text("Hello Wren.")).to_be_visible()
        assert page.url == served.base_url + PAGE  # the link has already left the address bar
        answer_the_safety_step(page)
        page.get_by_role("button", name="Next").click()
        expect(page.get_by_text(re.compile(r"^Step 2 of \d+$"))).to_be_visible()  # the answer is saved
        screenshot(page, "watched-phone-worksheet")
        quick_exit(page, everyday_url)
    addresses = assert_history_reveals_nothing(served, profile, name, client.code)
    assert_every_address_opens_only_the_code_page(
        browser, served, profile, addresses, name, "watched-phone-after-quick-exit"
    )

    # The client comes back: their code, typed on the code page, opens their own page, with the
    # worksheet they left (its private answer no longer hidden: they typed the code in this visit).
    with phone_browser(browser, profile) as context:
        page = first_page(context)
        page.goto(served.base_url + PAGE)
        page.get_by_label("Your code").fill(client.code)
        page.get_by_role("button", name="Continue").click()
        page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        expect(page.get_by_role("heading", name="Your worksheets")).to_be_visible()
        expect(page.get_by_text("Hello Wren.")).to_be_visible()
        carry_on = page.get_by_role("button", name="Fight or make it right? (not finished yet)")
        expect(carry_on).to_be_visible()
        screenshot(page, "watched-phone-back-with-the-code")
        carry_on.click()
        expect(page.get_by_text("Welcome back, Wren.")).to_be_visible()
        assert page.url == served.base_url + PAGE


def test_after_finishing_the_phone_keeps_nothing_that_opens_a_page(
    served: Running, browser: Browser, tmp_path: Path
) -> None:
    name = "Fern Finished"
    client = served.store().add_client(name)
    profile = tmp_path / "phone"
    with phone_browser(browser, profile) as context:
        page = first_page(context)
        open_page(page, served.link(client.code, WORKSHEET), LOAD_TIMEOUT_MS)
        walk_calmly_to_the_last_step(page)
        page.get_by_label("Rarely, a few times a year").check()
        page.get_by_role("button", name="Finish").click()
        expect(page.get_by_text("Here is what you shared")).to_be_visible(timeout=30_000)
        screenshot(page, "watched-phone-finished")
        # The summary stays on screen; the session has ended, so reloading it shows the code page.
        page.reload()
        expect(page.get_by_text(ASKING)).to_be_visible()
    addresses = assert_history_reveals_nothing(served, profile, name, client.code)
    assert_every_address_opens_only_the_code_page(
        browser, served, profile, addresses, name, "watched-phone-after-finishing"
    )


def test_a_new_visit_names_no_private_worksheet_until_the_code_is_typed_in_it(
    served: Running, phone: Page, browser: Browser
) -> None:
    client = served.store().add_client("Ivy Private")
    open_page(phone, served.link(client.code, WORKSHEET), LOAD_TIMEOUT_MS)
    walk_calmly_to_the_last_step(phone)
    phone.get_by_label("Rarely, a few times a year").check()
    phone.get_by_role("button", name="Finish").click()
    expect(phone.get_by_text("Here is what you shared")).to_be_visible(timeout=30_000)

    # Later, from a new link to their own page (opened without the code): the finished worksheet
    # holds private answers (the safety step's), so it is listed without its name.
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    try:
        page = context.new_page()
        open_page(page, served.link(client.code, None), LOAD_TIMEOUT_MS)
        expect(page.get_by_role("heading", name="Your worksheets")).to_be_visible()
        finished = page.locator("details.ck-entry summary")
        expect(finished).to_have_count(1)
        expect(finished).to_contain_text(PRIVATE_TITLE)
        expect(finished).not_to_contain_text("Fight or make it right?")
        screenshot(page, "watched-phone-history-private")
        page.get_by_label("Your code").fill(client.code)
        page.get_by_role("button", name="Show my answers").click()
        expect(finished).to_contain_text("Fight or make it right?")
        finished.click()
        expect(page.locator("details.ck-entry")).to_contain_text("Your answers")
        screenshot(page, "watched-phone-history-with-the-code")
        page.reload()  # the same visit: the code counts until it ends
        page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        expect(page.locator("details.ck-entry summary")).to_contain_text("Fight or make it right?")
    finally:
        context.close()

    # Another visit by link: private again until the code is typed in it.
    open_page(phone, served.link(client.code, None), LOAD_TIMEOUT_MS)
    expect(phone.locator("details.ck-entry summary")).to_contain_text(PRIVATE_TITLE)


def test_a_used_link_opens_the_code_page_naming_no_worksheet(served: Running, phone: Page) -> None:
    client = served.store().add_client("Ula Used")
    link = served.link(client.code, "my-anger-plan")
    served.sign_in(link)  # opened once already, on the client's own phone
    follow_link(phone, link, LOAD_TIMEOUT_MS, wait_until="load")
    expect(phone.get_by_text(LINK_USED)).to_be_visible()
    expect(phone.get_by_text(ASKING)).to_be_visible()
    shown = phone.locator("body").inner_text()
    for secret in secrets_of(client.name, client.code):
        assert secret not in shown
    assert "anger" not in phone.url
    screenshot(phone, "watched-phone-used-link")


def test_a_page_left_unused_ends_its_session_and_shows_the_code_page(tmp_path: Path, phone: Page) -> None:
    minutes = SESSION_MINUTES_RANGE[0]
    with coachkit_server(tmp_path / "idle", settings={"session_minutes": str(minutes)}) as served:
        client = served.store().add_client("Ida Idle")
        phone.clock.install()  # the page's timers run on a clock the test moves
        open_page(phone, served.link(client.code, WORKSHEET), LOAD_TIMEOUT_MS)
        assert phone.locator('meta[name="ck-idle-minutes"]').get_attribute("content") == str(minutes)
        expect(phone.get_by_text("Hello Ida.")).to_be_visible()
        phone.clock.fast_forward(f"{minutes - 1:02d}:00")
        phone.get_by_label("No", exact=True).first.focus()
        phone.keyboard.press("Tab")  # in use: the wait starts again
        phone.clock.fast_forward(f"{minutes - 1:02d}:00")
        assert phone.url == served.base_url + PAGE
        expect(phone.get_by_text("Hello Ida.")).to_be_visible()
        phone.clock.fast_forward("01:30")  # now unused for longer than the coach's time
        phone.wait_for_url(f"{served.base_url}/coachkit/code?said=idle", timeout=10_000)
        expect(phone.get_by_text(IDLE)).to_be_visible()  # why the page closed, nothing of what was on it
        expect(phone.get_by_text(ASKING)).to_be_visible()
        screenshot(phone, "watched-phone-idle")
        phone.goto(served.base_url + PAGE)  # the session ended on the server too
        expect(phone.get_by_text(ASKING)).to_be_visible()
        assert phone.locator(".ck-app").count() == 0
