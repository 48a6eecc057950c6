"""What the first screens of a client's page say, as HTML: pure functions, no widgets.

The widgets in the kernel show these, and the server paints the same HTML before the kernel has run
(``coachkit.web.prepaint``), so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

from coachkit.store import Client
from coachkit.ui import markup
from coachkit.worksheet import Step, Worksheet

PRIVATE_NOTE = (
    "On a shared phone or computer? A private window keeps this page out of the browser's history (or "
    "delete it from the history afterwards), and the Quick exit button or the Esc key leaves at once."
)
RESUMED = "Welcome back. Your answers were kept, so you can carry on where you left off."
CONTINUE = "Continue where I left off"
START_AGAIN = "Start again"
START_FROM_LATEST = "Start again from my latest version"


def first_name(client: Client) -> str:
    return client.name.split()[0]


def hello(client: Client) -> str:
    """The greeting on the first step shown of a new attempt."""
    return f"Hello {first_name(client)}."


def step_header(
    sheet: Worksheet,
    step: Step,
    position: int,
    count: int,
    greeting: str,
    preview: list[str] | None,
    private_note: str = PRIVATE_NOTE,
) -> str:
    """The top of a wizard step: the worksheet's title, the greeting (with ``private_note``, on private
    windows and Quick exit: empty in a coach's notebook, which has none), the worksheet's intro on the
    first step shown, "Step 2 of 6", the step's title and intro, and the lines it reads back (``preview``:
    None when the step reads nothing back)."""
    return (
        markup.heading(sheet.title, 1)
        + markup.paragraph(greeting)
        + (markup.paragraph(private_note, "ck-private") if greeting else "")
        + markup.paragraph(sheet.intro if position == 0 else "", "ck-muted")
        + (markup.progress(position + 1, count) if count > 1 else "")
        + markup.heading(step.title, 2)
        + markup.paragraph(step.intro)
        + (markup.preview(preview) if preview is not None else "")
    )


def resume_offer(sheet: Worksheet, client: Client, started: dt.datetime, position: int, count: int) -> str:
    """A draft with answers, opened again: where the client was, above Continue and Start again."""
    return (
        markup.heading(sheet.title, 1)
        + markup.paragraph(f"Welcome back, {first_name(client)}.")
        + markup.paragraph(
            f"You started this on {started.strftime('%-d %B')}, and your answers so far are saved. "
            f"You were on step {position} of {count}."
        )
    )


def latest_intro(sheet: Worksheet, client: Client) -> str:
    """A revisable worksheet opened again: the top of its latest version (its card follows)."""
    return markup.heading(sheet.title, 1) + markup.paragraph(
        f"Welcome back, {first_name(client)}. Here is your latest version."
    )
