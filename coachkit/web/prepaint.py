"""A client page's first screen, painted by the server before its kernel has drawn a single widget.

The gate knows whose page it sends and which page it shows (the session's worksheet, or the client's own
page), so the first screen is known before the notebook runs: the same words, from the same functions
(``coachkit.ui.screens``), in HTML shaped like the widgets (``widget_html``), which then take its place
without a jump (``frontend/src/takeover.js``). What the server paints is only ever what the kernel will
show, and never an answer: a screen is painted up to the first part that would show one (a saved answer,
a private answer concealed until the code is typed, lines read back, a notice or crisis help prompted by
earlier answers), and that part and everything after it wait for the widgets. Reads only: nothing is
written, no draft is started (the kernel does that).

``first_screen`` runs on the directory's worker thread; any trouble means no painted screen, never a
failed page.
"""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from coachkit.attempt import Attempt
from coachkit.exercises.files import library_paths, read_all, worksheet_paths
from coachkit.store import Client, ClientSession, Store
from coachkit.ui import markup, screens
from coachkit.web import widget_html as h
from coachkit.worksheet import (
    Field,
    MultiChoice,
    Rating,
    ShortText,
    SingleChoice,
    TimeOfDay,
    Value,
    Worksheet,
    YesNo,
    is_shown,
    shown_steps,
)
from coachkit.worksheet.fields import YES_NO_LABELS

HISTORY_TITLE = "Your worksheets"
"""The client's own page's title (``coachkit.ui.history.TITLE``; a test keeps the two the same)."""
BACK_TOOLTIP = "Go back one step"


PAINTED = "ck-painted"
"""The painted page's class where the widgets' page has ``ck-app``: the same look (the theme's rules, for
this class), but ``.ck-app`` on a page means its widgets are live (tests and page.js read it so)."""


@cache
def _theme() -> str:
    css = files("coachkit.ui").joinpath("theme.css").read_text()
    return "<style>" + css.replace(".ck-app", f".{PAINTED}") + "</style>"


_read: dict[tuple[tuple[str, int, int], ...], dict[str, Worksheet]] = {}


def worksheets() -> dict[str, Worksheet]:
    """Every worksheet as a new kernel would read it: read again whenever a file has changed."""
    paths: list[Path] = [*worksheet_paths(), *library_paths()]
    key = tuple((str(path), (s := os.stat(path)).st_mtime_ns, s.st_size) for path in paths)
    if key not in _read:
        _read.clear()
        _read[key] = read_all()
    return _read[key]


def first_screen(store: Store, session: ClientSession, resume: bool) -> str:
    """The first screen of this session's page, as far as it can be painted (or "" for none)."""
    client = store.get_client(session.client_id)
    sheet = worksheets().get(session.sheet) if session.sheet else None
    if sheet is None:
        parts = [h.html(markup.heading(HISTORY_TITLE, 1) + markup.paragraph(screens.hello(client)))]
        return page(parts, complete=False)
    return worksheet_screen(store, sheet, client, resume, revealed=session.code_typed)


def page(screen: list[str], complete: bool) -> str:
    """A page's widgets around its screen (``ClientApp`` > ``Page``); ``complete``: the whole screen."""
    if complete:
        screen = [*screen, h.html()]  # the screen's last widget: the hidden "scroll to the top" image
    inner = h.vbox(screen, width="100%")
    return h.vbox([h.vbox([h.html(_theme()), inner], classes=PAINTED, width="100%")], width="100%")


def worksheet_screen(store: Store, sheet: Worksheet, client: Client, resume: bool, revealed: bool) -> str:
    """What ``WorksheetApp.enter_as`` shows first: a step, the offer to continue, or the latest version."""
    draft = store.find_draft(client.id, sheet.id)
    latest = _latest_completed(store, sheet, client) if sheet.revisable else None
    if draft is None:
        if latest is not None:
            return page([h.html(screens.latest_intro(sheet, client))], complete=False)
        carried = store.find_latest_answers(client.id, sheet.carries)
        return step_screen(sheet, 0, carried, {}, screens.hello(client))
    attempt = Attempt.resume(store, sheet, client, draft)
    if revealed:
        attempt.reveal()
    if attempt.answers and not resume:
        return resume_offer(attempt, latest is not None)
    greeting = screens.RESUMED if attempt.answers else screens.hello(client)
    return step_screen(sheet, attempt.step_index, attempt.carried, attempt.answers, greeting)


