"""The dashboard's homework: assigning and unassigning for the picked client, and, for everyone, each
client's figures and who has gone quiet (after the risk flags, which the client list already puts first).

A coach needs no terminal to hand out homework: pick a worksheet or a programme, a due day, a repeat and
a note, and Assign. Every problem (a day that has passed, say) is said in plain words, and nothing is
assigned. Every text from the store reaches HTML through ``escape``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

import ipywidgets as w
import pandas as pd

from coachkit.coach import homework as figures_of
from coachkit.coach.panels import when
from coachkit.exercises import all_worksheets
from coachkit.homework.assigning import (
    AssignError,
    Homework,
    assign_programme,
    assign_worksheet,
    coach_name,
    homework_of,
    programmes,
    unassign,
)
from coachkit.homework.schedule import weekday
from coachkit.store import Client, Store
from coachkit.widgets.guard import guarded

REPEATS = [
    ("Once", None),
    ("Every week, 4 times", (7, 4)),
    ("Every week, 8 times", (7, 8)),
    ("Every day, 7 times", (1, 7)),
]
STATE_WORDS = {
    "upcoming": "starts {opens}",
    "open": "due {due}",
    "overdue": "overdue since {due}",
    "done": "done",
    "late": "done late",
}
STATE_CLASS = {"overdue": "ck-safety", "late": "ck-attention", "done": "ck-done"}


def standing_words(item: Homework) -> str:
    current = item.current
    if item.finished:
        return "all done"
    occurrence = current.occurrence
    due = weekday(occurrence.due_on, item.today) if occurrence.due_on else "no due day"
    said = STATE_WORDS[current.state].format(opens=weekday(occurrence.opens_on, item.today), due=due)
    if item.assignment.every_days:
        done = sum(standing.state in ("done", "late") for standing in item.standings)
        said += f" ({done} of {len(item.standings)} done)"
    return said


class HomeworkPanel:
    """The picked client's homework: what is assigned and where it stands, with Unassign; and a form."""

    def __init__(
        self, store: Store, client: Client, on_change: Callable[[], None], on_error: Callable[[str], None]
    ) -> None:
        self.store = store
        self.client = client
        self.on_change = on_change
        self.on_error = on_error
        self.listing = w.VBox()
        self.message = w.HTML()
        sheets = [(sheet.title, f"worksheet:{sheet.id}") for sheet in all_worksheets().values()]
        plans = [(f"Programme: {p.title}", f"programme:{p.id}") for p in programmes().values()]
        self.what = w.Dropdown(description="Assign", options=sheets + plans)
        self.due = w.DatePicker(description="Due")
        self.repeat = w.Dropdown(description="Repeat", options=REPEATS, index=0)
        self.note = w.Text(description="Note", placeholder="A short note they see with it (optional)")
        button = w.Button(description="Assign", button_style="primary")
        button.on_click(guarded(lambda _: self.assign(), on_error))
        form = w.VBox([self.what, self.due, self.repeat, self.note, button, self.message])
        form.add_class("ck-assign")
        self.view = w.VBox([w.HTML("<h2>Homework</h2>"), self.listing, form])
        self.view.add_class("ck-homework")
        self.render()

    def say(self, text: str) -> None:
        self.message.value = f'<p class="ck-message" role="status">{escape(text)}</p>' if text else ""

    def render(self) -> None:
        rows: list[w.Widget] = []
        for item in homework_of(self.store, self.client.id):
            sheet = all_worksheets().get(item.assignment.worksheet_id)
            title = sheet.title if sheet else item.assignment.worksheet_id
            note = f" · “{escape(item.assignment.note)}”" if item.assignment.note else ""
            css = STATE_CLASS.get("done" if item.finished else item.current.state, "")
            line = w.HTML(
                f'<p class="ck-assignment"><strong>{escape(title)}</strong> '
                f'<span class="ck-badge {css}">{escape(standing_words(item))}</span>{note} '
                f'<span class="ck-muted">(#{item.assignment.id}, by {escape(item.assignment.assigned_by)}, '
                f"{escape(when(item.assignment.assigned_at))})</span></p>"
            )
            drop = w.Button(description="Unassign", tooltip=f"Unassign #{item.assignment.id}")
            drop.on_click(guarded(lambda _, gone=item: self.unassign(gone), self.on_error))
            rows.append(w.HBox([line, drop]))
        contact = self.store.get_contact(self.client.id)
        reminded = (
            f"Reminders: on, {contact.remind_hour:02d}:00 {escape(contact.time_zone or '')}"
            if contact.reminders_on
            else "Reminders: off (a client turns them on on their page)"
        )
        empty = [] if rows else [w.HTML('<p class="ck-empty">No homework assigned.</p>')]
        self.listing.children = (*empty, *rows, w.HTML(f'<p class="ck-muted">{reminded}</p>'))

    def assign(self) -> None:
        kind, _, key = str(self.what.value).partition(":")
        by = coach_name("dashboard")
        try:
            if kind == "programme":
                made = assign_programme(self.store, self.client, key, by=by)
            else:
                every, times = self.repeat.value or (None, None)
                made = [
                    assign_worksheet(
                        self.store,
                        self.client,
                        key,
                        by=by,
                        due_on=self.due.value if not every else None,
                        every_days=every,
                        times=times,
                        note=self.note.value or "",
                    )
                ]
        except AssignError as error:
            self.say(f"Not assigned: {error}.")
            return
        self.note.value = ""
        self.render()
        self.on_change()
        self.say(f"Assigned {len(made)} worksheet{'s' if len(made) != 1 else ''} to {self.client.name}.")

    def unassign(self, item: Homework) -> None:
        unassign(self.store, [item.assignment], by=coach_name("dashboard"))
        self.render()
        self.on_change()
        self.say(f"Unassigned #{item.assignment.id}; it is kept in the store with who unassigned it.")


