"""In a session: the coach follows a client's worksheet live, in two browser contexts, on real servers.

``coachkit dashboard`` behind the coach's password and ``coachkit serve`` on one store (as on one
machine). The client fills "Fight or make it right?" on a phone (390 px) through a relay that can cut
their connection; the coach (1280 px) follows them and sees each answer, the flag when the safety question
is answered, what happens to their page (a reload, a second tab, a lost connection), and the summary
when they finish. The live view is the coach's alone: the client's cookie, code and websocket reach none
of it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from coachkit.store import Client
from tests.browser.coaching import LOAD_TIMEOUT_MS, Servers, coach_and_clients, log_in, pick
from tests.browser.conftest import CLIENT_PAGE, SCREENSHOTS, mint_link, open_page, screenshot
from tests.browser.relay import Relay
from tests.browser.running import HttpClient

pytestmark = pytest.mark.browser

WORKSHEET = "fight-or-make-it-right"
CONTACT_HOW = "Text only, before 5 pm"
RECENT = "He shouted about money & <b>the car</b>; I went for a walk."
NOTE = "Sam named the fear plainly today. Next time: the safety plan, then money."
SEEN_MS = 10_000
"""How long the coach's view may take to show a change here (the benchmark measures the real figure)."""


CLIENTS = ("Sam Rivera", "Alex Moreno", "Jo Gone", "Robin Apart")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The two servers, with this module's clients in the store before the coach first looks."""
    with coach_and_clients(tmp_path_factory.mktemp("live-view")) as running:
        store = running.store()
        for name in CLIENTS:
            store.add_client(name)
        store.close()
        yield running


@pytest.fixture
def relay(servers: Servers) -> Iterator[Relay]:
    """The client's way to their server, which the test can cut."""
    opened = Relay(urlsplit(servers.clients).port or 80)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def coach(browser, servers: Servers) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        log_in(page, servers)
        yield page
    finally:
        context.close()


def new_client(servers: Servers, name: str) -> Client:
    """One of this module's clients (each test has its own)."""
    store = servers.store()
    try:
        [client] = store.find_clients(name)
        return client
    finally:
        store.close()


def follow(coach: Page, name: str) -> None:
    """Pick the client and press Follow live."""
    pick(coach, name)
    coach.get_by_role("button", name="Follow live").click()
    expect(card(coach, name)).to_be_visible(timeout=SEEN_MS)


def card(coach: Page, name: str):  # type: ignore[no-untyped-def]
    return coach.locator(".ck-live-card").filter(has=coach.get_by_role("heading", name=name, exact=True))


def question(page: Page, text: str):  # type: ignore[no-untyped-def]
    return page.locator(".ck-single").filter(has_text=text)


