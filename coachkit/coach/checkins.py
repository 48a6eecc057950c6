"""Marking a client's open flags "checked in", with a note, on the dashboard.

Open flags (raised by answers as they stand, not yet checked in about) keep a client at the top of the
list; once the coach marks them checked in, with a note of what happened, they move to the "Checked in"
part of the client's page with that note and the time.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from coachkit.coach import panels, risk
from coachkit.coach.frames import open_flags
from coachkit.store.flags import MAX_NOTE_LENGTH
from coachkit.widgets.guard import guarded
from coachkit.worksheet import URGENT

ALL = -1


def flag_choices(flags: pd.DataFrame) -> list[tuple[str, int]]:
    """The open urgent and "chose not to say" flags, most urgent first, as picker options (all first)."""
    waiting = risk.with_levels(open_flags(flags))
    waiting = waiting[waiting["level"].isin([*URGENT, "gentle"])]
    options = [
        (
            f"{panels.when_exactly(row.raised_at)}: {risk.meaning(row.worksheet, row.flag)}",
            int(row.flag_id),
        )
        for row in waiting.itertuples()
    ]
    if len(options) > 1:
        options.insert(0, (f"All {len(options)} open flags", ALL))
    return options


class CheckInBox:
    """Which open flag, a note, and "Mark checked in"; ``on_check(flag_ids, note)`` saves it."""

    def __init__(
        self,
        flags: pd.DataFrame,
        on_check: Callable[[list[int], str], None],
        on_error: Callable[[str], None],
    ) -> None:
        options = flag_choices(flags)
        self.ids = [flag_id for _, flag_id in options if flag_id != ALL]
        self.which = w.Dropdown(options=options, description="Flag")
        self.note = w.Textarea(
            placeholder="What happened: how you got in touch, what was said, what comes next",
            description="Note",
            layout=w.Layout(height="5em"),
        )
        self.note.add_class("ck-check-note-text")
        self.button = w.Button(description="Mark checked in", icon="check", button_style="success")
        self.button.add_class("ck-check-in")
        self.button.on_click(guarded(lambda _: self._check(on_check), on_error))
        intro = w.HTML(
            "<h3>Checked in?</h3><p class='ck-muted'>Once you have been in touch, mark the flag checked "
            f"in with a note (at most {MAX_NOTE_LENGTH} characters). The client then leaves the top "
            "of your list; the flag and your note stay on this page.</p>"
        )
        self.view = w.VBox([intro, self.which, self.note, self.button], layout=w.Layout(width="100%"))
        self.view.add_class("ck-checkin")

    @property
    def empty(self) -> bool:
        return not self.ids

    def _check(self, on_check: Callable[[list[int], str], None]) -> None:
        chosen = self.ids if self.which.value == ALL else [self.which.value]
        on_check(chosen, self.note.value)
