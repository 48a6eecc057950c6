"""Where a followed client is, in plain words: their pages as the client server sees them, and what changed.

Pure functions of the store's open pages and response marks (``Store.live_marks``), used by the live view
(``coach/live.py``). "Open" means what the client server knows: a signed-in page whose browser is
connected to it now. A page whose connection dropped stays "connection lost" until the server ends its
kernel (``coachkit serve --reclaim-after-seconds``, 30 s by default), then it is closed. A phone that goes
silent without closing anything (out of signal) is noticed by the server's websocket pings, within about
a minute and a half.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from coachkit.exercises import WORKSHEETS
from coachkit.store import OpenPage, ResponseMark

State = Literal["open", "tabs", "lost", "closed"]
OWN_PAGE = "their own page"


def title(worksheet_id: str | None) -> str:
    """A worksheet's title as the client reads it (their own page for None)."""
    if worksheet_id is None:
        return OWN_PAGE
    sheet = WORKSHEETS.get(worksheet_id)
    return f"“{sheet.title if sheet is not None else worksheet_id}”"


@dataclass(frozen=True)
class Presence:
    """A client's pages in one word (``state``), how many are connected, what the newest one shows
    (``sheet``: a worksheet id, or None for their own page), whether they typed their code in that visit,
    and since when the state holds."""

    state: State
    connected: int = 0
    sheet: str | None = None
    code_typed: bool = False
    since: dt.datetime | None = None

    @property
    def on_worksheet(self) -> bool:
        return self.state in ("open", "tabs") and self.sheet is not None


def presence(pages: Sequence[OpenPage]) -> Presence:
    """One client's pages (oldest first) as a ``Presence``."""
    if not pages:
        return Presence("closed")
    live = [page for page in pages if page.connected]
    if live:
        newest = max(live, key=lambda page: page.opened_at)
        state: State = "tabs" if len(live) > 1 else "open"
        return Presence(state, len(live), newest.sheet, newest.code_typed, newest.opened_at)
    lost = max(pages, key=lambda page: page.changed_at)
    return Presence("lost", 0, lost.sheet, lost.code_typed, lost.changed_at)


def presence_line(found: Presence) -> str:
    """The presence in a sentence (plain text)."""
    where = title(found.sheet)
    if found.state == "open":
        return f"Page open now, showing {where}."
    if found.state == "tabs":
        return (
            f"Open in {found.connected} tabs or windows; the newest shows {where}. Only the tab that "
            "opened a worksheet last saves it; the other says so to the client."
        )
    if found.state == "lost":
        return (
            f"Connection lost, or the page closed without a word (it showed {where}). If the connection "
            "comes back within half a minute, the page carries on; later, it reopens where the answers "
            "were saved."
        )
    return "No page open now. This view follows them as soon as they open one."


def page_events(before: Sequence[OpenPage], after: Sequence[OpenPage]) -> list[str]:
    """What happened to a client's pages between two reads, in plain words, oldest first."""
    old = {page.kernel_id: page for page in before}
    new = {page.kernel_id: page for page in after}
    events = []
    for kernel_id, page in new.items():
        if kernel_id not in old:
            again = bool(old) or len(new) > 1
            events.append(
                f"Opened their page again (a reload, or another tab or window), showing {title(page.sheet)}."
                if again
                else f"Opened their page, showing {title(page.sheet)}."
            )
            continue
        was = old[kernel_id]
        if was.connected and not page.connected:
            events.append("Lost the connection to their page (or it was closed).")
        elif page.connected and not was.connected:
            events.append("Connected again.")
        if page.sheet != was.sheet:
            events.append(f"Moved to {title(page.sheet)}.")
    if old and not new:
        events.append("Their page closed.")
    return events


def response_events(before: ResponseMark | None, after: ResponseMark | None) -> list[str]:
    """A started or finished worksheet between two reads (steps and saves show in the view itself)."""
    if after is None or before == after:
        return []
    if before is None or before.response_id != after.response_id:
        working = [f"Working on {title(after.worksheet_id)}."]
        return working + ([f"Finished {title(after.worksheet_id)}."] if after.status == "completed" else [])
    if before.status != "completed" and after.status == "completed":
        return [f"Finished {title(after.worksheet_id)}."]
    return []