def shot(page: Page, name: str, selector: str = ".ck-live") -> Path:
    """A screenshot of the live view alone (the viewport grown to hold it: Voila scrolls inside its own
    container, which a full-page screenshot does not follow)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    page.evaluate("() => { for (const el of document.querySelectorAll('*')) el.scrollTop = 0; }")
    bottom = page.evaluate(f"() => document.querySelector({selector!r}).getBoundingClientRect().bottom")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(bottom) + 24)})
    page.locator(selector).first.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def test_the_coach_sees_each_answer_the_flag_and_then_the_summary(
    servers: Servers, coach: Page, phone: Page, relay: Relay
) -> None:
    client = new_client(servers, "Sam Rivera")
    follow(coach, "Sam Rivera")
    live = card(coach, "Sam Rivera")
    expect(live).to_contain_text("No page open now")

    open_page(phone, mint_link(servers.store(), client.code, WORKSHEET, relay.base_url), LOAD_TIMEOUT_MS)
    expect(coach.locator(".ck-open-now")).to_contain_text("Sam Rivera · “Fight or make it right?”")
    expect(live).to_contain_text("Page open now, showing “Fight or make it right?”", timeout=SEEN_MS)
    expect(live).to_contain_text("step 1 of 6, “Before we start”")

    # The safety question: the flag is on the coach's screen within moments, with the answer behind it.
    question(phone, "ever hurt you or made you afraid").get_by_label("Yes", exact=True).check()
    flags = live.locator(".ck-live-flags")
    expect(flags).to_contain_text("hurt them or made them afraid", timeout=SEEN_MS)
    expect(flags).to_have_attribute("role", "alert")
    expect(flags).to_contain_text("ever hurt you or made you afraid?”: Yes")
    question(phone, "hurt or frightened a partner").get_by_label("No", exact=True).check()
    expect(live.locator('[data-field="hurt_partner"]')).to_contain_text("No", timeout=SEEN_MS)
    question(phone, "Is it safe for your coach").get_by_label(
        "Yes, but only in some ways, or at some times"
    ).check()
    how = phone.get_by_label("How and when is it safe?")
    expect(how).to_be_visible()  # it appears once that answer has reached the server
    how.press_sequentially(CONTACT_HOW, delay=40)
    expect(live.locator('[data-field="contact_how"]')).to_contain_text(CONTACT_HOW, timeout=SEEN_MS)
    expect(live.locator('[data-field="been_hurt"]')).to_contain_text("private on their page")

    phone.get_by_role("button", name="Next").click()
    expect(live).to_contain_text("step 2 of 4, “Where you usually find yourself”", timeout=SEEN_MS)
    phone.get_by_label("I'm usually on the receiving end").check()
    expect(live.locator('[data-field="role"]')).to_contain_text("on the receiving end", timeout=SEEN_MS)
    phone.get_by_role("button", name="Next").click()
    expect(live).to_contain_text("step 3 of 4", timeout=SEEN_MS)
    phone.get_by_label("I sidestep a fight").check()
    expect(live.locator('[data-field="approach"]')).to_contain_text("I sidestep a fight", timeout=SEEN_MS)
    phone.get_by_role("button", name="Next").click()
    expect(live).to_contain_text("step 4 of 4", timeout=SEEN_MS)
    phone.get_by_label("About once a week").check()
    recent = phone.get_by_label("If you like: what happened in a recent fight?")
    expect(recent).to_be_visible()
    recent.press_sequentially(RECENT, delay=30)
    expect(live.locator('[data-field="recent_fight"]')).to_have_text(
        re.compile(re.escape(RECENT) + r" saved \d\d:\d\d:\d\d"), timeout=SEEN_MS
    )

    # The coach's note, during the session.
    live.locator(".ck-live-note-text textarea").fill(NOTE)
    expect(live.locator(".ck-live-note")).to_contain_text("Saved", timeout=SEEN_MS)
    shot(coach, "live-view-coach")
    screenshot(phone, "live-view-phone")

    phone.get_by_role("button", name="Finish").click()
    expect(live).to_contain_text("The summary they read", timeout=SEEN_MS)
    expect(live).to_contain_text("Finished “Fight or make it right?”")
    expect(live.get_by_text("They are here")).to_have_count(0)
    expect(live.locator(".ck-live-summary")).to_contain_text("not your fault")
    expect(live.locator(".ck-live-summary")).to_contain_text(RECENT)  # as text, not markup
    expect(live.locator(".ck-live-summary b")).to_have_count(0)
    shot(coach, "live-view-summary")

    # The note is the coach's: on their dashboard page for Sam, never on Sam's own pages.
    coach.get_by_role("button", name="Refresh").click()
    expect(coach.locator(".ck-notes")).to_contain_text(NOTE, timeout=SEEN_MS)
    phone.get_by_role("button", name="Everything you've done so far").click()
    expect(phone.get_by_text("Fight or make it right?").first).to_be_visible(timeout=SEEN_MS)
    assert NOTE not in phone.content() and "Sam named the fear" not in phone.content()


def test_a_reload_a_second_tab_and_a_lost_connection_are_said_plainly_and_recover(
    servers: Servers, coach: Page, phone: Page, relay: Relay
) -> None:
    client = new_client(servers, "Alex Moreno")
    follow(coach, "Alex Moreno")
    live = card(coach, "Alex Moreno")
    open_page(phone, mint_link(servers.store(), client.code, WORKSHEET, relay.base_url), LOAD_TIMEOUT_MS)
    expect(live).to_contain_text("Page open now", timeout=SEEN_MS)

    phone.reload()
    phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    events = live.locator(".ck-live-events")
    expect(events).to_contain_text(
        "Opened their page again (a reload, or another tab or window)", timeout=SEEN_MS
    )
    expect(live).to_contain_text("Page open now", timeout=60_000)  # the old page's kernel ends

    second = phone.context.new_page()
    second.goto(relay.base_url + CLIENT_PAGE)
    second.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(live).to_contain_text("Open in 2 tabs or windows", timeout=SEEN_MS)
    second.close()
    expect(live).to_contain_text("Page open now", timeout=60_000)

    relay.cut()  # out of signal
    expect(live).to_contain_text("Connection lost", timeout=SEEN_MS)
    expect(coach.locator(".ck-open-now")).to_contain_text(
        "Alex Moreno · “Fight or make it right?” (connection lost)"
    )
    shot(coach, "live-view-connection-lost")
    relay.restore()
    expect(live).to_contain_text("Page open now", timeout=60_000)
    expect(events).to_contain_text("Lost the connection to their page (or it was closed).")
    question(phone, "ever hurt you or made you afraid").get_by_label("No", exact=True).check()
    expect(live.locator('[data-field="been_hurt"]')).to_contain_text("No", timeout=SEEN_MS)


def test_a_client_deleted_while_followed_is_said_plainly(servers: Servers, coach: Page) -> None:
    client = new_client(servers, "Jo Gone")
    follow(coach, "Jo Gone")
    store = servers.store()
    try:
        store.remove_client(client.id)
    finally:
        store.close()
    expect(card(coach, "Jo Gone")).to_contain_text("Jo Gone was deleted, with every answer", timeout=SEEN_MS)
    card(coach, "Jo Gone").get_by_role("button", name="Stop following").click()
    expect(card(coach, "Jo Gone")).to_have_count(0)


# -- the coach's only -----------------------------------------------------------------------------------


def coach_kernel(coach: Page) -> str:
    config = coach.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)")
    return str(config["kernelId"])


def websocket_status(url: str, cookie: str) -> int:
    """The HTTP status a websocket handshake with this cookie gets (101: it opened). On a thread of its
    own: Playwright's sync API keeps an event loop running on this one."""

    async def handshake() -> int:
        request = HTTPRequest(url, headers={"Cookie": cookie} if cookie else {})
        try:
            connection = await websocket_connect(request)
        except HTTPClientError as refused:
            return refused.code
        connection.close()
        return 101

    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, handshake()).result()


