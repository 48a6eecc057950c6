"""Sending the outbox's mail through the coach's own mail server, and the alert a safety flag writes.

The coach gives the settings any mail program asks for (``smtp_host``, ``smtp_port``, ``smtp_security``,
``smtp_user``, ``smtp_from``); the password is read from ``$COACHKIT_SMTP_PASSWORD`` when mail is sent,
so it is never stored, logged or on a command line. ``send_due`` sends what is due, once: each mail is
claimed, sent, then marked sent; one that fails is tried again later, each time waiting longer (up to a
day), and stays in the outbox with its error for the coach to see, never dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from coachkit.settings import (
    ALERT_EMAIL,
    SMTP_FROM,
    SMTP_HOST,
    SMTP_PORT,
    SMTP_SECURITY,
    SMTP_USER,
    read_settings,
)
from coachkit.store import Mail, Store

log = logging.getLogger("coachkit.mail")
PASSWORD_ENV = "COACHKIT_SMTP_PASSWORD"
TIMEOUT_SECONDS = 20
LONGEST_WAIT = dt.timedelta(hours=24)
SECURITIES = ("starttls", "tls", "none")


class MailSettingsError(ValueError):
    """The coach's mail settings cannot work as they are; the message says which and how to mend it."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str
    user: str
    sender: str
    password: str = ""


def mail_settings(values: dict[str, str], environ: dict[str, str] | None = None) -> MailSettings:
    """The settings as one whole, checked; ``MailSettingsError`` says what to change."""
    environ = dict(os.environ) if environ is None else environ
    host = values[SMTP_HOST.key].strip()
    security = values[SMTP_SECURITY.key].strip().lower()
    if not host:
        raise MailSettingsError("no mail server is set: coachkit settings smtp-host HOST")
    if security not in SECURITIES:
        raise MailSettingsError(f"smtp-security must be one of {', '.join(SECURITIES)}, not {security!r}")
    if security == "none" and host not in ("localhost", "127.0.0.1", "::1"):
        raise MailSettingsError("smtp-security none is only for a mail server on this machine (localhost)")
    try:
        port = int(values[SMTP_PORT.key])
    except ValueError:
        raise MailSettingsError(f"smtp-port must be a number, not {values[SMTP_PORT.key]!r}") from None
    sender = values[SMTP_FROM.key].strip() or values[ALERT_EMAIL.key].strip()
    if "@" not in sender:
        raise MailSettingsError("no sender address: coachkit settings smtp-from ADDRESS (or alert-email)")
    return MailSettings(
        host, port, security, values[SMTP_USER.key].strip(), sender, environ.get(PASSWORD_ENV, "")
    )


@dataclass(frozen=True)
class Outgoing:
    """A mail as it goes out: the outbox's, or what a kind's ``Prepare`` made of it."""

    recipient: str
    subject: str
    body: str
    sender_name: str = ""


Prepare = Callable[[Mail], "Outgoing | None"]
"""Makes a mail of one kind ready as it is sent (a reminder's fresh links); None: it must not go."""


def send(settings: MailSettings, recipient: str, subject: str, body: str, *, sender_name: str = "") -> None:
    """Send one mail now (from ``sender_name`` at the coach's address, if given); smtplib's errors (and
    ``OSError``) pass through."""
    message = EmailMessage()
    message["From"] = formataddr((sender_name, settings.sender)) if sender_name else settings.sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="coachkit.invalid")
    message.set_content(body)
    context = ssl.create_default_context()
    if settings.security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    with client:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.user:
            client.login(settings.user, settings.password)
        client.send_message(message)


def plain_error(error: BaseException) -> str:
    """What went wrong, in words a coach can act on; never the password."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"the mail server refused the user name or password (set ${PASSWORD_ENV})"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "the mail server refused the address it was sent to"
    if isinstance(error, smtplib.SMTPException):
        return f"the mail server said no ({type(error).__name__})"
    if isinstance(error, OSError):
        return "the mail server could not be reached"
    return f"sending failed ({type(error).__name__})"


def retry_after(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most a day."""
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), LONGEST_WAIT)


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0
    problem: str = ""


def send_due(
    store: Store, environ: dict[str, str] | None = None, prepare: Mapping[str, Prepare] | None = None
) -> SendReport:
    """Send every mail that is due, once each; failures wait and are tried again later. ``prepare``
    makes mail of a kind ready as it goes (by kind: ``{"reminder": ReminderLinks(…)}``)."""
    try:
        settings = mail_settings(read_settings(store), environ)
    except MailSettingsError as error:
        return SendReport(problem=str(error)) if store.count_unsent_mail() else SendReport()
    sent = failed = 0
    for mail in store.claim_due_mail():
        if _send_one(store, settings, mail, (prepare or {}).get(mail.kind)):
            sent += 1
        else:
            failed += 1
    return SendReport(sent, failed)


def _send_one(store: Store, settings: MailSettings, mail: Mail, prepare: Prepare | None) -> bool:
    try:
        outgoing = prepare(mail) if prepare else Outgoing(mail.recipient, mail.subject, mail.body)
        if outgoing is None:
            store.drop_mail(mail.id)
            return True
        send(settings, outgoing.recipient, outgoing.subject, outgoing.body, sender_name=outgoing.sender_name)
    except Exception as error:  # every failure is kept with the mail, for the coach to see
        log.warning("A mail could not be sent: %s", plain_error(error))
        store.mark_mail_failed(mail.id, plain_error(error), store.now() + retry_after(mail.attempts + 1))
        return False
    store.mark_mail_sent(mail.id)
    return True