def _latest_completed(store: Store, sheet: Worksheet, client: Client) -> Any:
    return next((r for r in store.find_responses(client.id, sheet.id) if r.status == "completed"), None)


def resume_offer(attempt: Attempt, from_latest: bool) -> str:
    """``WorksheetApp.offer_resume``: where the client was, Continue, and Start again."""
    sheet = attempt.worksheet
    shown = shown_steps(sheet, attempt.facts)
    position = sum(index <= attempt.step_index for index in shown) or 1
    text = screens.resume_offer(sheet, attempt.client, attempt.response.started_at, position, len(shown))
    again = screens.START_FROM_LATEST if from_latest else screens.START_AGAIN
    buttons = h.hbox(
        [h.button(screens.CONTINUE, primary=True, classes="ck-button"), h.button(again, classes="ck-button")],
        classes="ck-buttons",
    )
    return page([h.html(text), buttons], complete=True)


def empty_value(item: Field) -> Value:
    """What an unanswered field's widget holds (``FieldBlock.read``): nothing ticked is ``[]``, an
    empty box ``""``, anything else ``None``."""
    if isinstance(item, MultiChoice):
        return []
    if isinstance(item, ShortText):
        return ""
    return None


def step_screen(
    sheet: Worksheet, index: int, carried: dict[str, Value], answers: dict[str, Value], greeting: str
) -> str:
    """A wizard step (``Wizard.render_step``), painted up to the first part that would show an answer."""
    step = sheet.steps[index]
    facts = {**carried, **answers}
    for item in step.fields:  # as Wizard._facts reads the step's widgets, in order
        value = answers[item.id] if answers.get(item.id) is not None else empty_value(item)
        facts[item.id] = value if is_shown(item, facts) else None
    shown = shown_steps(sheet, facts)
    shown = shown if index in shown else sorted({*shown, index})
    position = shown.index(index)
    header = h.html(screens.step_header(sheet, step, position, len(shown), greeting, None))
    untouched = (
        not step.preview
        and not sheet.in_crisis(facts)
        and all(answers.get(item.id) is None and not _notices(item, facts) for item in step.fields)
    )
    if not untouched:  # only the top: what follows would read an answer back
        return page([h.vbox([header])], complete=False)
    blocks = [
        h.vbox([field(item), h.html(), h.html()], width="100%", display=_display(item, facts))
        for item in step.fields
    ]
    last = position == len(shown) - 1
    buttons = h.hbox(
        [
            h.button("Back", BACK_TOOLTIP, hidden=position == 0),
            h.button("Finish" if last else "Next", primary=True),
        ],
        classes="ck-buttons",
    )
    wizard = h.vbox([header, h.vbox([]), h.vbox(blocks, width="100%"), h.vbox([]), h.html(), buttons])
    return page([wizard], complete=True)


def _display(item: Field, facts: dict[str, Value]) -> str | None:
    return None if is_shown(item, facts) else "none"


def _notices(item: Field, facts: dict[str, Value]) -> bool:
    """Whether the field, shown and unanswered, would already show a notice."""
    return is_shown(item, facts) and any(notice.applies(empty_value(item)) for notice in item.notices)


def field(item: Field) -> str:
    """The empty widget that asks ``item`` (``coachkit.ui.inputs``)."""
    label = markup.label_html(item)
    classes = f"ck-field ck-id-{item.id}"
    if isinstance(item, YesNo):
        return h.radio_buttons(item.id, label, YES_NO_LABELS.values(), f"{classes} ck-yesno")
    if isinstance(item, Rating):
        return h.radio_buttons(item.id, label, [text for text, _ in item.points()], f"{classes} ck-rating")
    if isinstance(item, SingleChoice):
        return h.radio_buttons(item.id, label, [o.label for o in item.options], f"{classes} ck-single")
    if isinstance(item, MultiChoice):
        return h.checklist(item.id, label, [o.label for o in item.options], classes)
    if isinstance(item, ShortText):
        return h.text(item.id, label, item.placeholder, classes, long=item.kind == "long_text")
    if isinstance(item, TimeOfDay):
        return h.time_picker(item.id, label, classes)
    raise ValueError(f"no painted widget for {item.kind}")