def test_a_clients_cookie_code_and_websocket_reach_nothing_of_the_live_view(
    servers: Servers, coach: Page, phone: Page, tmp_path: Path
) -> None:
    client = new_client(servers, "Robin Apart")
    follow(coach, "Robin Apart")
    kernel = coach_kernel(coach)
    clients, dashboard = HttpClient(servers.clients), HttpClient(servers.dashboard)
    cookie = clients.sign_in(mint_link(servers.store(), client.code, WORKSHEET, servers.clients))

    # The client server has no coach notebook, no live view and no kernel of the coach's, signed in or not.
    for path in (
        "/voila/render/dashboard.ipynb",
        "/voila/render/../coach/notebooks/dashboard.ipynb",
        "/voila/render/coach/notebooks/dashboard.ipynb",
        f"/api/kernels/{kernel}",
        "/coachkit/live",
    ):
        status, _, body = clients.get(path, {"Cookie": cookie})
        assert status == 404, (path, status)
        assert b"In a session" not in body and b"Robin" not in body
    ws = servers.clients.replace("http:", "ws:") + f"/api/kernels/{kernel}/channels"
    assert (websocket_status(ws, cookie)) in (403, 404)

    # The dashboard opens to none of the client's: their cookie, their code as a token, or nothing.
    page = "/voila/render/dashboard.ipynb"
    for headers, query in (({"Cookie": cookie}, ""), ({}, f"?token={client.code}"), ({}, "")):
        status, found, body = dashboard.get(page + query, headers)
        assert status in (302, 403), (status, query)
        assert "/login" in found.get("location", "/login") and b"In a session" not in body
    dashboard_ws = servers.dashboard.replace("http:", "ws:") + f"/api/kernels/{kernel}/channels"
    for cookie_sent in (cookie, ""):
        assert (websocket_status(dashboard_ws, cookie_sent)) == 403
    assert (websocket_status(f"{dashboard_ws}?token={client.code}", "")) == 403

    # The client's own kernel takes widget messages only: code sent over its websocket never runs (it
    # answers a kernel_info_request on the same socket, so the socket itself works).
    marker = tmp_path / "ran.txt"
    open_page(phone, mint_link(servers.store(), client.code, WORKSHEET, servers.clients), LOAD_TIMEOUT_MS)
    code = f"open({str(marker)!r}, 'w').write('ran')\nfrom coachkit.coach.dashboard import open_dashboard"
    replies = phone.evaluate(SEND_TO_OWN_KERNEL, [message("info", "kernel_info_request", {}), RUN(code)])
    assert "kernel_info_reply" in replies
    assert not {"execute_reply", "execute_result", "display_data"} & set(replies)
    assert not marker.exists()


def message(msg_id: str, msg_type: str, content: dict[str, object]) -> dict[str, object]:
    """A Jupyter shell message as a browser sends it over the kernel's websocket (JSON protocol)."""
    header = {"msg_id": msg_id, "msg_type": msg_type, "session": "s", "username": "", "version": "5.3"}
    return {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}


def RUN(code: str) -> dict[str, object]:
    return message("run", "execute_request", {"code": code, "silent": False, "store_history": False})


SEND_TO_OWN_KERNEL = """(messages) => new Promise((done) => {
    // A second websocket to the page's own kernel (the page's cookie goes with it): send, then listen.
    const config = JSON.parse(document.getElementById('jupyter-config-data').textContent);
    const url = location.origin.replace('http', 'ws') + config.baseUrl + 'api/kernels/'
      + config.kernelId + '/channels';
    const socket = new WebSocket(url);
    const replies = [];
    socket.onmessage = (event) => {
      try { replies.push(JSON.parse(event.data).header.msg_type); } catch (error) { replies.push('binary'); }
    };
    socket.onopen = () => { messages.forEach((each) => socket.send(JSON.stringify(each))); };
    socket.onerror = () => done(replies);
    setTimeout(() => { socket.close(); done(replies); }, 4000);
})"""
