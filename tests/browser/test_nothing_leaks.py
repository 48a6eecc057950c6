"""Nothing the kernel logs reaches the page: every websocket frame, in every failure path, is clean.

Each test watches every frame the page receives while something goes wrong (two tabs on one draft, a
client deleted while their page is open, a locked store, a read-only store, a full disk, forged widget
messages) and finds no traceback, file path or exception name. The client sees plain words only; the
details go to the kernels' private log (0600, in a 0700 folder), which carries no exception message.
"""

from __future__ import annotations

import json
import re
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, WebSocket, expect

from coachkit.store import Store
from coachkit.ui.app import STORE_DOWN
from coachkit.ui.wizard import FINISHED_ELSEWHERE, GONE, NOT_SAVED, TAKEN_OVER
from coachkit.web.signin import SESSION_COOKIE
from coachkit.widgets.guard import SOMETHING_WENT_WRONG
from tests.browser.conftest import follow_link
from tests.browser.running import PAGE, Running, coachkit_server
from tests.browser.test_forged_messages import KernelSpy
from tests.browser.test_load_and_faults import (
    SHEET,
    WORKSHEET,
    answer_step,
    client_answers,
    expect_step,
    injected,
    step_answers,
    walk,
)

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
STORE_WAIT_MS = 40_000
"""A save against a locked store fails after the store's 15 s busy timeout."""
LEAKS = {
    "traceback": re.compile(r"Traceback|most recent call last"),
    "file path": re.compile(r"\w\.py\b|site-packages|/tmp/|/usr/|/root/|/home/|/work/"),
    "exception name": re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception|Warning)\b"),
    "database words": re.compile(r"(?i)sqlite|sqlalchemy|\bSQL\b|database is locked|disk is full"),
}
SECRET_TEXT = "A secret only this client knows: the blue kettle."


class Frames:
    """Every websocket frame a page receives, as text."""

    def __init__(self, page: Page) -> None:
        self.texts: list[str] = []
        page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._received)

    def _received(self, payload: str | bytes) -> None:
        self.texts.append(payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))

    def leaks(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name, pattern in LEAKS.items():
            hits = [match.group(0) for text in self.texts for match in pattern.finditer(text)]
            if hits:
                found[name] = sorted(set(hits))[:5]
        return found


def open_worksheet(page: Page, served: Running, code: str) -> Frames:
    return open_url(page, served.link(code))


def open_url(page: Page, url: str) -> Frames:
    """Open a link (pressing Open) or an address, watching every frame from the start."""
    frames = Frames(page)
    follow_link(page, url, LOAD_TIMEOUT_MS)
    page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    return frames


def assert_private_kernel_log(served: Running, *expected: str) -> str:
    """The kernels' log: only the coach may read it, it holds no client text, and it has ``expected``."""
    log_file = served.kernel_log
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_file.parent.stat().st_mode) == 0o700
    text = log_file.read_text(errors="replace")
    for line in expected:
        assert line in text, f"{line!r} not in the kernel log"
    assert SECRET_TEXT not in text
    return text


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with coachkit_server(tmp_path_factory.mktemp("leaks")) as running:
        yield running


def test_two_tabs_on_one_draft(served: Running, browser: Browser) -> None:
    client = served.store().add_client("Tam Tabs")
    answers = client_answers(1)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        first, second = context.new_page(), context.new_page()
        first_frames = open_worksheet(first, served, client.code)
        walk(first, answers, 0, 0)
        second_frames = open_worksheet(second, served, client.code)
        second.get_by_role("button", name="Continue where I left off").click()
        expect_step(second, 2)
        # The first tab saves (its autosave) after the second took over: it is told kindly and stops.
        answer_step(first, 1, answers)
        expect(first.get_by_text(TAKEN_OVER)).to_be_visible()
        expect(first.get_by_role("button", name="Next")).to_be_disabled()

        # Finish on a draft already finished in another tab.
        third = context.new_page()
        third_frames = open_worksheet(third, served, client.code)
        third.get_by_role("button", name="Continue where I left off").click()
        walk(third, answers, 1, 4)
        answer_step(third, 5, answers)
        third.wait_for_timeout(1_000)  # saved as it stands
        fourth = context.new_page()
        fourth_frames = open_worksheet(fourth, served, client.code)
        fourth.get_by_role("button", name="Continue where I left off").click()
        walk(fourth, answers, 5, 5, code=client.code)  # finishes the worksheet there
        third.get_by_role("button", name="Finish").click()
        expect(third.get_by_text(FINISHED_ELSEWHERE)).to_be_visible()
        for frames in (first_frames, second_frames, third_frames, fourth_frames):
            assert frames.leaks() == {}
    finally:
        context.close()


