"""One client cannot take more than their share: at most two pages (kernels) each, the newest taking over
the oldest, which says so calmly and stays; a kernel that meets its memory limit ends and its page
resumes from what was saved; a page's widget messages are bounded in size and rate, which a client
typing as fast as a browser can never meets.

Real ``coachkit serve`` servers; kernels counted as real processes; forged messages sent over a second
websocket as a hostile page script could (``test_forged_messages.KernelSpy``).
"""

from __future__ import annotations

import json

import psutil
import pytest
from playwright.sync_api import Browser, Page, expect

from coachkit.logs import OUT_OF_MEMORY
from coachkit.ui.app import RESUMED
from coachkit.web.sockets import MAX_MESSAGE_BYTES
from tests.browser.conftest import CLIENT_PAGE, answer_the_safety_step, follow_link
from tests.browser.drafts import WORKSHEET, draft_at_the_text_step
from tests.browser.running import coachkit_server
from tests.browser.test_forged_messages import KernelSpy

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
GAVE_WAY = (
    "Your page is now open in another tab or window, so this one has stopped here. "
    "Anything you typed here is still on this page, so you can copy it across."
)
WIDGETS = """([url, count, size]) => new Promise((resolve) => {
    // Widgets the page never asked for, each holding a long text, sent as fast as the socket takes them.
    const socket = new WebSocket(url.replace(/^http/, "ws") + "?session_id=hoard");
    socket.onopen = () => {
        const text = "x".repeat(size);
        const state = {
            _model_name: "HTMLModel", _model_module: "@jupyter-widgets/controls",
            _model_module_version: "2.0.0", _view_name: "HTMLView",
            _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0", value: text,
        };
        for (let n = 0; n < count; n++) {
            socket.send(JSON.stringify({
                header: { msg_id: "hoard-" + n, username: "", session: "hoard", msg_type: "comm_open",
                          version: "5.3" },
                parent_header: {}, metadata: { version: "2.1.0" }, channel: "shell", buffers: [],
                content: { comm_id: "hoard-" + n, target_name: "jupyter.widget",
                           data: { state: state, buffer_paths: [] } },
            }));
        }
        resolve();
    };
    socket.onerror = () => resolve();
})"""
ONE_MESSAGE = """([url, message]) => new Promise((resolve) => {
    // One message on a socket of its own: how the socket closed (its code), or "open" after 3 s.
    const socket = new WebSocket(url.replace(/^http/, "ws") + "?session_id=one");
    socket.onopen = () => socket.send(message);
    socket.onclose = (event) => resolve(event.code);
    setTimeout(() => { resolve("open"); socket.close(); }, 3000);
})"""


def open_client_page(page: Page) -> None:
    page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)


def test_a_clients_third_page_takes_over_their_first_which_says_so_and_stays_as_it_is(
    tmp_path, browser: Browser
):
    with coachkit_server(tmp_path / "s", "--pages-per-client", "2") as served:
        store = served.store()
        alice, bob = store.add_client("Alma Again"), store.add_client("Bert Beside")
        context = browser.new_context(viewport={"width": 390, "height": 844})
        other = browser.new_context(viewport={"width": 390, "height": 844})
        try:
            first = context.new_page()
            follow_link(first, served.link(alice.code), LOAD_TIMEOUT_MS)
            open_client_page(first)
            second, third = context.new_page(), context.new_page()
            for page in (second, third):  # the same signed-in browser, more tabs
                page.goto(served.base_url + CLIENT_PAGE)
                open_client_page(page)
            notice = first.locator("#ck-elsewhere")
            expect(notice).to_contain_text(GAVE_WAY, timeout=30_000)
            served.wait_for_kernels(2, timeout=30)

            bobs = other.new_page()  # another client is not touched, and still gets in
            follow_link(bobs, served.link(bob.code), LOAD_TIMEOUT_MS)
            open_client_page(bobs)
            first.wait_for_timeout(5_000)  # calm: the old tab reloads nothing, takes nothing back
            assert "resume=1" not in first.url
            for page in (second, third, bobs):
                expect(page.locator("#ck-elsewhere")).to_have_count(0)
            assert len(served.kernels()) == 3

            notice.get_by_role("button", name="Carry on here instead").click()  # the client's choice
            first.wait_for_url("**resume=1**", timeout=LOAD_TIMEOUT_MS)
            open_client_page(first)
            expect(second.locator("#ck-elsewhere")).to_contain_text(GAVE_WAY, timeout=30_000)
            expect(third.locator("#ck-elsewhere")).to_have_count(0)
            served.wait_for_kernels(3, timeout=30)
        finally:
            context.close()
            other.close()


