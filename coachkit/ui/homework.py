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

import re
from collections.abc import Callable
from html import escape

import ipywidgets as w

from coachkit.exercises import all_worksheets
from coachkit.homework.assigning import Homework, may_remind
from coachkit.homework.calendar import data_link, due_day_ics
from coachkit.homework.schedule import weekday
from coachkit.store import Client, Store
from coachkit.ui import markup
from coachkit.widgets.guard import guarded

HEADING = "From your coach"
NEUTRAL = "Worksheet {number} from your coach"
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}")
REMINDERS = "Reminders by email"
ASK_REMINDERS = (
    "Would a short note help, on the day something is due? It says only “A note from your coach”, "
    "with a link to this page. You can stop it from any note."
)
SOME_WAYS = (
    "You told your coach that only some ways or times are safe to get in touch. Turn this on only if an "
    "email, at the hour you pick, is one of them."
)
REMINDERS_ON = "Notes go to {email} at {hour} ({zone}), on the day something is due."
CALENDAR = "Add to my calendar"
BAD_EMAIL = "That doesn't look like an email address. Please check it."


def is_private(sheet_id: str) -> bool:
    """Whether a worksheet's title is named only once the code is typed: it asks something private."""
    sheet = all_worksheets().get(sheet_id)
    return sheet is None or any(item.sensitive for _, item in sheet.all_fields())


def due_words(homework: Homework) -> str:
    """When it is due, in the client's words."""
    current = homework.current
    occurrence = current.occurrence
    if current.state == "upcoming":
        opens = f"from {weekday(occurrence.opens_on, homework.today)}"
        due = f", due {weekday(occurrence.due_on, homework.today)}" if occurrence.due_on else ""
        return opens + due
    if occurrence.due_on is None:
        return ""
    day = weekday(occurrence.due_on, homework.today)
    return f"was due {day}" if current.state == "overdue" else f"due {day}"


def label(homework: Homework, number: int, revealed: bool) -> str:
    sheet_id = homework.assignment.worksheet_id
    title = (
        all_worksheets()[sheet_id].title
        if revealed or not is_private(sheet_id)
        else NEUTRAL.format(number=number)
    )
    when = due_words(homework)
    return f"{title}, {when}" if when else title


def assigned(
    homework: list[Homework],
    revealed: bool,
    navigate: Callable[[str | None], None] | None,
    calendar_title: str,
    now: object,
    on_error: Callable[[str], None],
) -> list[w.Widget]:
    """The "From your coach" section: a button for each open assignment, with its note and calendar."""
    shown = [
        item for item in homework if not item.finished and item.assignment.worksheet_id in all_worksheets()
    ]
    if not shown:
        return []
    rows: list[w.Widget] = []
    for number, item in enumerate(shown, 1):
        button = w.Button(description=label(item, number, revealed))
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
            link = f'<a download="notes.ics" href="{data_link(ics)}">{escape(CALENDAR)}</a>'
            day = escape(weekday(due, item.today))
            extra += f'<p class="ck-calendar">{link} <span class="ck-muted">({day})</span></p>'
        rows.append(w.VBox([button, w.HTML(extra)]) if extra else button)
    column = w.VBox(rows)
    column.add_class("ck-next")
    column.add_class("ck-assigned")
    return [w.HTML(markup.heading(HEADING, 2)), column]


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


class ReminderPanel:
    """Turning reminders on (an address and an hour) or off, for a client who typed their code."""

    def __init__(self, store: Store, client: Client, time_zone: str, on_error: Callable[[str], None]) -> None:
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
        parts: list[w.Widget] = [w.HTML(markup.heading(REMINDERS, 2))]
        if contact.reminders_on and contact.email:
            said = REMINDERS_ON.format(
                email=contact.email, hour=hour_label(contact.remind_hour or 0), zone=contact.time_zone or "?"
            )
            stop = w.Button(description="Stop reminders")
            stop.add_class("ck-button")
            stop.on_click(guarded(lambda _: self.stop(), self.on_error))
            parts += [w.HTML(markup.paragraph(said)), stop]
        else:
            parts.append(w.HTML(markup.paragraph(ASK_REMINDERS)))
            if safe == "some":
                parts.append(w.HTML(markup.paragraph(SOME_WAYS, "ck-private")))
            self.email = w.Text(description="Email", placeholder="you@example.org")
            self.email.add_class("ck-field")
            self.hour = w.Dropdown(
                description="At", options=[(hour_label(h), h) for h in range(6, 23)], value=18
            )
            self.hour.add_class("ck-field")
            start = w.Button(description="Send me reminders")
            start.add_class("ck-button")
            start.on_click(guarded(lambda _: self.start(), self.on_error))
            zone = w.HTML(markup.paragraph(f"Your time zone: {self.time_zone}", "ck-muted"))
            parts += [self.email, self.hour, zone, start]
        if message:
            parts.append(w.HTML(f'<div class="ck-error" role="alert">{escape(message)}</div>'))
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
