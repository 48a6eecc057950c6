"""Assigning homework, from the command line or the dashboard: plain messages for what cannot be done.

Dates are the client's own days (their time zone, once their browser has given it). A due date or a
start before the client's today is refused with the day it is where they are; so is a worksheet or
programme that does not exist (the message lists those that do).
"""

from __future__ import annotations

import datetime as dt
import getpass
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from coachkit.exercises import all_worksheets
from coachkit.exercises.programmes import Programme, read_programmes
from coachkit.homework.schedule import MAX_EVERY_DAYS, MAX_TIMES, Standing, local_day, standings, zone
from coachkit.store import Assignment, Client, Store
from coachkit.store.assignments import MAX_NOTE

SAFE_TO_REMIND = ("any", "some")
"""``safe_contact`` answers that allow reminders a client asks for ("any way", "some ways, at some
times": they chose this way and hour). "Please wait", or no answer: none."""


def may_remind(safe_contact: object) -> bool:
    return safe_contact in SAFE_TO_REMIND


class AssignError(ValueError):
    """Homework that cannot be assigned as asked; the message says why and what to do instead."""


def coach_name(where: str) -> str:
    """Who assigns, as the store keeps it: this account's user name, and from where ("ana, dashboard")."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "coach"
    return f"{user}, {where}"


def client_today(store: Store, client_id: int) -> dt.date:
    """Today where the client is (their time zone, else this machine's)."""
    return local_day(store.now(), zone(store.get_contact(client_id).time_zone))


def programmes() -> dict[str, Programme]:
    return read_programmes(all_worksheets())


def _check_dates(today: dt.date, starts_on: dt.date, due_on: dt.date | None) -> None:
    if starts_on < today:
        raise AssignError(
            f"it would start on {starts_on}, which has passed (where the client is, it is {today})"
        )
    if due_on is not None and due_on < max(today, starts_on):
        raise AssignError(
            f"the due date {due_on} has passed or comes before the start (where the client is, it is "
            f"{today}): pick {max(today, starts_on)} or later"
        )


def assign_worksheet(
    store: Store,
    client: Client,
    worksheet_id: str,
    *,
    by: str,
    due_on: dt.date | None = None,
    starts_on: dt.date | None = None,
    every_days: int | None = None,
    times: int | None = None,
    note: str = "",
) -> Assignment:
    """Assign one worksheet: once (due on ``due_on``, if given), or every ``every_days`` days ``times``
    times from ``starts_on`` (default: the client's today)."""
    known = all_worksheets()
    if worksheet_id not in known:
        raise AssignError(f"no worksheet {worksheet_id!r}; known: {', '.join(known)}")
    today = client_today(store, client.id)
    starts_on = starts_on or today
    if (every_days is None) != (times is None):
        raise AssignError("--every and --times go together (every 7 days, 4 times)")
    if every_days is not None and due_on is not None:
        raise AssignError("a repeating assignment is due at the end of each repeat: leave out the due date")
    if every_days is not None and not (1 <= every_days <= MAX_EVERY_DAYS and 1 <= (times or 0) <= MAX_TIMES):
        raise AssignError(f"every 1 to {MAX_EVERY_DAYS} days, 1 to {MAX_TIMES} times")
    if len(note.strip()) > MAX_NOTE:
        raise AssignError(f"a note is at most {MAX_NOTE} characters")
    _check_dates(today, starts_on, due_on)
    item = {
        "worksheet_id": worksheet_id,
        "starts_on": starts_on,
        "due_on": due_on,
        "every_days": every_days,
        "times": times,
        "note": note,
    }
    [assignment_id] = store.add_assignments(client.id, [item], by)
    return store.get_assignment(assignment_id)


def assign_programme(
    store: Store, client: Client, programme_id: str, *, by: str, starts_on: dt.date | None = None
) -> list[Assignment]:
    """Assign every worksheet of a programme, starting on ``starts_on`` (default: the client's today)."""
    found = programmes()
    if programme_id not in found:
        known = ", ".join(found) or "none yet"
        raise AssignError(f"no programme {programme_id!r}; known: {known}")
    today = client_today(store, client.id)
    starts_on = starts_on or today
    _check_dates(today, starts_on, None)
    batch = secrets.token_hex(8)
    items = [{**item, "batch": batch} for item in found[programme_id].schedule(starts_on)]
    ids = set(store.add_assignments(client.id, items, by))
    return [assignment for assignment in store.find_assignments(client.id) if assignment.id in ids]


def unassign(store: Store, assignments: Iterable[Assignment], *, by: str) -> int:
    """End these assignments (kept, with who ended them); their reminders not yet sent are not sent."""
    return store.end_assignments([assignment.id for assignment in assignments], by)


def matching(store: Store, client: Client, what: str) -> list[Assignment]:
    """A client's open assignments of a worksheet, of a programme, or with this number (``#12``, ``12``)."""
    open_ = store.find_assignments(client.id)
    number = what.lstrip("#")
    if number.isdigit():
        return [assignment for assignment in open_ if assignment.id == int(number)]
    return [assignment for assignment in open_ if what in (assignment.worksheet_id, assignment.programme_id)]


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def parse_day(text: str, today: dt.date) -> dt.date:
    """A day as a coach types it: ``2026-12-04``, ``today``, ``tomorrow``, or a weekday (the next one,
    today included). ``AssignError`` says how to write it."""
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "tomorrow":
        return today + dt.timedelta(days=1)
    for number, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return today + dt.timedelta(days=(number - today.weekday()) % 7)
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        raise AssignError(
            f"{text!r} is not a day: write it as 2026-12-04, today, tomorrow or a weekday (friday)"
        ) from None


@dataclass(frozen=True)
class Homework:
    """One open assignment and where each of its occurrences stands, on the client's today."""

    assignment: Assignment
    standings: list[Standing]
    today: dt.date

    @property
    def current(self) -> Standing:
        """The occurrence that matters now: the first not done that has opened (or the next to open),
        else the last."""
        for standing in self.standings:
            if standing.state in ("open", "overdue"):
                return standing
        for standing in self.standings:
            if standing.state == "upcoming":
                return standing
        return self.standings[-1]

    @property
    def finished(self) -> bool:
        return all(standing.state in ("done", "late") for standing in self.standings)


def homework_of(store: Store, client_id: int) -> list[Homework]:
    """A client's open assignments, each with where it stands today (their time zone)."""
    where = zone(store.get_contact(client_id).time_zone)
    today = local_day(store.now(), where)
    completed: dict[str, list[dt.date]] = {}
    for response in store.find_responses(client_id):
        if response.completed_at is not None:
            completed.setdefault(response.worksheet_id, []).append(local_day(response.completed_at, where))
    found = []
    for assignment in store.find_assignments(client_id):
        days = completed.get(assignment.worksheet_id, [])
        found.append(
            Homework(
                assignment,
                standings(
                    assignment.starts_on,
                    assignment.due_on,
                    assignment.every_days,
                    assignment.times,
                    days,
                    today,
                ),
                today,
            )
        )
    return found