def test_a_kernel_at_its_memory_limit_ends_and_its_page_resumes_with_what_was_saved(tmp_path, phone: Page):
    with coachkit_server(tmp_path / "s", "--kernel-memory-mb", "300") as served:
        client = served.store().add_client("Hoa Hoarder")
        spy = KernelSpy(phone)
        follow_link(phone, served.link(client.code), LOAD_TIMEOUT_MS)
        open_client_page(phone)
        answer_the_safety_step(phone)
        phone.get_by_role("button", name="Next").click()
        expect(phone.get_by_text("Step 2 of 6", exact=True)).to_be_visible()
        [kernel] = served.kernels()

        phone.evaluate(WIDGETS, [spy.url, 500, 200_000])  # some 100 MB, far past its 300 MiB
        phone.wait_for_url("**resume=1**", timeout=120_000)
        open_client_page(phone)
        expect(phone.get_by_text(RESUMED)).to_be_visible()  # calm, and where they were
        expect(phone.get_by_text("Step 2 of 6", exact=True)).to_be_visible()
        assert not psutil.pid_exists(kernel.pid) or kernel.status() == psutil.STATUS_ZOMBIE
        assert OUT_OF_MEMORY in served.kernel_log.read_text()
        assert "Traceback" not in phone.content()


def test_a_page_typing_fast_is_never_held_back_and_an_oversized_message_never_reaches_the_kernel(
    tmp_path, desktop: Page
):
    with coachkit_server(tmp_path / "s") as served:
        store = served.store()
        client = store.add_client("Tess Typer")
        draft_at_the_text_step(store, client)
        spy = KernelSpy(desktop)
        follow_link(desktop, served.link(client.code, WORKSHEET), LOAD_TIMEOUT_MS)
        desktop.get_by_role("button", name="Continue where I left off").click(timeout=LOAD_TIMEOUT_MS)
        box = desktop.get_by_role("textbox").first
        box.press_sequentially("We argued about the dishes again, and I walked out. " * 6)  # no pauses
        expect(box).to_have_value("We argued about the dishes again, and I walked out. " * 6)
        desktop.wait_for_timeout(1_000)
        assert "slowed down" not in served.log()

        def comm_msg(comm_id: str, padding: int) -> str:
            content = {"comm_id": comm_id, "data": {"method": "update", "state": {"pad": "x" * padding}}}
            header = {"msg_id": comm_id, "username": "", "session": "one", "msg_type": "comm_msg"}
            message = {"header": {**header, "version": "5.3"}, "parent_header": {}, "metadata": {}}
            return json.dumps({**message, "content": content, "channel": "shell", "buffers": []})

        too_big = desktop.evaluate(ONE_MESSAGE, [spy.url, comm_msg("too-big", MAX_MESSAGE_BYTES)])
        small = desktop.evaluate(ONE_MESSAGE, [spy.url, comm_msg("small-one", 100)])
        assert too_big in (1006, 1009)  # closed before it was read (tornado's 1009, then the connection)
        assert small == "open"
        desktop.wait_for_timeout(2_000)
        kernels_saw = served.kernel_log.read_text()
        assert "No such comm: small-one" in kernels_saw  # what reaches the kernel is seen there
        assert "too-big" not in kernels_saw
        expect(box).to_be_editable()  # the page itself carries on
