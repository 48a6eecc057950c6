"""A coach's JupyterLab through the Hub, in Chromium: logging in, and a terminal typed in as a coach
types, whose output is read from what the terminal receives (its websocket), not from the screen."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import psutil
from playwright.sync_api import Browser, BrowserContext, Page, WebSocket

from coachkit.practice.description import Coach
from tests.browser.conftest import SCREENSHOTS
from tests.hub.running import RunningPractice

SERVER_TIMEOUT_MS = 180_000
COMMAND_TIMEOUT_S = 180.0
ESCAPES = re.compile(r"\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]|\r")
PROMPT = re.compile(r"\$ $")


def screenshot_path(name: str) -> Path:
    """Where to save a screenshot of a whole page (``tests.browser.conftest.SCREENSHOTS``)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def log_in(browser: Browser, practice: RunningPractice, coach: Coach) -> tuple[BrowserContext, Page]:
    """Log ``coach`` in at the Hub; their server starts and opens on their dashboard."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(practice.practice.login_url())
    page.locator("#username_input").fill(coach.name)
    page.locator("#password_input").fill(practice.passwords[coach.name])
    page.locator("#login_submit").click()
    page.wait_for_url(re.compile(r".*/voila/render/dashboard\.ipynb.*"), timeout=SERVER_TIMEOUT_MS)
    page.locator(".ck-dash").first.wait_for(timeout=SERVER_TIMEOUT_MS)
    return context, page


class Terminal:
    """A new terminal in the coach's JupyterLab (File › New › Terminal, from the Launcher)."""

    def __init__(self, page: Page, practice: RunningPractice, coach: Coach) -> None:
        self.page = page
        self.received: list[str] = []
        page.on("websocket", self._listen)
        page.goto(practice.practice.server_url(coach) + "lab", timeout=SERVER_TIMEOUT_MS)
        page.locator(".jp-LauncherCard", has_text="Terminal").first.click(timeout=SERVER_TIMEOUT_MS)
        page.locator(".jp-Terminal").first.wait_for(timeout=SERVER_TIMEOUT_MS)
        self._wait(lambda text: PROMPT.search(text) is not None, 0, "the first prompt")

    def _listen(self, socket: WebSocket) -> None:
        if "/terminals/websocket/" in socket.url:
            socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        message = json.loads(payload)
        if message[0] == "stdout":
            self.received.append(message[1])

    def text(self, since: int = 0) -> str:
        """What the terminal showed from the ``since``-th piece on, without colours and titles."""
        return ESCAPES.sub("", "".join(self.received[since:]))

    def _wait(self, done, since: int, what: str, timeout: float = COMMAND_TIMEOUT_S) -> str:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text(since)
            if done(text):
                return text
            self.page.wait_for_timeout(250)  # (the page's events arrive only while Playwright waits)
        raise AssertionError(f"no {what} in the terminal within {timeout:.0f} s; it shows:\n{self.text()}")

    def run(self, command: str, timeout: float = COMMAND_TIMEOUT_S) -> str:
        """Type ``command`` and Enter, as a coach does; what it printed once the prompt came back."""
        since = len(self.received)
        self.page.locator(".jp-Terminal textarea").first.focus()
        self.page.keyboard.type(command)
        self.page.keyboard.press("Enter")
        shown = self._wait(
            lambda text: "\n" in text and PROMPT.search(text) is not None, since, command, timeout
        )
        return shown.split("\n", 1)[1].rsplit("\n", 1)[0]  # between the line typed and the next prompt


def _pid(coach: Coach, wanted, what: str) -> int:  # type: ignore[no-untyped-def]
    for process in psutil.process_iter(["username", "cmdline"]):
        if process.info["username"] == coach.name and wanted(process.info["cmdline"] or []):
            return process.pid
    raise AssertionError(f"{coach.name}'s {what} is not running")


def server_pid(coach: Coach) -> int:
    """The coach's client server (``coachkit serve … --leave-out-broken``, as their account)."""
    return _pid(
        coach, lambda command: "serve" in command and "--leave-out-broken" in command, "client server"
    )


def singleuser_pid(coach: Coach) -> int:
    """The coach's JupyterLab (their Hub server)."""
    return _pid(coach, lambda command: "jupyterhub-singleuser" in " ".join(command), "JupyterLab")
