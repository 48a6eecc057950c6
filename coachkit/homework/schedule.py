"""An assignment's occurrences and where each stands, in the client's own time zone. Pure functions.

A one-off assignment has one occurrence, open from ``starts_on``, due at the end of ``due_on`` (if
given). A repeating one has ``times`` occurrences, each ``every_days`` long: the first opens on
``starts_on`` and is due on its last day (weekly from a Monday: due each Sunday). An occurrence is done
by a completed response of its worksheet on a day within it (a one-off: on or after it opened); on
time if that day is no later than its due day. Days are the client's: their time zone, as their browser
gave it, or this machine's until it is known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

State = Literal["upcoming", "open", "overdue", "done", "late"]
"""``done``: on time; ``late``: done after its due day."""
MAX_TIMES = 52
MAX_EVERY_DAYS = 365


def zone(name: str | None) -> dt.tzinfo:
    """The time zone called ``name`` (IANA, e.g. ``Europe/London``), or this machine's for none."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return dt.datetime.now().astimezone().tzinfo or dt.UTC


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is a time zone this machine knows (what a browser's ``timeZone`` gives)."""
    return len(name) <= 64 and name in available_timezones()


def local_day(moment: dt.datetime, where: dt.tzinfo) -> dt.date:
    return moment.astimezone(where).date()


def at_hour(day: dt.date, hour: int, where: dt.tzinfo) -> dt.datetime:
    """``hour`` o'clock on ``day`` where the client is, in UTC. In an hour skipped when clocks go forward,
    an hour later (zoneinfo's reading of a time that does not exist)."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=where).astimezone(dt.UTC)


@dataclass(frozen=True)
class Occurrence:
    index: int
    opens_on: dt.date
    due_on: dt.date | None


def occurrences(
    starts_on: dt.date, due_on: dt.date | None, every_days: int | None, times: int | None
) -> list[Occurrence]:
    """Every occurrence of an assignment."""
    if not every_days:
        return [Occurrence(0, starts_on, due_on)]
    return [
        Occurrence(
            i,
            starts_on + dt.timedelta(days=i * every_days),
            starts_on + dt.timedelta(days=(i + 1) * every_days - 1),
        )
        for i in range(min(times or 1, MAX_TIMES))
    ]


def done_on(occurrence: Occurrence, completed: Sequence[dt.date], repeating: bool) -> dt.date | None:
    """The first day a completion counts for this occurrence, or None."""
    last = occurrence.due_on if repeating else None
    days = [day for day in completed if day >= occurrence.opens_on and (last is None or day <= last)]
    return min(days, default=None)


def state(occurrence: Occurrence, done: dt.date | None, today: dt.date) -> State:
    if done is not None:
        return "late" if occurrence.due_on is not None and done > occurrence.due_on else "done"
    if today < occurrence.opens_on:
        return "upcoming"
    if occurrence.due_on is not None and today > occurrence.due_on:
        return "overdue"
    return "open"


@dataclass(frozen=True)
class Standing:
    """One occurrence of an assignment and where it stands today."""

    occurrence: Occurrence
    state: State
    done_on: dt.date | None


def standings(
    starts_on: dt.date,
    due_on: dt.date | None,
    every_days: int | None,
    times: int | None,
    completed: Iterable[dt.date],
    today: dt.date,
) -> list[Standing]:
    """Every occurrence of an assignment, with where it stands on ``today`` given the days its worksheet
    was completed (days in the client's time zone)."""
    days = sorted(completed)
    found = []
    for occurrence in occurrences(starts_on, due_on, every_days, times):
        done = done_on(occurrence, days, bool(every_days))
        found.append(Standing(occurrence, state(occurrence, done, today), done))
    return found


def weekday(day: dt.date, today: dt.date) -> str:
    """A due day as a person says it: "today", "tomorrow", "Friday" (this week), else "Friday 12 June"."""
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if 1 < abs(days) < 7:
        return f"{day:%A}"
    return f"{day:%A} {day.day} {day:%B}"
