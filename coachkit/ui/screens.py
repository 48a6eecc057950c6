"""What the first screens of a client's page say, as HTML: pure functions, no widgets.

The widgets in the kernel show these, and the server paints the same HTML before the kernel has run
(``coachkit.web.prepaint``), so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

from coachkit.i18n import ENGLISH, N_, Words
from coachkit.store import Client
from coachkit.ui import markup
from coachkit.worksheet import Step, Worksheet

PRIVATE_NOTE = N_(
    "On a shared phone or computer? A private window keeps this page out of the browser's history (or "
    "delete it from the history afterwards), and the Quick exit button or the Esc key leaves at once."
)
RESUMED = N_("Welcome back. Your answers were kept, so you can carry on where you left off.")
CONTINUE = N_("Continue where I left off")
START_AGAIN = N_("Start again")
START_FROM_LATEST = N_("Start again from my latest version")
BACK = N_("Back")
BACK_TOOLTIP = N_("Go back one step")
NEXT = N_("Next")
FINISH = N_("Finish")


def first_name(client: Client) -> str:
    return client.name.split()[0]


def hello(client: Client, words: Words = ENGLISH) -> str:
    """The greeting on the first step shown of a new attempt."""
    return words("Hello {name}.", name=first_name(client))


def step_header(
    sheet: Worksheet,
    step: Step,
    position: int,
    count: int,
    greeting: str,
    preview: list[str] | None,
    private_note: str = PRIVATE_NOTE,
    words: Words = ENGLISH,
) -> str:
    """The top of a wizard step: the worksheet's title, the greeting (with ``private_note``, on private
    windows and Quick exit: empty in a coach's notebook, which has none), the worksheet's intro on the
    first step shown, "Step 2 of 6", the step's title and intro, and the lines it reads back (``preview``:
    None when the step reads nothing back). ``sheet`` is in ``words``' language already; ``greeting`` is
    said in it, and ``private_note`` is said here."""
    return (
        markup.heading(sheet.title, 1)
        + markup.paragraph(greeting)
        + (markup.paragraph(words(private_note), "ck-private") if greeting and private_note else "")
        + markup.paragraph(sheet.intro if position == 0 else "", "ck-muted")
        + (markup.progress(position + 1, count, words) if count > 1 else "")
        + markup.heading(step.title, 2)
        + markup.paragraph(step.intro)
        + (markup.preview(preview) if preview is not None else "")
    )


def resume_offer(
    sheet: Worksheet, client: Client, started: dt.datetime, position: int, count: int, words: Words = ENGLISH
) -> str:
    """A draft with answers, opened again: where the client was, above Continue and Start again."""
    day = words.day_and_month(started.astimezone().date())
    return (
        markup.heading(sheet.title, 1)
        + markup.paragraph(words("Welcome back, {name}.", name=first_name(client)))
        + markup.paragraph(
            words.ngettext(
                "You started this on {day}, and your answers so far are saved. "
                "You were on step {step} of {count}.",
                "You started this on {day}, and your answers so far are saved. "
                "You were on step {step} of {count}.",
                count,
                day=day,
                step=position,
            )
        )
    )


def latest_intro(sheet: Worksheet, client: Client, words: Words = ENGLISH) -> str:
    """A revisable worksheet opened again: the top of its latest version (its card follows)."""
    return markup.heading(sheet.title, 1) + markup.paragraph(
        words("Welcome back, {name}. Here is your latest version.", name=first_name(client))
    )
