"""The coach's note during a session: a box under a followed client's worksheet, saved as it is typed.

A note is about the worksheet the client is filling (their response), or about the client alone before
they open one. It is saved at most ``SAVE_SECONDS`` after a change (a change meanwhile joins that save),
shown on the dashboard and in exports, and never on a client's page (``Store.write_coach_note``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from html import escape

import ipywidgets as w

from coachkit import clock
from coachkit.store import MissingEntry, Store, StoreUnavailable
from coachkit.store.notes import MAX_NOTE_CHARACTERS
from coachkit.widgets.guard import guarded

SAVE_SECONDS = 1.0
PLACEHOLDER = "What you notice, what to pick up next time. Saved as you type."
ONLY_YOU = "Only you see it, here and in your exports; never the client."


def later(delay: float, callback: Callable[[], None]) -> asyncio.TimerHandle | None:
    """Run ``callback`` after ``delay`` seconds on the kernel's event loop (at once where there is none)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        callback()
        return None
    return loop.call_later(delay, callback)


class NoteBox:
    """One followed client's note box; ``attach`` points it at a response (or the client alone)."""

    def __init__(
        self,
        store: Callable[[], Store],
        client_id: int,
        zone: Callable[[], dt.tzinfo],
        on_error: Callable[[str], None],
    ) -> None:
        self.store = store
        self.client_id = client_id
        self.zone = zone
        self.response_id: int | None = None
        self.note_id: int | None = None
        self.attached = False
        self.dirty = False
        self._loading = False
        self._timer: asyncio.TimerHandle | None = None
        self.about = w.HTML()
        self.text = w.Textarea(placeholder=PLACEHOLDER, layout=w.Layout(width="100%", height="6em"))
        self.text.add_class("ck-live-note-text")
        self.status = w.HTML()
        self.text.observe(guarded(self._changed, on_error), names="value")
        self.view = w.VBox([self.about, self.text, self.status], layout=w.Layout(width="100%"))
        self.view.add_class("ck-live-note")

    def attach(self, response_id: int | None, about: str) -> None:
        """Show (and from now on write) the note about this response, or the client's own note."""
        if self.attached and response_id == self.response_id:
            return
        self.flush()
        note = self.store().find_coach_note(response_id) if response_id is not None else None
        self.response_id, self.note_id, self.attached = response_id, None, True
        self._loading = True
        try:
            self.text.value = note.note if note is not None else ""
        finally:
            self._loading = False
        self.about.value = f"<p><strong>Your note</strong> about {escape(about)}. {escape(ONLY_YOU)}</p>"
        self.status.value = ""

    def _changed(self, _change: object) -> None:
        if self._loading or not self.attached:
            return
        self.dirty = True
        if self._timer is None:
            self._timer = later(SAVE_SECONDS, self._save_now)

    def flush(self) -> None:
        """Save a change not saved yet, now."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.dirty:
            self._save_now()

    def _save_now(self) -> None:
        self._timer = None
        self.dirty = False
        try:
            note = self.store().write_coach_note(
                self.client_id, self.text.value, response_id=self.response_id, note_id=self.note_id
            )
        except ValueError:
            self._say(f"Not saved: a note can be at most {MAX_NOTE_CHARACTERS:,} characters.")
            return
        except MissingEntry:
            self._say("Not saved: this client or worksheet no longer exists. Your words are still here.")
            return
        except StoreUnavailable:
            self.dirty = True
            self._say(
                "Not saved yet: the store can’t be written just now. It is saved with your next change."
            )
            return
        if self.response_id is None:
            self.note_id = note.id if note is not None else None
        saved_at = clock.now().astimezone(self.zone())
        self._say(f"Saved {saved_at:%H:%M:%S}." if note is not None else "Note emptied: nothing kept.")

    def _say(self, text: str) -> None:
        self.status.value = f'<p class="ck-muted" role="status">{escape(text)}</p>'

    def stop(self, message: str) -> None:
        """No more writing (the client was deleted): the box stays, read-only, with why."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.attached = False
        self.text.disabled = True
        self._say(message)
