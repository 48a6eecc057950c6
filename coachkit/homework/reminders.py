"""Reminders: opt-in, safe, written to the outbox once each, and sent with a fresh link.

A client gets a reminder only if they turned reminders on themselves (their page: an address and an
hour), and only while their latest answer to "is it safe for your coach to get in touch?"
(``safe_contact``) is "any way" or "some ways, at some times" (they chose this way and time). "Please
wait", or no answer, means no mail. A reminder goes on an occurrence's due day, at their hour in their
time zone, if that occurrence is not done by then; one not written within a day of that moment (the
server was off) is let go rather than sent late.

Each pass (``write_due_reminders``) reads everything in one snapshot and writes the due ones to the
outbox with the key ``reminder:CLIENT:ASSIGNMENT:OCCURRENCE``, so none is written twice. The outbox keeps
the mail without its links (a copy of the store opens nothing): ``ReminderLinks`` puts a new one-time
link to the client's page and a stop link in each mail as it is sent.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from coachkit.homework.assigning import may_remind
from coachkit.homework.schedule import at_hour, local_day, standings, zone
from coachkit.i18n import N_, Words, resolve, words_for
from coachkit.links import sign_in_link
from coachkit.mail import Outgoing
from coachkit.settings import REMINDER_NAME, said_in
from coachkit.store import Mail, MissingEntry, Store
from coachkit.store.assignments import REMINDER, reminder_key
from coachkit.store.outbox import mail_row

SUBJECT = N_("A note from your coach")
LINK, STOP = "{link}", "{stop}"
BODY = N_(
    "Hello,\n\n"
    "Something is waiting for you on your page. Open it whenever it suits you:\n"
    "{link}\n\n"
    "The link opens once, for you. If it has been used, your code opens your page.\n\n"
    "To stop these notes, open this link: {stop}\n"
)
"""Word for word what a client receives (in their language: their choice, their coach's setting, or
their browser's as they last signed in): no name, no topic, no worksheet (the outbox keeps the two
placeholders; the links go in as it is sent)."""


def language_of(item: dict[str, object]) -> Words:
    """The words a client's reminders are written in."""
    kept = (item.get("chosen_language"), item.get("coach_language"), item.get("browser_language"))
    return words_for(resolve(*(str(value) if value else None for value in kept)))


LATE_BY_AT_MOST = dt.timedelta(days=1)
STOP_PATH = "coachkit/stop/"


def allowed(safe_contact_json: str | None) -> bool:
    """Whether the client's latest ``safe_contact`` answer (as stored, JSON) allows reminders."""
    try:
        return safe_contact_json is not None and may_remind(json.loads(safe_contact_json))
    except ValueError:
        return False


def _when(value: object) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def due_reminders(store: Store, now: dt.datetime) -> list[dict[str, object]]:
    """The outbox rows of every reminder due at ``now`` and not written yet."""
    assigned, completed, contact, written = store.reminder_rows(now.date())
    safe = {row[0]: allowed(row[1]) for row in contact.values}
    done: dict[tuple[int, str], list[dt.datetime]] = defaultdict(list)
    for client_id, worksheet_id, completed_at in completed.values:
        done[(client_id, worksheet_id)].append(_when(completed_at))
    mails = []
    for row in assigned.values:
        item = dict(zip(assigned.columns, row, strict=True))
        if not safe.get(item["client_id"], False) or item["remind_hour"] is None:
            continue
        where = zone(item["time_zone"])
        days = [local_day(moment, where) for moment in done[(item["client_id"], item["worksheet_id"])]]
        for standing in standings(
            _day(item["starts_on"]),
            _day(item["due_on"]) if item["due_on"] is not None else None,
            item["every_days"],
            item["times"],
            days,
            local_day(now, where),
        ):
            due_on = standing.occurrence.due_on
            if due_on is None or standing.done_on is not None:
                continue
            send_at = at_hour(due_on, item["remind_hour"], where)
            key = reminder_key(item["client_id"], item["assignment_id"], standing.occurrence.index)
            if send_at <= now < send_at + LATE_BY_AT_MOST and key not in written:
                words = language_of(item)
                mail = mail_row(REMINDER, item["email"], words(SUBJECT), words(BODY), now, dedupe_key=key)
                mails.append(mail)
    return mails


def write_due_reminders(store: Store) -> int:
    """One pass of the reminder loop: write every reminder due now to the outbox, once; how many new."""
    return store.queue_reminders(due_reminders(store, store.now()))


class ReminderLinks:
    """Fills a reminder's links as it is sent: a new link to the client's page (it opens once) and a
    stop link. None for a reminder whose client has gone (it is not sent)."""

    def __init__(self, store: Store, links_url: str) -> None:
        self.store = store
        self.links_url = links_url.rstrip("/")

    def __call__(self, mail: Mail) -> Outgoing | None:
        client_id = int((mail.dedupe_key or "::").split(":")[1] or 0)
        try:
            link = sign_in_link(self.store.add_sign_in_link(client_id), self.links_url)
            stop = f"{self.links_url}/{STOP_PATH}{self.store.add_reminder_stop(client_id)}"
        except MissingEntry:
            return None
        body = mail.body.replace(LINK, link).replace(STOP, stop)
        kept = self.store.get_languages(client_id)
        words = words_for(resolve(kept.chosen, kept.coach, kept.browser))
        name = said_in(self.store, REMINDER_NAME, words).strip()
        return Outgoing(mail.recipient, mail.subject, body, name)
