"""The server's own sender, across a kill -9: a reminder written and claimed, the server killed while it
waits on the mail server, then started again: the mail arrives exactly once. Also the stop link over
HTTP. The server's clock is a file the test moves (``$COACHKIT_TEST_CLOCK``); nothing sleeps to wait
for a time of day."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from coachkit.attempt import Attempt
from coachkit.clock import TEST_CLOCK_ENV
from coachkit.exercises import get_worksheet
from coachkit.homework.assigning import assign_worksheet
from coachkit.homework.reminders import SUBJECT
from coachkit.store import Store
from tests.browser.conftest import free_port, wait_for_http
from tests.browser.running import HttpClient
from tests.smtp import smtp_server

DUE = dt.date(2026, 3, 25)
AT_HOUR = dt.datetime(2026, 3, 25, 18, 5, tzinfo=dt.UTC)  # 18:05 in London, the client's hour 18


@contextmanager
def serving(database_url: str, clock: Path, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``coachkit serve`` sending mail every half second on the test's clock; killed (-9) if still up."""
    port = free_port()
    command = [sys.executable, "-m", "coachkit.cli", "serve", "--database", database_url, "--port", str(port)]
    command += ["--mail-every-seconds", "0.5", "--ready-kernels", "0"]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, TEST_CLOCK_ENV: str(clock)},
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/", process)
        yield process, base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def silent_mail_server() -> Iterator[int]:
    """A "mail server" that accepts connections and never says a word: a sender waits on it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def outbox(path: Path) -> list[tuple]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT claimed_at, sent_at, attempts FROM outbox").fetchall()


def until(check, timeout: float = 30):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("waited in vain")


@pytest.fixture
def ready(tmp_path):  # type: ignore[no-untyped-def]
    """A store with one client who asked for reminders, homework due on the 25th, and the clock before."""
    path = tmp_path / "store.sqlite"
    url = f"sqlite:///{path}"
    clock = tmp_path / "clock"
    clock.write_text(dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC).isoformat())
    store = Store(url, now=lambda: dt.datetime.fromisoformat(clock.read_text()))
    sam = store.add_client("Sam Lee")
    attempt = Attempt.start(store, get_worksheet("fight-or-make-it-right"), sam)
    attempt.save_step(0, {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "any"}, next_index=1)
    store.set_reminders(sam.id, "sam@example.org", 18, "Europe/London")
    assign_worksheet(store, sam, "anger-plan-practice", by="ana, test", due_on=DUE)
    for key, value in {
        "smtp_host": "127.0.0.1",
        "smtp_security": "none",
        "smtp_from": "ana@example.org",
    }.items():
        store.set_setting(key, value)
    store.close()
    return url, path, clock, tmp_path / "server.log"


def test_a_reminder_claimed_when_the_server_is_killed_is_sent_exactly_once_after_a_restart(ready):
    url, path, clock, log = ready
    with silent_mail_server() as stalled:
        Store(url).set_setting("smtp_port", str(stalled))
        with serving(url, clock, log) as (process, _):
            clock.write_text(AT_HOUR.isoformat())
            until(lambda: [row for row in outbox(path) if row[0] is not None])  # written, then claimed
            os.killpg(process.pid, signal.SIGKILL)  # while the sender waits on the mail server
            process.wait()
    [(_, sent, attempts)] = outbox(path)
    assert sent is None and attempts == 0
    with smtp_server() as (port, inbox):
        Store(url).set_setting("smtp_port", str(port))
        with serving(url, clock, log):
            time.sleep(2)  # several passes: the claim is the dead sender's for 5 minutes yet
            assert inbox.messages == []
            clock.write_text((AT_HOUR + dt.timedelta(minutes=6)).isoformat())
            until(lambda: inbox.messages)
            until(lambda: outbox(path)[0][1] is not None)
            time.sleep(2)  # and several more passes: nothing is sent again
        assert [message["Subject"] for message in inbox.messages] == [SUBJECT]
    assert len(outbox(path)) == 1


def test_the_stop_link_asks_first_then_stops(ready):
    url, _, clock, log = ready
    store = Store(url)
    client = store.find_clients()[0]
    key = store.add_reminder_stop(client.id)
    with serving(url, clock, log) as (_, base):
        http = HttpClient(base)
        action, xsrf, cookie = http.form_of(f"/coachkit/stop/{key}")
        assert Store(url).get_contact(client.id).reminders_on  # a link checker's GET stops nothing
        status, _, body = http.post(action, {"_xsrf": xsrf}, {"Cookie": cookie})
        assert status == 200 and b"No more notes" in body
        assert not Store(url).get_contact(client.id).reminders_on
        status, _, _ = http.post(action, {}, {})  # without its token: refused
        assert status == 403
