"""A client page's first screen, painted by the server before its kernel has drawn a single widget.

The gate knows whose page it sends and which page it shows (the session's worksheet, or the client's own
page), so the first screen is known before the notebook runs: the same words, from the same functions
(``coachkit.ui.screens``), in HTML shaped like the widgets (``widget_html``), which then take its place
without a jump (``frontend/src/takeover.js``). What the server paints is only ever what the kernel will
show, and never an answer: a screen is painted up to the first part that would show one (a saved answer,
a private answer concealed until the code is typed, lines read back, a notice or crisis help prompted by
earlier answers), and that part and everything after it wait for the widgets. Reads only: nothing is
written, no draft is started (the kernel does that).

The screen is in the page's language (the gate works it out as the kernel will, ``coachkit.i18n.resolve``):
coachkit's words from its catalog, the worksheet read with its translation
(``coachkit.exercises.translated``), and the language picker above it, as ``ClientApp`` draws them.

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
from coachkit.exercises.files import library_paths, read_all, read_libraries, worksheet_paths
from coachkit.exercises.translated import translate
from coachkit.exercises.translations import translation_path
from coachkit.i18n import DEFAULT, ENGLISH, LANGUAGES, N_, Words, words_for
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

HISTORY_TITLE = N_("Your worksheets")
"""The client's own page's title (``coachkit.ui.history.TITLE``; a test keeps the two the same)."""
LANGUAGE = N_("Language")
"""The language picker's label (``coachkit.ui.client.ClientApp``)."""


PAINTED = "ck-painted"
"""The painted page's class where the widgets' page has ``ck-app``: the same look (the theme's rules, for
this class), but ``.ck-app`` on a page means its widgets are live (tests and page.js read it so)."""


@cache
def _theme() -> str:
    css = files("coachkit.ui").joinpath("theme.css").read_text()
    return "<style>" + css.replace(".ck-app", f".{PAINTED}") + "</style>"


_read: dict[tuple[object, ...], dict[str, Worksheet]] = {}


def _translation_paths(paths: list[Path], language: str) -> list[Path]:
    """The translation files beside ``paths`` in ``language`` that exist (``NAME.LANG.po``)."""
    if language == DEFAULT:
        return []
    found = (translation_path(path, language) for path in paths)
    return [path for path in found if path.is_file()]


def worksheets(language: str = DEFAULT) -> dict[str, Worksheet]:
    """Every worksheet as a new kernel would read it, in ``language``: read again whenever a file (or
    one of its translations) has changed."""
    paths: list[Path] = [*worksheet_paths(), *library_paths()]
    files_now = [*paths, *_translation_paths(paths, language)]
    key = (language, *((str(p), (s := os.stat(p)).st_mtime_ns, s.st_size) for p in files_now))
    if key not in _read:
        for old in [k for k in _read if k[0] == language]:
            del _read[old]
        written = read_all()
        if language != DEFAULT:
            libraries = read_libraries()
            written = {
                sheet_id: translate(sheet, Path(sheet.path) if sheet.path else None, language, libraries)
                for sheet_id, sheet in written.items()
            }
        _read[key] = written
    return _read[key]


def first_screen(store: Store, session: ClientSession, resume: bool, language: str = DEFAULT) -> str:
    """The first screen of this session's page in ``language``, as far as it can be painted (or "")."""
    words = words_for(language)
    client = store.get_client(session.client_id)
    sheet = worksheets(words.language).get(session.sheet) if session.sheet else None
    if sheet is None:
        top = markup.heading(words(HISTORY_TITLE), 1) + markup.paragraph(screens.hello(client, words))
        return page([h.html(top)], complete=False, words=words)
    return worksheet_screen(store, sheet, client, resume, revealed=session.code_typed, words=words)


def language_bar(words: Words) -> str:
    """The language picker above every page (``ClientApp.bar``), the page's language chosen."""
    names = [language.name for language in LANGUAGES.values()]
    chosen = list(LANGUAGES).index(words.language)
    picker = h.dropdown(words(LANGUAGE), names, chosen, classes="ck-language")
    return h.hbox([picker, h.html(markup.page_language(words.language))], classes="ck-language-bar")


