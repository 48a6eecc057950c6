"""The client's own page, its first part: what the coach assigned, with due dates, and reminders.

Each open assignment is a button that opens its worksheet, with its due day in the client's words
("due Friday", "was due Tuesday"), the coach's note, and a calendar file for the due day. Until the client
types their code in this visit, an assignment whose worksheet asks anything private (a ``sensitive``
question: every built-in worksheet about fights or loss does) is not named: it reads "Worksheet 1 from
your coach, due Friday", and its note is not shown; the calendar file is neutral anyway. Reminders by
email are set up here, only once the code is typed (the address is private too) and only while the
client's latest answer to "is it safe for your coach to get in touch?" allows it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import escape

import ipywidgets as w

from coachkit.exercises import all_worksheets, worksheets_in
from coachkit.homework.assigning import Homework, may_remind
from coachkit.homework.calendar import data_link, due_day_ics
from coachkit.i18n import ENGLISH, N_, Words
from coachkit.store import Client, Store
from coachkit.ui import markup
from coachkit.widgets.guard import guarded

HEADING = N_("From your coach")
NEUTRAL = N_("Worksheet {number} from your coach")
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}")
REMINDERS = N_("Reminders by email")
ASK_REMINDERS = N_(
    "Would a short note help, on the day something is due? It says only “A note from your coach”, "
    "with a link to this page. You can stop it from any note."
)
SOME_WAYS = N_(
    "You told your coach that only some ways or times are safe to get in touch. Turn this on only if an "
    "email, at the hour you pick, is one of them."
)
REMINDERS_ON = N_("Notes go to {email} at {hour} ({zone}), on the day something is due.")
CALENDAR = N_("Add to my calendar")
BAD_EMAIL = N_("That doesn't look like an email address. Please check it.")


def is_private(sheet_id: str) -> bool:
    """Whether a worksheet's title is named only once the code is typed: it asks something private."""
    sheet = all_worksheets().get(sheet_id)
    return sheet is None or any(item.sensitive for _, item in sheet.all_fields())


def weekday(day: dt.date, today: dt.date, words: Words = ENGLISH) -> str:
    """A due day as a person says it: "today", "tomorrow", "Friday" (this week), else "Friday 12 June"."""
    days = (day - today).days
    if days == 0:
        return words("today")
    if days == 1:
        return words("tomorrow")
    if days == -1:
        return words("yesterday")
    if 1 < abs(days) < 7:
        return words.weekday(day)
    return words.weekday_and_date(day)


def due_words(homework: Homework, words: Words = ENGLISH) -> str:
    """When it is due, in the client's words."""
    current = homework.current
    occurrence = current.occurrence
    if current.state == "upcoming":
        opens = weekday(occurrence.opens_on, homework.today, words)
        if occurrence.due_on:
            due = weekday(occurrence.due_on, homework.today, words)
            return words("from {opens}, due {due}", opens=opens, due=due)
        return words("from {opens}", opens=opens)
    if occurrence.due_on is None:
        return ""
    day = weekday(occurrence.due_on, homework.today, words)
    return words("was due {day}", day=day) if current.state == "overdue" else words("due {day}", day=day)


def label(homework: Homework, number: int, revealed: bool, words: Words = ENGLISH) -> str:
    sheet_id = homework.assignment.worksheet_id
    title = (
        worksheets_in(words.language)[sheet_id].title
        if revealed or not is_private(sheet_id)
        else words(NEUTRAL, number=number)
    )
    when = due_words(homework, words)
    return words("{title}, {when}", title=title, when=when) if when else title


