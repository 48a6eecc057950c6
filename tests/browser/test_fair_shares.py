"""One client cannot take more than their share: at most two pages (kernels) each, the newest taking over
the oldest, which says so calmly and stays; a kernel that meets its memory limit ends and its page
resumes from what was saved; a page's widget messages are bounded in size and rate, which a client
typing as fast as a browser can never meets.

Real ``coachkit serve`` servers; kernels counted as real processes; forged messages sent over a second
websocket as a hostile page script could (``test_forged_messages.KernelSpy``).
"""

from __future__ import annotations

import json
import time

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
        draft = draft_at_the_text_step(store, client)
        spy = KernelSpy(desktop)
        follow_link(desktop, served.link(client.code, WORKSHEET), LOAD_TIMEOUT_MS)
        desktop.get_by_role("button", name="Continue where I left off").click(timeout=LOAD_TIMEOUT_MS)
        typed = "We argued about the dishes again, and I walked out. " * 6
        box = desktop.get_by_role("textbox").first
        box.press_sequentially(typed)  # as fast as the browser types, no pauses
        expect(box).to_have_value(typed)
        wait_for_answer(store, draft.id, "recent_fight", typed)
        assert "slowed down" not in served.log()

        # Two forged updates, each to a box of the page: one over the size bound, one small. A value that
        # reaches the kernel is saved within a second, as if typed.
        story, making_right = box_models(spy)
        big = update(making_right, {"value": "The big one arrived.", "pad": "x" * MAX_MESSAGE_BYTES})
        small = update(story, {"value": "The small one arrived."})
        assert desktop.evaluate(ONE_MESSAGE, [spy.url, big]) in (1006, 1009)  # closed before it was read
        assert desktop.evaluate(ONE_MESSAGE, [spy.url, small]) == "open"
        wait_for_answer(store, draft.id, "recent_fight", "The small one arrived.")
        assert store.get_answers(draft.id).get("making_it_right") is None  # the big one never arrived
        expect(box).to_be_editable()  # the page itself carries on


def box_models(spy: KernelSpy) -> tuple[str, str]:
    """The page's two text boxes' widget models: what happened, and making it right."""
    boxes = {
        model_id: str(state.get("description", ""))
        for model_id, state in spy.models.items()
        if state.get("_model_name") == "TextareaModel"
    }
    story = next(model_id for model_id, label in boxes.items() if "what happened" in label)
    making_right = next(model_id for model_id, label in boxes.items() if "making it right" in label)
    return story, making_right


def update(comm_id: str, state: dict[str, str]) -> str:
    header = {"msg_id": f"one-{comm_id}", "username": "", "session": "one", "msg_type": "comm_msg"}
    content = {"comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": []}}
    message = {"header": {**header, "version": "5.3"}, "parent_header": {}, "metadata": {}}
    return json.dumps({**message, "content": content, "channel": "shell", "buffers": []})


def wait_for_answer(store, response_id: int, field_id: str, value: str, within: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + within
    while store.get_answers(response_id).get(field_id) != value:
        assert time.monotonic() < deadline, f"{field_id} is {store.get_answers(response_id).get(field_id)!r}"
        time.sleep(0.2)