def page(screen: list[str], complete: bool, words: Words = ENGLISH) -> str:
    """A page's widgets around its screen (``ClientApp`` > its language bar and ``Page``); ``complete``:
    the whole screen."""
    if complete:
        screen = [*screen, h.html()]  # the screen's last widget: the hidden "scroll to the top" image
    inner = h.vbox(screen, width="100%")
    shown = h.vbox([h.html(_theme()), inner], classes=PAINTED, width="100%")
    return h.vbox([language_bar(words), shown], width="100%")


def worksheet_screen(
    store: Store,
    sheet: Worksheet,
    client: Client,
    resume: bool,
    revealed: bool,
    words: Words = ENGLISH,
) -> str:
    """What ``WorksheetApp.enter_as`` shows first: a step, the offer to continue, or the latest version."""
    draft = store.find_draft(client.id, sheet.id)
    latest = _latest_completed(store, sheet, client) if sheet.revisable else None
    if draft is None:
        if latest is not None:
            return page([h.html(screens.latest_intro(sheet, client, words))], complete=False, words=words)
        carried = store.find_latest_answers(client.id, sheet.carries)
        return step_screen(sheet, 0, carried, {}, screens.hello(client, words), words)
    attempt = Attempt.resume(store, sheet, client, draft)
    if revealed:
        attempt.reveal()
    if attempt.answers and not resume:
        return resume_offer(attempt, latest is not None, words)
    greeting = words(screens.RESUMED) if attempt.answers else screens.hello(client, words)
    return step_screen(sheet, attempt.step_index, attempt.carried, attempt.answers, greeting, words)


def _latest_completed(store: Store, sheet: Worksheet, client: Client) -> Any:
    return next((r for r in store.find_responses(client.id, sheet.id) if r.status == "completed"), None)


def resume_offer(attempt: Attempt, from_latest: bool, words: Words = ENGLISH) -> str:
    """``WorksheetApp.offer_resume``: where the client was, Continue, and Start again."""
    sheet = attempt.worksheet
    shown = shown_steps(sheet, attempt.facts)
    position = sum(index <= attempt.step_index for index in shown) or 1
    started = attempt.response.started_at
    text = screens.resume_offer(sheet, attempt.client, started, position, len(shown), words)
    again = words(screens.START_FROM_LATEST if from_latest else screens.START_AGAIN)
    carry_on = h.button(words(screens.CONTINUE), primary=True, classes="ck-button")
    buttons = h.hbox([carry_on, h.button(again, classes="ck-button")], classes="ck-buttons")
    return page([h.html(text), buttons], complete=True, words=words)


def empty_value(item: Field) -> Value:
    """What an unanswered field's widget holds (``FieldBlock.read``): nothing ticked is ``[]``, an
    empty box ``""``, anything else ``None``."""
    if isinstance(item, MultiChoice):
        return []
    if isinstance(item, ShortText):
        return ""
    return None


def step_screen(
    sheet: Worksheet,
    index: int,
    carried: dict[str, Value],
    answers: dict[str, Value],
    greeting: str,
    words: Words = ENGLISH,
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
    header = h.html(
        screens.step_header(sheet, step, position, len(shown), greeting, None, screens.PRIVATE_NOTE, words)
    )
    untouched = (
        not step.preview
        and not sheet.in_crisis(facts)
        and all(answers.get(item.id) is None and not _notices(item, facts) for item in step.fields)
    )
    if not untouched:  # only the top: what follows would read an answer back
        return page([h.vbox([header])], complete=False, words=words)
    blocks = [
        h.vbox([field(item), h.html(), h.html()], width="100%", display=_display(item, facts))
        for item in step.fields
    ]
    last = position == len(shown) - 1
    buttons = h.hbox(
        [
            h.button(words(screens.BACK), words(screens.BACK_TOOLTIP), hidden=position == 0),
            h.button(words(screens.FINISH if last else screens.NEXT), primary=True),
        ],
        classes="ck-buttons",
    )
    wizard = h.vbox([header, h.vbox([]), h.vbox(blocks, width="100%"), h.vbox([]), h.html(), buttons])
    return page([wizard], complete=True, words=words)


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
        return h.radio_buttons(item.id, label, item.labels().values(), f"{classes} ck-yesno")
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