def test_a_client_deleted_while_their_page_is_open(served: Running, phone: Page) -> None:
    client = served.store().add_client("Del Deleted")
    frames = open_worksheet(phone, served, client.code)
    walk(phone, client_answers(2), 0, 0)
    deleted = subprocess.run(
        [
            sys.executable,
            "-m",
            "coachkit.cli",
            "client",
            "delete",
            client.code,
            "--yes",
            "--database",
            served.database_url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Deleted" in deleted.stdout
    answer_step(phone, 1, client_answers(2))
    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_text(GONE)).to_be_visible()
    assert frames.leaks() == {}
    assert_private_kernel_log(served)


def test_a_locked_store(served: Running, phone: Page) -> None:
    client = served.store().add_client("Lock Locked")
    frames = open_worksheet(phone, served, client.code)
    walk(phone, client_answers(3), 0, 0)
    path = served.database_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(30, holder.rollback)
    release.start()
    try:
        answer_step(phone, 1, client_answers(3))
        phone.get_by_role("button", name="Next").click()
        expect(phone.get_by_text(NOT_SAVED)).to_be_visible(timeout=STORE_WAIT_MS)
    finally:
        release.cancel()
        holder.rollback()
        holder.close()
    assert frames.leaks() == {}
    assert_private_kernel_log(served)


def test_forged_widget_messages(served: Running, desktop: Page) -> None:
    client = served.store().add_client("Fay Forger")
    spy = KernelSpy(desktop)
    frames = open_worksheet(desktop, served, client.code)
    desktop.wait_for_timeout(500)
    approach = spy.find("RadioButtonsModel")
    next_button = spy.find("ButtonModel", description="Next")
    spy.set_state(approach, index=99)
    spy.set_state(approach, index="look")
    spy.forge("no-such-comm", {"method": "update", "state": {"value": 1}, "buffer_paths": []})
    spy.forge(next_button, {"method": "no-such-method"})
    spy.click(next_button)
    expect(desktop.get_by_text("Please choose one of the options.").first).to_be_visible()
    desktop.wait_for_timeout(1_000)
    assert frames.leaks() == {}
    assert spy.tracebacks() == []
    # ipykernel's own complaints went to the private log, not to the page (a repeated warning is written
    # once and then counted, so the forged comm's own line may be one of the counted ones).
    assert_private_kernel_log(served, "No such comm:", "no-such-method")


def test_a_read_only_store(tmp_path: Path, browser: Browser) -> None:
    path = tmp_path / "store.sqlite"
    store = Store(f"sqlite:///{path}")
    newcomer = store.add_client("Nat Newcomer")
    client = store.add_client("Rob Readonly")
    answers = client_answers(5)
    response = store.start_response(client.id, WORKSHEET, 1)
    for index in range(4):
        step = SHEET.steps[index].id
        store.save_step(response.id, step, step_answers(answers, index), current_step=index + 1)
    # Both opened their links while the store could still be written (signing in writes).
    tokens = [store.start_session(c.id, WORKSHEET)[1] for c in (newcomer, client)]
    spare = f"/link/{store.add_sign_in_link(newcomer.id)}"
    store.close()
    folder = tmp_path / "served"
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        with coachkit_server(folder, "--log-dir", str(folder / "logs"), database_url=read_only) as served:
            context.add_cookies(
                [{"name": SESSION_COOKIE, "value": tokens[0], "url": served.base_url}]  # the newcomer's
            )
            first = context.new_page()
            first_frames = open_url(first, served.base_url + PAGE)  # no draft can be started
            expect(first.get_by_text(STORE_DOWN)).to_be_visible()
            context.clear_cookies()
            context.add_cookies([{"name": SESSION_COOKIE, "value": tokens[1], "url": served.base_url}])
            second = context.new_page()
            second_frames = open_url(second, served.base_url + PAGE)
            second.get_by_role("button", name="Continue where I left off").click()
            expect_step(second, 5)  # the draft opens: reading needs no writing
            answer_step(second, 4, answers)  # the autosave cannot write
            plain = second.get_by_text(NOT_SAVED).or_(second.get_by_text(SOMETHING_WENT_WRONG))
            expect(plain).to_be_visible(timeout=STORE_WAIT_MS)
            assert first_frames.leaks() == {}
            assert second_frames.leaks() == {}
            # A link cannot be spent on a store that cannot be written: a plain "try again" page.
            assert served.post(spare)[0] == 403  # no XSRF token: refused
            action, xsrf, cookie = served.form_of(spare)
            status, _, body = served.post(action, {"_xsrf": xsrf}, {"Cookie": cookie})
            assert status == 503 and b"try again in a minute" in body.lower()
            assert_private_kernel_log(served)
    finally:
        context.close()


def full_disk_fault(flag: Path) -> str:
    """Kernels' store connections may not grow the file once ``flag`` exists: a full disk."""
    return f"""
import os
from pathlib import Path

if os.environ.get("JPY_PARENT_PID"):  # kernels only
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "begin")
    def full(connection):
        if Path({str(flag)!r}).exists():
            raw = connection.connection.dbapi_connection
            pages = raw.execute("PRAGMA page_count").fetchone()[0]
            raw.execute(f"PRAGMA max_page_count={{pages}}")
"""


def test_a_full_disk(tmp_path: Path, phone: Page) -> None:
    flag = tmp_path / "disk-is-full"
    with coachkit_server(tmp_path / "s", env=injected(tmp_path, full_disk_fault(flag))) as served:
        client = served.store().add_client("Flo Full")
        answers = {**client_answers(4), "recent_fight": SECRET_TEXT + " " + "x" * 3_800}
        frames = open_worksheet(phone, served, client.code)
        walk(phone, answers, 0, 4)
        expect_step(phone, 6)
        flag.touch()
        answer_step(phone, 5, answers)  # the long text needs room the disk no longer has
        phone.get_by_role("button", name="Finish").click()
        expect(phone.get_by_text(NOT_SAVED)).to_be_visible(timeout=STORE_WAIT_MS)
        expect_step(phone, 6)
        assert frames.leaks() == {}
        assert_private_kernel_log(served)


def test_the_leak_patterns_catch_what_they_must() -> None:
    """The checks above could not pass by accident: each pattern finds its kind of leak."""
    samples = {
        "traceback": 'Traceback (most recent call last):\n  File "x"',
        "file path": "/work/x/coachkit/store/facade.py",
        "exception name": "sqlalchemy.exc.OperationalError: database is locked",
        "database words": "(sqlite3.OperationalError) database is locked",
    }
    for name, sample in samples.items():
        assert LEAKS[name].search(sample), name
    clean = json.dumps({"content": {"data": {"state": {"value": "<div class='ck-error'>Please…</div>"}}}})
    assert not any(pattern.search(clean) for pattern in LEAKS.values())
