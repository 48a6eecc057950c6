"""One followed client on the live view: where they are, their worksheet as it stands, what happened.

A card takes each look's marks (``update``), says which response must be read afresh, and is drawn
(``show``) once the view has read those for every card at once. It keeps the last few things that happened
to the client's pages and worksheet, in plain words (``live_state``), and a note box (``note_box``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from coachkit import clock
from coachkit.coach import live_html, risk
from coachkit.coach.live_state import Presence, page_events, presence, response_events, title
from coachkit.coach.note_box import NoteBox
from coachkit.store import LiveResponse, OpenPage, ResponseMark
from coachkit.widgets.guard import guarded
from coachkit.worksheet import shown_steps

if TYPE_CHECKING:
    from coachkit.coach.live import LiveView

ACTIVE_FOR = 60.0
"""Seconds a followed client counts as active after their last change, page or not."""
EVENTS_KEPT = 6


class LiveCard:
    """One followed client: where they are, their worksheet as it stands, what happened, a note."""

    def __init__(self, live: LiveView, client_id: int, name: str) -> None:
        self.live = live
        self.client_id = client_id
        self.name = name
        self.heading = w.HTML(live_html.card_heading(name, Presence("closed"), ""))
        self.flags = w.HTML()
        self.events_html = w.HTML()
        self.body = w.HTML()
        self.note = NoteBox(live.store, client_id, lambda: live.zone, live.on_error)
        stop = w.Button(description="Stop following", icon="times", tooltip=f"Stop following {name}")
        stop.add_class("ck-live-stop")
        stop.on_click(guarded(lambda _: live.unfollow(client_id), live.on_error))
        self.view = w.VBox(
            [self.heading, self.flags, self.events_html, self.body, self.note.view, stop],
            layout=w.Layout(width="100%"),
        )
        self.view.add_class("ck-live-card")
        self.seen: tuple[ResponseMark | None, tuple[OpenPage, ...]] | None = None
        self.shown: LiveResponse | None = None
        self.carried: dict[str, Any] = {}
        self.events: deque[tuple[dt.datetime, str]] = deque(maxlen=EVENTS_KEPT)
        self.active_until = 0.0
        self.connected = False
        self.deleted = False
        self.found: Presence | None = None
        self.wanted: ResponseMark | None = None
        self._carried_for: tuple[int, dt.datetime | None] | None = None

    @property
    def active(self) -> bool:
        return not self.deleted and (self.connected or time.monotonic() < self.active_until)

    def update(self, exists: bool, mark: ResponseMark | None, pages: list[OpenPage]) -> ResponseMark | None:
        """Take one look's marks: note what happened, and say which response must be read afresh (the
        view reads them for every card at once, then calls ``show``); None when nothing is to be read."""
        self.found = None
        if self.deleted:
            return None
        if not exists:
            self._deleted()
            return None
        seen = (mark, tuple(pages))
        if seen == self.seen:
            return None
        if self.seen is not None:
            before_mark, before_pages = self.seen
            for text in page_events(before_pages, pages) + response_events(before_mark, mark):
                self.events.append((clock.now(), text))
        self.seen = seen
        self.active_until = time.monotonic() + ACTIVE_FOR
        self.found = presence(pages)
        self.connected = self.found.state in ("open", "tabs")
        target = self._target(self.found, mark)
        if target is None:
            self.shown = None
        elif self.shown is None or self.shown.mark != target:
            return target
        return None

    def show(self, read: dict[int, LiveResponse]) -> None:
        """Show what ``update`` found, with the responses read for it; nothing if nothing moved."""
        if self.found is None:
            return
        wanted = self.wanted
        if wanted is not None and (self.shown is None or self.shown.mark != wanted):
            fresh = read.get(wanted.response_id)
            if fresh is not None:
                self._take(fresh)
        self._render(self.found)

    def _target(self, found: Presence, mark: ResponseMark | None) -> ResponseMark | None:
        """The response to show: the worksheet their page shows, else whatever they saved last."""
        if found.state == "closed" or found.sheet is None or (mark and mark.worksheet_id == found.sheet):
            self.wanted = mark
        else:
            self.wanted = self.live.store().latest_response_of(self.client_id, found.sheet) or mark
        return self.wanted

    def _take(self, read: LiveResponse) -> None:
        """A response read afresh: flags raised since the last read are news; carried answers are read
        once per response (they change only with the client's other worksheets)."""
        before = self.shown
        self.shown = read
        if before is not None and before.mark.response_id == read.mark.response_id:
            was = {flag.flag for flag in before.flags if flag.cleared_at is None}
            for flag in read.flags:
                if flag.cleared_at is None and flag.flag not in was:
                    meaning = risk.meaning(read.mark.worksheet_id, flag.flag)
                    self.events.append((clock.now(), f"Flag raised: {meaning}."))
        key = (read.mark.response_id, read.completed_at)
        if key != self._carried_for:
            sheet = self.live.sheet(read.mark)
            carries = sheet.carries if sheet is not None else ()
            self.carried = (
                self.live.store().find_latest_answers(
                    self.client_id, carries, until=read.completed_at, excluding_response=read.mark.response_id
                )
                if carries
                else {}
            )
            self._carried_for = key

    def _render(self, found: Presence) -> None:
        zone, live = self.live.zone, self.shown
        step, flags, body, about, response_id = "", "", "", "not a worksheet yet", None
        if live is None:
            body = '<p class="ck-muted">No worksheet started yet.</p>'
        else:
            sheet = self.live.sheet(live.mark)
            facts = {**self.carried, **{field: saved.value for field, saved in live.answers.items()}}
            shown = shown_steps(sheet, facts) if sheet is not None else []
            step = live_html.step_line(sheet, live, shown)
            flags = live_html.flags(live.mark.worksheet_id, live, facts, zone)
            if sheet is None:
                body = live_html.raw_answers(live, zone)
            elif live.mark.status == "completed":
                body = live_html.summary(sheet, live, facts, self.live.context(), zone)
            else:
                body = live_html.progress(sheet, live, facts, shown, zone, private=not found.code_typed)
            started = live.started_at.astimezone(zone)
            about, response_id = (
                f"{title(live.mark.worksheet_id)}, started {started:%-d %b %H:%M}",
                live.mark.response_id,
            )
        self.note.attach(response_id, about)
        for widget, value in (
            (self.heading, live_html.card_heading(self.name, found, step)),
            (self.flags, flags),
            (self.events_html, live_html.events_list(list(self.events), zone)),
            (self.body, body),
        ):
            if widget.value != value:
                widget.value = value

    def _deleted(self) -> None:
        self.deleted = True
        self.heading.value = live_html.gone(self.name)
        self.flags.value = self.events_html.value = self.body.value = ""
        self.note.stop("Nothing more can be written about a deleted client.")