def assigned(
    homework: list[Homework],
    revealed: bool,
    navigate: Callable[[str | None], None] | None,
    calendar_title: str,
    now: object,
    on_error: Callable[[str], None],
    words: Words = ENGLISH,
) -> list[w.Widget]:
    """The "From your coach" section: a button for each open assignment, with its note and calendar."""
    shown = [
        item for item in homework if not item.finished and item.assignment.worksheet_id in all_worksheets()
    ]
    if not shown:
        return []
    rows: list[w.Widget] = []
    for number, item in enumerate(shown, 1):
        button = w.Button(description=label(item, number, revealed, words))
        button.add_class("ck-button")
        button.add_class("ck-link-button")
        if item.current.state == "overdue":
            button.add_class("ck-overdue")
        if navigate is not None:
            sheet = item.assignment.worksheet_id
            button.on_click(guarded(lambda _, to=sheet: navigate(to), on_error))
        extra = ""
        if item.assignment.note and (revealed or not is_private(item.assignment.worksheet_id)):
            extra += markup.paragraph(item.assignment.note, "ck-muted ck-note")
        due = item.current.occurrence.due_on
        if due is not None:
            ics = due_day_ics(due, calendar_title, now)  # type: ignore[arg-type]
            link = f'<a download="notes.ics" href="{data_link(ics)}">{escape(words(CALENDAR))}</a>'
            day = escape(weekday(due, item.today, words))
            extra += f'<p class="ck-calendar">{link} <span class="ck-muted">({day})</span></p>'
        rows.append(w.VBox([button, w.HTML(extra)]) if extra else button)
    column = w.VBox(rows)
    column.add_class("ck-next")
    column.add_class("ck-assigned")
    return [w.HTML(markup.heading(words(HEADING), 2)), column]


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


class ReminderPanel:
    """Turning reminders on (an address and an hour) or off, for a client who typed their code."""

    def __init__(
        self,
        store: Store,
        client: Client,
        time_zone: str,
        on_error: Callable[[str], None],
        words: Words = ENGLISH,
    ) -> None:
        self.words = words
        self.store = store
        self.client = client
        self.time_zone = time_zone
        self.on_error = on_error
        self.view = w.VBox()
        self.view.add_class("ck-reminders")
        self.render()

    def render(self, message: str = "") -> None:
        contact = self.store.get_contact(self.client.id)
        safe = self.store.find_latest_answers(self.client.id, ["safe_contact"]).get("safe_contact")
        _ = self.words
        parts: list[w.Widget] = [w.HTML(markup.heading(_(REMINDERS), 2))]
        if contact.reminders_on and contact.email:
            said = _(
                REMINDERS_ON,
                email=contact.email,
                hour=hour_label(contact.remind_hour or 0),
                zone=contact.time_zone or "?",
            )
            stop = w.Button(description=_("Stop reminders"))
            stop.add_class("ck-button")
            stop.on_click(guarded(lambda _: self.stop(), self.on_error))
            parts += [w.HTML(markup.paragraph(said)), stop]
        else:
            parts.append(w.HTML(markup.paragraph(_(ASK_REMINDERS))))
            if safe == "some":
                parts.append(w.HTML(markup.paragraph(_(SOME_WAYS), "ck-private")))
            self.email = w.Text(description=_("Email"), placeholder=_("you@example.org"))
            self.email.add_class("ck-field")
            self.hour = w.Dropdown(
                description=_("At"), options=[(hour_label(h), h) for h in range(6, 23)], value=18
            )
            self.hour.add_class("ck-field")
            start = w.Button(description=_("Send me reminders"))
            start.add_class("ck-button")
            start.on_click(guarded(lambda _: self.start(), self.on_error))
            zone = w.HTML(markup.paragraph(_("Your time zone: {zone}", zone=self.time_zone), "ck-muted"))
            parts += [self.email, self.hour, zone, start]
        if message:
            parts.append(w.HTML(f'<div class="ck-error" role="alert">{escape(_(message))}</div>'))
        if not may_remind(safe) and not contact.reminders_on:
            parts = []
        self.view.children = parts

    def start(self) -> None:
        address = (self.email.value or "").strip()
        if not EMAIL.fullmatch(address):
            self.render(BAD_EMAIL)
            return
        self.store.set_reminders(self.client.id, address, int(self.hour.value), self.time_zone)
        self.render()

    def stop(self) -> None:
        self.store.stop_reminders(self.client.id)
        self.render()
