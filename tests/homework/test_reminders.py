"""Reminders: opt-in, only when the client's safe-contact answer allows it, at their hour in their time
zone, written once and sent once through a real SMTP server (aiosmtpd), with a fresh link each time."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from coachkit.attempt import Attempt
from coachkit.exercises import get_worksheet
from coachkit.homework.assigning import assign_worksheet
from coachkit.homework.reminders import BODY, SUBJECT, ReminderLinks, write_due_reminders
from coachkit.mail import PASSWORD_ENV, send_due
from coachkit.store import Store
from tests.smtp import free_port, smtp_server

pytestmark = pytest.mark.both_backends
FIGHT = get_worksheet("fight-or-make-it-right")
LOG = "anger-plan-practice"
LONDON = "Europe/London"
BASE = "https://notes.example.org/services/ana"


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(store) -> Clock:
    found = Clock(dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC))  # a Monday, clocks change on the 29th
    store.now = found
    return found


def set_mail(store: Store, port: int, **more: str) -> None:
    values = {
        "smtp_host": "127.0.0.1",
        "smtp_port": str(port),
        "smtp_security": "none",
        "smtp_from": "ana@example.org",
    }
    for key, value in {**values, **more}.items():
        store.set_setting(key, value)


def client(store: Store, name: str = "Sam Lee", safe_contact: str | None = "any", **reminders):
    found = store.add_client(name)
    if safe_contact is not None:
        attempt = Attempt.start(store, FIGHT, found)
        attempt.save_step(
            0, {"been_hurt": "no", "hurt_partner": "no", "safe_contact": safe_contact}, next_index=1
        )
    if reminders.get("email", "sam@example.org"):
        store.set_reminders(
            found.id, reminders.get("email", "sam@example.org"), reminders.get("hour", 18), LONDON
        )
    return found


def due_on(store, who, day: dt.date, **more):
    return assign_worksheet(store, who, LOG, by="ana, test", due_on=day, **more)


def test_a_reminder_is_written_at_the_clients_hour_on_the_due_day_and_only_once(store, clock):
    sam = client(store)
    due_on(store, sam, dt.date(2026, 3, 25))
    clock.now = dt.datetime(2026, 3, 25, 17, 59, tzinfo=dt.UTC)  # 17:59 in London (GMT)
    assert write_due_reminders(store) == 0
    clock.now = dt.datetime(2026, 3, 25, 18, 0, tzinfo=dt.UTC)
    assert write_due_reminders(store) == 1
    assert write_due_reminders(store) == 0  # the same reminder is never written twice
    [mail] = store.find_mail()
    assert (mail.kind, mail.recipient, mail.subject, mail.body) == (
        "reminder",
        "sam@example.org",
        SUBJECT,
        BODY,
    )


def test_the_hour_follows_the_clocks_across_a_daylight_saving_change(store, clock):
    sam = client(store, hour=8)
    due_on(store, sam, dt.date(2026, 3, 28))  # the Saturday: GMT, 08:00 is 08:00 UTC
    due_on(store, sam, dt.date(2026, 3, 29))  # the Sunday the clocks go forward: BST, 08:00 is 07:00 UTC
    clock.now = dt.datetime(2026, 3, 28, 8, 0, tzinfo=dt.UTC)
    assert write_due_reminders(store) == 1
    clock.now = dt.datetime(2026, 3, 29, 6, 59, tzinfo=dt.UTC)
    assert write_due_reminders(store) == 0
    clock.now = dt.datetime(2026, 3, 29, 7, 0, tzinfo=dt.UTC)
    assert write_due_reminders(store) == 1


def test_no_reminder_without_a_safe_contact_answer_that_allows_it(store, clock):
    wait = client(store, "Wen Wait", safe_contact="wait", email="wen@example.org")
    unasked = client(store, "Una Unasked", safe_contact=None, email="una@example.org")
    some = client(store, "Sol Some", safe_contact="some", email="sol@example.org")
    for who in (wait, unasked, some):
        due_on(store, who, dt.date(2026, 3, 24))
    clock.now = dt.datetime(2026, 3, 24, 18, 5, tzinfo=dt.UTC)
    assert write_due_reminders(store) == 1
    assert [mail.recipient for mail in store.find_mail()] == ["sol@example.org"]


def test_a_later_wait_answer_stops_reminders(store, clock):
    sam = client(store)
    due_on(store, sam, dt.date(2026, 3, 24))
    later = Attempt.start(store, FIGHT, sam)
    later.save_step(0, {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "wait"}, next_index=1)
    clock.now = dt.datetime(2026, 3, 24, 18, 5, tzinfo=dt.UTC)
    assert write_due_reminders(store) == 0


def test_done_homework_gets_no_reminder_and_late_ones_are_let_go(store, clock):
    sam = client(store)
    due_on(store, sam, dt.date(2026, 3, 24))
    due_on(store, sam, dt.date(2026, 3, 23), note="today")
    attempt = Attempt.start(store, get_worksheet(LOG), sam)
    attempt.complete({}, 0)
    clock.now = dt.datetime(2026, 3, 24, 18, 5, tzinfo=dt.UTC)
    assert write_due_reminders(store) == 0  # both done by the practice log finished on the 23rd
    ida = client(store, "Ida Idle", email="ida@example.org")
    due_on(store, ida, dt.date(2026, 3, 24))
    clock.now = dt.datetime(2026, 3, 25, 18, 1, tzinfo=dt.UTC)  # the server was off for over a day
    assert write_due_reminders(store) == 0


def test_each_weekly_occurrence_gets_its_own_reminder(store, clock):
    sam = client(store)
    assign_worksheet(store, sam, LOG, by="ana, test", every_days=7, times=2)
    sent = []
    for day in (29, 30, 5):  # due Sunday the 29th, then Sunday 5 April (BST: 18:00 is 17:00 UTC)
        month = 4 if day == 5 else 3
        clock.now = dt.datetime(2026, month, day, 17, 0, tzinfo=dt.UTC)
        sent.append(write_due_reminders(store))
    assert sent == [1, 0, 1]


def test_unassigning_stopping_and_deleting_the_client_drop_reminders_not_yet_sent(store, clock):
    sam, ida, tom = (
        client(store),
        client(store, "Ida Lee", email="ida@example.org"),
        client(store, "Tom Lee", email="tom@example.org"),
    )
    assignment = due_on(store, sam, dt.date(2026, 3, 24))
    for who in (ida, tom):
        due_on(store, who, dt.date(2026, 3, 24))
    clock.now = dt.datetime(2026, 3, 24, 18, 5, tzinfo=dt.UTC)
    assert write_due_reminders(store) == 3
    store.end_assignments([assignment.id], "ana, test")
    store.stop_reminders(ida.id)
    store.remove_client(tom.id)
    assert store.find_mail(unsent_only=True) == []
    assert store.get_assignment(assignment.id).ended_by == "ana, test"  # kept, with who ended it


def test_mail_goes_once_with_a_fresh_link_and_a_stop_link(store, clock):
    sam = client(store)
    due_on(store, sam, dt.date(2026, 3, 24))
    due_on(store, sam, dt.date(2026, 3, 25))
    with smtp_server() as (port, inbox):
        set_mail(store, port)
        links = {"reminder": ReminderLinks(store, BASE)}
        for day in (24, 25):
            clock.now = dt.datetime(2026, 3, day, 18, 5, tzinfo=dt.UTC)
            write_due_reminders(store)
            assert send_due(store, prepare=links).sent == 1
            assert send_due(store, prepare=links).sent == 0
        messages = inbox.wait_for(2)
    assert [m["Subject"] for m in messages] == [SUBJECT, SUBJECT]
    assert messages[0]["From"] == "Your coach <ana@example.org>"
    texts = [m.get_payload(decode=True).decode() for m in messages]
    keys = [re.search(r"/link/([\w-]+)", text).group(1) for text in texts]
    assert keys[0] != keys[1]  # a new link in each reminder
    for text in texts:
        for secret in ("Sam", "anger", "practice", "fight", sam.code):
            assert secret not in text
    assert all(mail.body == BODY for mail in store.find_mail())  # the outbox keeps no live link
    session, _ = store.use_sign_in_link(keys[1])
    assert (session.client_id, session.sheet) == (sam.id, None)  # their own page
    stop = re.search(r"/coachkit/stop/([\w-]+)", texts[0]).group(1)
    assert store.use_reminder_stop(stop)
    assert not store.get_contact(sam.id).reminders_on and store.get_contact(sam.id).email is None
    assert not store.use_reminder_stop("not-a-key")


def test_a_wrong_password_keeps_the_reminder_and_sends_it_once_later(store, clock):
    sam = client(store)
    due_on(store, sam, dt.date(2026, 3, 24))
    clock.now = dt.datetime(2026, 3, 24, 18, 5, tzinfo=dt.UTC)
    write_due_reminders(store)
    with smtp_server(user="ana", password="right") as (port, inbox):
        set_mail(store, port, smtp_user="ana")
        links = {"reminder": ReminderLinks(store, BASE)}
        assert send_due(store, {PASSWORD_ENV: "wrong"}, links).failed == 1
        [waiting] = store.find_mail(unsent_only=True)
        assert "password" in waiting.last_error and waiting.body == BODY
        clock.now += dt.timedelta(minutes=5)
        assert send_due(store, {PASSWORD_ENV: "right"}, links).sent == 1
        assert len(inbox.wait_for(1)) == 1
    assert store.count_unsent_mail() == 0


def test_a_refused_address_stays_in_the_outbox_with_its_reason(store, clock):
    sam = client(store, email="nobody@bounce.example.org")
    due_on(store, sam, dt.date(2026, 3, 24))
    clock.now = dt.datetime(2026, 3, 24, 18, 5, tzinfo=dt.UTC)
    write_due_reminders(store)
    with smtp_server(refuse="bounce.example.org") as (port, inbox):
        set_mail(store, port)
        report = send_due(store, prepare={"reminder": ReminderLinks(store, BASE)})
    assert report.failed == 1 and inbox.messages == []
    [waiting] = store.find_mail(unsent_only=True)
    assert waiting.last_error == "the mail server refused the address it was sent to"


def test_an_unreachable_mail_server_keeps_the_reminder_for_later(store, clock):
    sam = client(store)
    due_on(store, sam, dt.date(2026, 3, 24))
    clock.now = dt.datetime(2026, 3, 24, 18, 5, tzinfo=dt.UTC)
    write_due_reminders(store)
    set_mail(store, free_port())  # nothing listens there
    assert send_due(store, prepare={"reminder": ReminderLinks(store, BASE)}).failed == 1
    [waiting] = store.find_mail(unsent_only=True)
    assert (waiting.last_error, waiting.attempts, waiting.body) == (
        "the mail server could not be reached",
        1,
        BODY,
    )
    assert write_due_reminders(store) == 0  # still written once
