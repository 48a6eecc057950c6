"""A flood of forged widget messages cannot fill the disk: the kernel log stays under its cap, and the
same error, 2,000 times over, is one traceback and a line that counts the rest.

A real ``coachkit serve`` with a small cap (``--log-cap-mb``), a real page in Chromium, and 2,000
forged comm messages sent over one websocket as a hostile page script could (the message format of
``test_forged_messages``). The server holds such a flood back to its kernel's share
(``coachkit.web.sockets``): every message still arrives, only more slowly.
"""

from __future__ import annotations

import json
import re
import stat
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from coachkit.capped_logs import LOG_FILES, files_of
from coachkit.web.sockets import BURST_SECONDS, MESSAGES_PER_SECOND
from tests.browser.conftest import follow_link
from tests.browser.running import Running, coachkit_server
from tests.browser.test_forged_messages import KernelSpy

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
CAP_MB = 0.25
CAP = int(CAP_MB * 2**20)
FORGED = 2_000
ERROR = "Exception in message handler:"
"""What ipykernel logs, with a traceback, for a comm message without a comm id."""
COUNTED = re.compile(
    r"The same error ([\d,]+) more times in the last \d+ s \(Exception in message handler:\)"
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with coachkit_server(tmp_path_factory.mktemp("flood"), "--log-cap-mb", str(CAP_MB)) as running:
        yield running


def forged(content: dict[str, Any], count: int) -> list[str]:
    return [
        json.dumps(
            {
                "header": {
                    "msg_id": f"flood-{n}",
                    "username": "",
                    "session": "forged",
                    "msg_type": "comm_msg",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": content,
                "channel": "shell",
                "buffers": [],
            }
        )
        for n in range(count)
    ]


def send_all(page: Page, url: str, messages: list[str]) -> float:
    """Every message over one websocket of its own, as fast as the browser sends them; the socket stays
    open until the kernel has answered every one (two status messages each come back over it), or 90
    seconds. Returns the seconds until the last answer."""
    return page.evaluate(
        """([url, messages]) => new Promise((resolve, reject) => {
            const socket = new WebSocket(url.replace(/^http/, "ws") + "?session_id=flood");
            let replies = 0;
            socket.onmessage = () => { replies += 1; };
            socket.onopen = () => {
                for (const message of messages) socket.send(message);
                const started = Date.now();
                const waiting = () => {
                    if (replies >= 2 * messages.length || Date.now() - started > 90000) {
                        socket.close();
                        resolve((Date.now() - started) / 1000);
                    } else {
                        setTimeout(waiting, 200);
                    }
                };
                waiting();
            };
            socket.onerror = () => reject(new Error("websocket refused"));
        })""",
        [url, messages],
    )


def counted_in(text: str) -> int:
    return sum(int(found.replace(",", "")) for found in COUNTED.findall(text))


def test_two_thousand_forged_messages_leave_the_log_under_its_cap_with_the_repeats_counted(
    served: Running, desktop: Page
) -> None:
    client = served.store().add_client("Flo Flood")
    spy = KernelSpy(desktop)
    follow_link(desktop, served.link(client.code), LOAD_TIMEOUT_MS)
    desktop.locator(".ck-app .widget-radio").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    desktop.wait_for_timeout(500)
    spy.find("RadioButtonsModel")  # the page's widgets are there: its websocket is known

    seconds = send_all(desktop, spy.url, forged({"data": {"method": "update", "state": {}}}, FORGED))
    held_back = (FORGED - MESSAGES_PER_SECOND * BURST_SECONDS) / MESSAGES_PER_SECOND
    assert seconds >= 0.9 * held_back  # the flood went through at the kernel's share, no faster
    assert "slowed down" in served.log()
    deadline = time.monotonic() + 120
    text = ""
    while time.monotonic() < deadline:
        text = "".join(found.read_text(errors="replace") for found in reversed(files_of(served.kernel_log)))
        if counted_in(text) + text.count(f"ERROR {ERROR}") >= FORGED:
            break
        time.sleep(1)

    tracebacks = text.count("Traceback (most recent call last)")
    assert 1 <= tracebacks <= 5, f"{tracebacks} tracebacks"
    assert text.count(f"ERROR {ERROR}") == tracebacks
    assert counted_in(text) + tracebacks == FORGED
    assert sum(found.stat().st_size for found in files_of(served.kernel_log)) <= CAP
    assert len(files_of(served.kernel_log)) <= LOG_FILES
    for found in files_of(served.kernel_log):
        assert stat.S_IMODE(found.stat().st_mode) == 0o600
    assert stat.S_IMODE(served.kernel_log.parent.stat().st_mode) == 0o700
    assert "Traceback" not in served.log()
    assert spy.tracebacks() == []
    # The page carries on: the client answers the step as if nothing had happened.
    desktop.get_by_label("No", exact=True).first.check()
    expect(desktop.get_by_label("No", exact=True).first).to_be_checked()
