"""A hostile page: widget messages forged over the kernel's websocket save nothing invalid.

Voila forwards comm messages from the browser unchecked, so anyone holding a worksheet link can click a
hidden button, force an option index, send a value of the wrong type or an over-long text. The server
must refuse all of it, save only valid answers, and never send a traceback back.
"""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest
from playwright.sync_api import Page, WebSocket, expect

from coachkit.kernels import SafeKernelManager
from tests.browser.conftest import Server, follow_link

pytestmark = pytest.mark.browser

WORKSHEET = "fight-or-make-it-right"
LOAD_TIMEOUT_MS = 90_000
TRACEBACK_MARKERS = ("Traceback", "TraitError", 'File "', "site-packages", "coachkit/")


def parse_frame(payload: str | bytes) -> dict[str, Any]:
    """A Jupyter message from a websocket frame (JSON, or the binary v1 protocol)."""
    if isinstance(payload, str):
        return json.loads(payload)
    count = struct.unpack_from("<Q", payload, 0)[0]
    offsets = [struct.unpack_from("<Q", payload, 8 * (i + 1))[0] for i in range(count)]
    parts = [payload[offsets[i] : offsets[i + 1] if i + 1 < count else len(payload)] for i in range(count)]
    message: dict[str, Any] = {"channel": parts[0].decode()}
    for key, part in zip(("header", "parent_header", "metadata", "content"), parts[1:5], strict=False):
        message[key] = json.loads(part)
    return message


