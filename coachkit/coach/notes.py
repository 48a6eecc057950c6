"""The coach's session notes (written in the live view's note box) on the dashboard and in exports.

A note belongs to a client and, usually, to the worksheet they filled while it was written (its
response). The client's pages never read them.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import pandas as pd

from coachkit.coach.live_state import title
from coachkit.store import Store

NOTE_COLUMNS = [
    "note_id",
    "client_id",
    "client",
    "response_id",
    "worksheet",
    "note",
    "written_at",
    "changed_at",
]


def notes_frame(store: Store, client_id: int | None = None) -> pd.DataFrame:
    """A row per note (of one client, or everyone), oldest first; times as UTC timestamps."""
    rows = store.coach_note_rows(client_id)
    frame = pd.DataFrame.from_records(rows.values, columns=list(rows.columns))
    for column in ("written_at", "changed_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    frame["response_id"] = frame["response_id"].astype("Int64")
    return frame[NOTE_COLUMNS]


def notes_panel(store: Store, client_id: int, zone: dt.tzinfo) -> str:
    """The client's notes on their dashboard page, newest first, each pointing to its worksheet."""
    frame = notes_frame(store, client_id)
    if frame.empty:
        return ""
    items = []
    for row in frame.sort_values(["written_at", "note_id"], ascending=False).itertuples():
        when = row.written_at.tz_convert(zone)
        about = (
            f'about <a href="#ck-response-{int(row.response_id)}">{escape(title(row.worksheet))}</a>'
            if not pd.isna(row.response_id)
            else "about the session"
        )
        items.append(
            f'<li><strong>{when:%-d %b %Y, %H:%M}</strong>, {about}:<p class="ck-coach-note">'
            f"{escape(row.note)}</p></li>"
        )
    return (
        '<section class="ck-notes"><h2>Your session notes</h2><p class="ck-muted">Written in “In a '
        "session”; only you see them (and your exports), never the client.</p>"
        f"<ul>{''.join(items)}</ul></section>"
    )