def _day(value: object, now: dt.datetime) -> str:
    if value is None or pd.isna(value):
        return "never"
    days = (pd.Timestamp(now) - pd.Timestamp(value)).days
    return f"{when(value)} ({days} days ago)" if days > 1 else when(value)


def overview(store: Store) -> str:
    """Every client with homework: assigned, done on time, overdue, last activity; then who has gone
    quiet (risk flags first); and reminders that could not be sent yet."""
    table = figures_of.figures(store)
    if table.empty:
        return ""
    now = store.now()
    head = (
        "<tr><th>Client</th><th class='ck-num'>Assigned</th><th class='ck-num'>Done on time</th>"
        "<th class='ck-num'>Done late</th><th class='ck-num'>Overdue</th><th>Last activity</th></tr>"
    )
    rows = "".join(
        f"<tr><td>{escape(row.client)}</td><td class='ck-num'>{int(row.assigned)}</td>"
        f"<td class='ck-num'>{int(row.done_on_time)}</td><td class='ck-num'>{int(row.done_late)}</td>"
        f"<td class='ck-num'>{int(row.overdue)}</td><td>{escape(_day(row.last_activity, now))}</td></tr>"
        for row in table.itertuples()
    )
    html = (
        '<h2>Homework, all clients</h2><table class="ck-clients ck-homework-figures">'
        f"<thead>{head}</thead><tbody>{rows}</tbody></table>"
    )
    quiet = figures_of.gone_quiet(store)
    days = figures_of.quiet_days_setting(store)
    if not quiet.empty:
        items = "".join(
            f"<li><strong>{escape(row.client)}</strong>: {int(row.overdue)} overdue, {int(row.open)} open, "
            f"quiet for {int(row.days_quiet)} days"
            + (' <span class="ck-badge ck-safety">check in first</span>' if row.most_urgent else "")
            + "</li>"
            for row in quiet.itertuples()
        )
        html += (
            f'<section class="ck-quiet"><h3>Gone quiet</h3><p class="ck-muted">Homework open and nothing '
            f"done for {days} days or more (<code>coachkit settings quiet-days N</code>), clients with risk "
            f"flags first. Get in touch only in the way each said is safe.</p><ul>{items}</ul></section>"
        )
    failed = [mail for mail in store.find_mail(unsent_only=True) if mail.kind == "reminder" and mail.attempts]
    if failed:
        html += (
            f'<p class="ck-note ck-mail-failed" role="alert">{len(failed)} reminder(s) to clients could not '
            f"be sent yet (last try: {escape(failed[0].last_error)}). They are kept and tried again; check "
            "your mail settings with <code>coachkit mail test</code>.</p>"
        )
    return html
