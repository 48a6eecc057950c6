"""A real Voila server (started by ``coachkit serve``) and headless Debian Chromium, per test session."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from coachkit.links import WORKSHEET_NOTEBOOK, new_link
from coachkit.store import Store

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CLIENT_PAGE = f"/voila/render/{WORKSHEET_NOTEBOOK}"
"""Every client page's one address (what the link's Open button leads to)."""
PROJECT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("COACHKIT_SCREENSHOTS") or PROJECT / "test-artifacts" / "screenshots")
"""Where browser tests save screenshots: test-artifacts/ (ignored by git); ``make screenshots`` sets
``COACHKIT_SCREENSHOTS=docs/screenshots`` to refresh the ones the docs show."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    context = ssl._create_unverified_context() if url.startswith("https:") else None  # a test's own cert
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2, context=context):
                return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@dataclass
class Server:
    base_url: str
    database_url: str
    log_path: Path

    def store(self) -> Store:
        return Store(self.database_url)

    def link(self, worksheet_id: str | None, code: str) -> str:
        """A new link (it opens once) for the client with this code: to a worksheet, or (None) their page."""
        return mint_link(self.store(), code, worksheet_id, self.base_url)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def mint_link(store: Store, code: str, worksheet_id: str | None, base_url: str) -> str:
    """A new sign-in link for the client with ``code``, made as the coach's command makes it (the store is
    closed afterwards)."""
    try:
        client = store.find_client_by_code(code)
        assert client is not None, "a link is only made for a client the store knows"
        return new_link(store, client, worksheet_id, base_url)
    finally:
        store.close()


@contextmanager
def running_coachkit(
    arguments: list[str],
    log_path: Path,
    ready_path: str = "/",
    env: dict[str, str] | None = None,
    scheme: str = "http",
    port: int | None = None,
) -> Iterator[str]:
    """``coachkit ARGUMENTS --port PORT`` (a free one unless given) until the block ends (always
    stopped); yields its base URL."""
    port = port or free_port()
    command = [sys.executable, "-m", "coachkit.cli", *arguments, "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
    try:
        base_url = f"{scheme}://127.0.0.1:{port}"
        wait_for_http(base_url + ready_path, process)
        yield base_url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``coachkit serve`` on a free port with a store of its own; always stopped at the end."""
    folder = tmp_path_factory.mktemp("voila")
    database_url = f"sqlite:///{folder / 'store.sqlite'}"
    log_path = folder / "server.log"
    with running_coachkit(["serve", "--database", database_url], log_path) as base_url:
        yield Server(base_url, database_url, log_path)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: in CI the browser tests must run (make browser)")
        pytest.skip("Debian's chromium is not installed (make browser installs it as root)")
    return path


@pytest.fixture(scope="module")
def browser(chromium_path: str):  # type: ignore[no-untyped-def]
    """Chromium for one test module. Playwright's sync API keeps an asyncio loop running while it is
    open, so it must not outlive the browser tests: widget tests elsewhere would see that loop."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    """A page 390 px wide, like a phone."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def desktop(browser):  # type: ignore[no-untyped-def]
    """A page 1280 px wide."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def is_sign_in_link(url: str) -> bool:
    return "/link/" in urlsplit(url).path


def follow_link(page, url: str, timeout_ms: int = 90_000, wait_until: str = "commit") -> None:  # type: ignore[no-untyped-def]
    """Go to ``url`` as a client would: a sign-in link shows its page, and the client presses Open,
    which spends the link and replaces its page with the next one (the client's page, or the code page
    for a link that opens nothing), not waited for beyond ``wait_until``. Any other address is simply
    opened."""
    if not is_sign_in_link(url):
        page.goto(url, timeout=timeout_ms, wait_until=wait_until)
        return
    page.goto(url, timeout=timeout_ms)
    page.get_by_role("button", name="Open").click()
    page.wait_for_url(lambda now: not is_sign_in_link(now), timeout=timeout_ms, wait_until=wait_until)


def open_page(page, url: str, timeout_ms: int = 90_000) -> list[str]:  # type: ignore[no-untyped-def]
    """Open a client's link (pressing Open) and wait for the page; returns the list collecting any
    JavaScript dialogs."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    follow_link(page, url, timeout_ms)
    page.locator(".ck-app").first.wait_for(timeout=timeout_ms)
    return dialogs


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a screenshot to look at (``SCREENSHOTS``/NAME.png; ``make screenshots`` refreshes the docs')."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    # Voila scrolls inside its own container, so grow the viewport to the whole worksheet instead.
    page.evaluate("() => { for (const el of document.querySelectorAll('*')) el.scrollTop = 0; }")
    height = page.evaluate(
        "() => Math.ceil((document.querySelector('.ck-app') || document.body).getBoundingClientRect().bottom)"
        " + 24"
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def answer_the_safety_step(page) -> None:  # type: ignore[no-untyped-def]
    """The first step of the worksheets about fights, as a client who feels safe answers it."""
    for question in ("ever hurt you or made you afraid", "hurt or frightened a partner"):
        page.locator(".ck-single").filter(has_text=question).get_by_label("No", exact=True).check()
    page.get_by_label("Yes, any way is fine", exact=True).check()