class KernelSpy:
    """Watches the page's kernel websocket and forges comm messages on a second one."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.url = ""
        self.raw: list[str] = []
        self.models: dict[str, dict[str, Any]] = {}
        page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        if "/channels" in socket.url:
            self.url = socket.url.split("?")[0]
            socket.on("framereceived", self._received)

    def _received(self, payload: str | bytes) -> None:
        self.raw.append(payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))
        message = parse_frame(payload)
        content = message.get("content", {})
        kind = message.get("header", {}).get("msg_type")
        if kind == "comm_open":
            self.models[content["comm_id"]] = dict(content["data"]["state"])
        elif kind == "comm_msg":
            data = content.get("data", {})
            if data.get("method") == "update_states":
                for model_id, entry in data["states"].items():
                    self.models[model_id] = {"_model_name": entry["model_name"], **entry["state"]}
            elif data.get("method") in {"update", "echo_update"}:
                self.models.setdefault(content["comm_id"], {}).update(data.get("state", {}))

    def find(self, model_name: str, **state: Any) -> str:
        """The id of the newest live model of this kind with these trait values."""
        matches = [
            model_id
            for model_id, traits in self.models.items()
            if traits.get("_model_name") == model_name and all(traits.get(k) == v for k, v in state.items())
        ]
        assert matches, f"no {model_name} with {state}"
        return matches[-1]

    def forge(self, comm_id: str, data: dict[str, Any]) -> None:
        """Send one comm message to the kernel, as a hostile page script could."""
        message = {
            "header": {
                "msg_id": f"forged-{len(self.raw)}-{comm_id}",
                "username": "",
                "session": "forged",
                "msg_type": "comm_msg",
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": {},
            "content": {"comm_id": comm_id, "data": data},
            "channel": "shell",
            "buffers": [],
        }
        self.page.evaluate(
            """([url, text]) => new Promise((resolve, reject) => {
                const socket = new WebSocket(url.replace(/^http/, "ws") + "?session_id=forged");
                socket.onopen = () => {
                    socket.send(text);
                    setTimeout(() => { socket.close(); resolve(); }, 300);
                };
                socket.onerror = () => reject(new Error("websocket refused"));
            })""",
            [self.url, json.dumps(message)],
        )

    def click(self, comm_id: str) -> None:
        self.forge(comm_id, {"method": "custom", "content": {"event": "click"}})

    def set_state(self, comm_id: str, **state: Any) -> None:
        self.forge(comm_id, {"method": "update", "state": state, "buffer_paths": []})

    def tracebacks(self) -> list[str]:
        return [frame[:300] for frame in self.raw if any(marker in frame for marker in TRACEBACK_MARKERS)]


def open_worksheet(page: Page, server: Server, code: str) -> KernelSpy:
    spy = KernelSpy(page)
    follow_link(page, server.link(WORKSHEET, code), LOAD_TIMEOUT_MS)
    page.locator(".ck-app .widget-radio").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(page.get_by_text("Step 1 of 6", exact=True)).to_be_visible()
    return spy


def test_forged_messages_save_nothing_invalid_and_send_no_traceback(server: Server, desktop: Page) -> None:
    store = server.store()
    client = store.add_client("Quinn Forger")
    spy = open_worksheet(desktop, server, client.code)
    desktop.wait_for_timeout(500)
    next_button = spy.find("ButtonModel", description="Next")
    back_button = spy.find("ButtonModel", description="Back")
    # The newest of the two safety questions' radio groups: "have you hurt or frightened a partner?"
    hurt_partner = spy.find("RadioButtonsModel", _options_labels=["Yes", "No", "I'd rather not say"])

    spy.click(back_button)  # hidden on the first step
    spy.set_state(hurt_partner, index=99)  # an option that does not exist
    spy.set_state(hurt_partner, index="no")  # a value of the wrong type
    spy.click(next_button)
    expect(desktop.get_by_text("Please choose one of the options.").first).to_be_visible()
    expect(desktop.get_by_text("Step 1 of 6", exact=True)).to_be_visible()
    [response] = store.find_responses(client.id, WORKSHEET)
    assert store.get_answers(response.id) == {}

    spy.set_state(hurt_partner, index=1)  # a real option: "No"
    desktop.locator(".ck-single").filter(has_text="ever hurt you or made you afraid").get_by_label(
        "No", exact=True
    ).check()
    desktop.get_by_label("Yes, any way is fine").check()
    desktop.wait_for_timeout(300)
    spy.click(next_button)
    spy.click(next_button)  # a forged double click moves one step only
    expect(desktop.get_by_text("Step 2 of 6", exact=True)).to_be_visible()
    desktop.wait_for_timeout(1500)
    expect(desktop.get_by_text("Step 2 of 6", exact=True)).to_be_visible()
    assert store.get_answers(response.id) == {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "any"}

    desktop.get_by_label("Both, it depends").check()
    desktop.get_by_role("button", name="Next").click()
    expect(desktop.get_by_text("Step 3 of 6", exact=True)).to_be_visible()
    desktop.get_by_label("I look for a fight").check()
    desktop.get_by_role("button", name="Next").click()
    expect(desktop.get_by_text("Step 4 of 6", exact=True)).to_be_visible()
    desktop.get_by_label("Trying to make things right").check()
    desktop.get_by_role("button", name="Next").click()
    expect(desktop.get_by_text("Step 5 of 6", exact=True)).to_be_visible()
    for index in range(5):
        desktop.locator(".ck-yesno").nth(index).get_by_label("No", exact=True).check()
    desktop.get_by_role("button", name="Next").click()
    expect(desktop.get_by_text("Step 6 of 6", exact=True)).to_be_visible()
    desktop.wait_for_timeout(500)

    recent_fight = spy.find("TextareaModel", placeholder="")
    spy.set_state(recent_fight, value=["not", "text"])  # wrong type: refused by the widget itself
    spy.set_state(recent_fight, value="x" * 5000)  # over this box's 4,000 characters
    desktop.get_by_label("About once a month").check()
    desktop.wait_for_timeout(300)
    spy.click(next_button)
    expect(desktop.get_by_text("That is 5,000 characters")).to_be_visible()
    expect(desktop.get_by_text("Step 6 of 6", exact=True)).to_be_visible()
    assert "recent_fight" not in store.get_answers(response.id)

    assert spy.tracebacks() == []
    # The refused values did raise in the kernel; the server withholds error messages from the page
    # (coachkit.web.sockets), so not even jupyter_server's plain replacement reaches it.
    assert not any(
        SafeKernelManager.traceback_replacement_message.default_value in frame for frame in spy.raw
    )
