"""Alerts to the coach: written with the flag that raises them, sent once through a real SMTP server.

The outbox runs on both databases; the mail server is aiosmtpd on loopback, started by the test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from coachkit.alerts import ALERT_BODY, ALERT_SUBJECT
from coachkit.attempt import Attempt
from coachkit.exercises import get_worksheet
from coachkit.mail import PASSWORD_ENV, MailSettingsError, mail_settings, retry_after, send_due
from coachkit.settings import COACH_ALERTED, COACH_WILL_SEE, page_context, read_settings
from coachkit.store import Store
from tests.smtp import free_port, smtp_server

pytestmark = pytest.mark.both_backends
FIGHT = get_worksheet("fight-or-make-it-right")
COACH = "coach@example.org"


def set_mail(store: Store, port: int, **more: str) -> None:
    for key, value in {
        "alert_email": COACH,
        "smtp_host": "127.0.0.1",
        "smtp_port": str(port),
        "smtp_security": "none",
        **more,
    }.items():
        store.set_setting(key, value)


def answer_safety(store: Store, name: str, **answers: str) -> Attempt:
    attempt = Attempt.start(store, FIGHT, store.add_client(name))
    step = {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "any", **answers}
    attempt.save_step(0, step, next_index=1)
    return attempt


def test_the_page_says_the_coach_is_alerted_only_once_alerts_are_set_up(store):
    assert page_context(store)["coach_told"] == COACH_WILL_SEE
    store.set_setting("alert_email", COACH)
    assert page_context(store)["coach_told"] == COACH_WILL_SEE  # an address, but no way to send yet
    set_mail(store, 25)
    assert page_context(store)["coach_told"] == COACH_ALERTED


def test_an_urgent_flag_writes_one_alert_with_it_and_a_gentle_one_none(store):
    set_mail(store, 25)
    attempt = answer_safety(store, "Hana Hurt", been_hurt="yes")
    attempt.save_step(0, {"been_hurt": "yes", "hurt_partner": "no", "safe_contact": "any"}, next_index=1)
    [alert] = store.find_mail()
    assert (alert.kind, alert.recipient, alert.subject) == ("alert", COACH, ALERT_SUBJECT)
    answer_safety(store, "Nia Notsaid", been_hurt="rather_not_say")  # gentle: no alert
    assert len(store.find_mail()) == 1


def test_without_alert_settings_nothing_is_written(store):
    answer_safety(store, "Hana Hurt", been_hurt="yes")
    assert store.find_mail() == []


def test_an_alert_names_no_client_and_no_answer(store):
    set_mail(store, 25)
    answer_safety(store, "Zoë Private", been_hurt="yes", safe_contact="some", contact_how="texts after 6")
    [alert] = store.find_mail()
    for secret in ("Zoë", "Private", "texts after 6", "hurt", store.find_clients()[0].code):
        assert secret not in alert.subject + alert.body
    assert alert.body == ALERT_BODY


def test_due_mail_is_sent_once_through_the_coachs_server(store):
    with smtp_server() as (port, inbox):
        set_mail(store, port)
        answer_safety(store, "Hana Hurt", been_hurt="yes")
        answer_safety(store, "Pat Physical", hurt_partner="yes")
        assert send_due(store).sent == 2
        assert send_due(store).sent == 0  # nothing twice
        messages = inbox.wait_for(2)
    assert [m["Subject"] for m in messages] == [ALERT_SUBJECT, ALERT_SUBJECT]
    assert all(m["To"] == COACH and m["From"] == COACH for m in messages)
    assert store.count_unsent_mail() == 0


def test_a_wrong_password_is_kept_with_the_mail_and_tried_again_later(store, monkeypatch):
    clock = [dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)]
    store.now = lambda: clock[0]
    with smtp_server(user="ana", password="right") as (port, inbox):
        set_mail(store, port, smtp_user="ana")
        answer_safety(store, "Hana Hurt", been_hurt="yes")
        report = send_due(store, {PASSWORD_ENV: "wrong"})
        assert (report.sent, report.failed) == (0, 1)
        [waiting] = store.find_mail(unsent_only=True)
        assert "refused the user name or password" in waiting.last_error
        assert "wrong" not in waiting.last_error
        assert waiting.due_at == clock[0] + retry_after(1)
        assert send_due(store, {PASSWORD_ENV: "right"}).sent == 0  # not due yet
        clock[0] += dt.timedelta(minutes=2)
        assert send_due(store, {PASSWORD_ENV: "right"}).sent == 1
        assert len(inbox.wait_for(1)) == 1


def test_an_unreachable_server_loses_nothing(store):
    set_mail(store, free_port())  # nothing listens there
    answer_safety(store, "Hana Hurt", been_hurt="yes")
    report = send_due(store)
    assert report.failed == 1
    [waiting] = store.find_mail(unsent_only=True)
    assert waiting.last_error == "the mail server could not be reached" and waiting.attempts == 1


def test_a_sender_that_died_mid_send_leaves_its_mail_to_the_next(store):
    clock = [dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)]
    store.now = lambda: clock[0]
    set_mail(store, 25)
    answer_safety(store, "Hana Hurt", been_hurt="yes")
    assert len(store.claim_due_mail()) == 1  # claimed, then the sender is killed before it marks it
    assert store.claim_due_mail() == []
    clock[0] += dt.timedelta(minutes=6)
    assert len(store.claim_due_mail()) == 1


def test_settings_that_cannot_work_say_what_to_change_and_keep_the_mail(store):
    store.set_setting("alert_email", COACH)
    store.set_setting("smtp_host", "mail.example.org")
    store.set_setting("smtp_security", "none")
    with pytest.raises(MailSettingsError, match="only for a mail server on this machine"):
        mail_settings(read_settings(store))
    store.set_setting("smtp_security", "sometimes")
    with pytest.raises(MailSettingsError, match="starttls, tls, none"):
        mail_settings(read_settings(store))
    store.queue_mail("alert", COACH, ALERT_SUBJECT, ALERT_BODY)
    report = send_due(store)
    assert "smtp-security" in report.problem and store.count_unsent_mail() == 1


def test_the_same_mail_is_never_written_twice(store):
    assert store.queue_mail("alert", COACH, "s", "b", dedupe_key="k")
    assert not store.queue_mail("alert", COACH, "s", "b", dedupe_key="k")
    assert len(store.find_mail()) == 1
