"""A due date as a calendar file (ICS, RFC 5545, written by the ``icalendar`` library): a client can put
it in their own calendar instead of giving an address for reminders.

The event says nothing about coaching or the worksheet: its title is the coach's neutral page title
("Notes"), it is a whole-day event on the due day (so no time zone can move it), and it has no
description, place or link.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets

PRODUCT = "-//coachkit//notes//EN"


def due_day_ics(day: dt.date, title: str, now: dt.datetime) -> bytes:
    """One whole-day event on ``day`` called ``title``."""
    from icalendar import Calendar, Event  # only when a page has a due date to offer

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{secrets.token_hex(12)}@coachkit.invalid")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", title)
    event.add("transp", "TRANSPARENT")
    calendar.add_component(event)
    return calendar.to_ical()


def data_link(ics: bytes) -> str:
    """The file as a ``data:`` link, saved by the page's "Add to my calendar" (``download``)."""
    return "data:text/calendar;charset=utf-8;base64," + base64.b64encode(ics).decode("ascii")
