"""Quick exit: on every client page, a button (and Esc) that at once replaces the page with an everyday one.

The coach's ``quick_exit_url`` points at a small page this test serves itself. After leaving, going
back must not bring the worksheet back, and the browser's session has ended: the client's page shows only
the code page. axe-core checks the pages' accessibility, bar included.
"""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PROJECT, follow_link
from tests.browser.running import PAGE, Running, coachkit_server

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
AXE = Path(os.environ.get("COACHKIT_AXE") or PROJECT / ".venv/node/node_modules/axe-core/axe.min.js")
EVERYDAY = b"<!DOCTYPE html><html lang='en'><title>Weather</title><main><h1>Sunny spells</h1></main></html>"


class Everyday(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(EVERYDAY)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def everyday_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Everyday)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/forecast"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, everyday_url: str) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("exit")
    with coachkit_server(folder, settings={"quick_exit_url": everyday_url}) as running:
        yield running


@pytest.fixture
def code(served: Running) -> str:
    return served.store().add_client("Quinn Exit").code


ASKING = "Please type the code your coach gave you."


def open_worksheet(page: Page, served: Running, code: str) -> None:
    follow_link(page, served.link(code), LOAD_TIMEOUT_MS)
    page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)


def expect_left(page: Page, everyday_url: str) -> None:
    page.wait_for_url(everyday_url, timeout=10_000)
    expect(page.get_by_role("heading", name="Sunny spells")).to_be_visible()
    page.evaluate("setTimeout(() => history.back(), 0)")
    page.wait_for_timeout(1_500)
    assert "/voila/" not in page.url  # not back to the worksheet
    assert page.locator(".ck-app").count() == 0


def expect_signed_out(page: Page, served: Running) -> None:
    """The browser's session ended with Quick exit: the client's page is only the code page now."""
    page.goto(served.base_url + PAGE)
    expect(page.get_by_text(ASKING)).to_be_visible()
    assert page.locator(".ck-app").count() == 0


def test_esc_leaves_at_once_and_back_does_not_return(served: Running, code: str, phone: Page, everyday_url):
    open_worksheet(phone, served, code)
    phone.get_by_label("No", exact=True).first.focus()
    phone.keyboard.press("Escape")
    expect_left(phone, everyday_url)
    expect_signed_out(phone, served)


def test_the_button_is_big_fixed_at_the_top_and_first_for_the_keyboard(
    served: Running, code: str, phone: Page, everyday_url: str
):
    open_worksheet(phone, served, code)
    button = phone.get_by_role("link", name="Quick exit")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 88 and box["y"] < 20
    heading = phone.locator(".ck-app h1").first.bounding_box()
    assert heading is not None and heading["y"] >= box["y"] + box["height"]  # nothing hides under it
    phone.mouse.wheel(0, 2_000)  # still there after scrolling
    phone.wait_for_timeout(300)
    assert button.bounding_box()["y"] < 20
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Quick exit"
    phone.keyboard.press("Enter")
    expect_left(phone, everyday_url)
    expect_signed_out(phone, served)


def test_the_button_works_before_the_worksheet_has_been_drawn(
    served: Running, code: str, phone: Page, everyday_url: str
):
    widgets = "**/coachkit/static/client/*.js"
    phone.route(widgets, lambda route: None)  # the widgets' scripts never arrive: nothing is live
    follow_link(phone, served.link(code), LOAD_TIMEOUT_MS, wait_until="commit")
    expect(phone.locator("#ck-prepaint h1")).to_be_visible(timeout=LOAD_TIMEOUT_MS)  # the painted step
    assert phone.locator(".ck-app").count() == 0
    phone.get_by_role("link", name="Quick exit").click()
    expect_left(phone, everyday_url)
    phone.unroute(widgets)
    expect_signed_out(phone, served)


def test_the_link_page_has_it_and_leaving_there_spends_nothing(
    served: Running, code: str, phone: Page, everyday_url: str
):
    link = served.link(code)
    phone.goto(link)
    expect(phone.get_by_role("button", name="Open")).to_be_visible()
    phone.keyboard.press("Escape")
    expect_left(phone, everyday_url)
    follow_link(phone, link, LOAD_TIMEOUT_MS)
    phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)  # the link still opens, once


def test_the_code_page_and_the_busy_page_have_it_too(tmp_path: Path, browser: Browser, everyday_url: str):
    settings = {"quick_exit_url": everyday_url}
    with coachkit_server(tmp_path / "s", "--max-kernels", "1", settings=settings) as served:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(served.base_url + PAGE)
            expect(page.get_by_text("Please type the code your coach gave you.")).to_be_visible()
            page.keyboard.press("Escape")
            expect_left(page, everyday_url)

            holder = context.new_page()
            open_worksheet(holder, served, served.store().add_client("Hal Holder").code)  # the one kernel
            follow_link(page, served.link(served.store().add_client("Bea Busy").code))
            expect(page.get_by_text("Just a moment")).to_be_visible()
            page.get_by_role("link", name="Quick exit").click()
            expect_left(page, everyday_url)
        finally:
            context.close()


@pytest.mark.skipif(not AXE.exists() and not os.environ.get("CI"), reason="axe-core missing: make test-deps")
def test_axe_core_finds_no_violations_on_the_worksheet_and_the_code_page(
    served: Running, code: str, phone: Page
):
    assert AXE.exists(), "axe-core missing: make test-deps installs it"
    link = served.link(code)
    pages = {
        "link page": link,
        "worksheet": link,
        "code page": served.base_url + PAGE,
    }
    found = {}
    for name, url in pages.items():
        if name == "worksheet":
            follow_link(phone, url, LOAD_TIMEOUT_MS)
            phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        else:
            phone.goto(url)
        phone.add_script_tag(path=str(AXE))
        result = phone.evaluate("async () => (await axe.run(document)).violations")
        found[name] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result]
    assert found == {"link page": [], "worksheet": [], "code page": []}
