"""The client's page: the one notebook every client link leads to, showing their own page or a worksheet.

The server signs a browser in (a link that opens once, or the client's typed code) and tells the page's
kernel which session it serves (``?session=ID`` in the kernel's ``QUERY_STRING``, never in the browser's
address). The page shows what that session last showed, the client's own page at first or the worksheet
its link named, and moves between them in place, noting each move in the session so a reload reopens the
same one. The browser's address stays the same throughout, so its history names no worksheet.

The page speaks the client's language (``coachkit.i18n.resolve``): the one they chose with the picker at
its top (kept for them in the store), else the one their coach set, else their browser's, which the
server passes like the session (``lang=CODE``). Choosing another redraws the page in it, where it was,
and turns the page's ``lang`` and ``dir`` with it.
"""

from __future__ import annotations

import os
import time
from typing import Any

import ipywidgets as w

from coachkit.attempt import Attempt
from coachkit.exercises import all_worksheets, worksheets_in
from coachkit.i18n import DEFAULT, LANGUAGES, N_, Words, resolve, served, words_for
from coachkit.store import Client, ClientSession, MissingEntry, Store, StoreUnavailable
from coachkit.ui import markup
from coachkit.ui.app import STORE_DOWN, WorksheetApp
from coachkit.ui.history import HistoryPage
from coachkit.ui.inline import how_to_run_inline
from coachkit.ui.page import Page, message_page, query_parameter
from coachkit.widgets.guard import SOMETHING_WENT_WRONG, guarded, log
from coachkit.widgets.tree import close_tree

WELCOME = N_("Welcome")
NOT_SERVED = "A client's page"
"""The title of the clients' notebook opened in JupyterLab: for the coach, who reads English there."""
SIGNED_OUT = N_("Please open the link your coach gave you, or type your code on the page it opens.")
LANGUAGE_PARAMETER = "lang"
"""The language the client's browser asks for, as the server passes it to the page's kernel."""
TOUCH_SECONDS = 60.0
"""How often, at most, a page in use tells the store its session is still in use."""


class ClientApp:
    """One signed-in client's page: their own page or a worksheet, one at a time, in ``view``."""

    def __init__(
        self,
        store: Store,
        session: ClientSession,
        client: Client,
        *,
        resume: bool = False,
        language: str = DEFAULT,
    ) -> None:
        self.store = store
        self.session = session
        self.client = client
        self.revealed = session.code_typed
        self.current: Page | None = None
        self.sheet: str | None = None
        self._touched = time.monotonic()
        self.words: Words = words_for(language)
        self.picker = w.Dropdown(
            options=[(choice.name, choice.code) for choice in LANGUAGES.values()],
            value=self.words.language,
            style={"description_width": "initial"},
            layout=w.Layout(width="auto"),
        )
        self.picker.add_class("ck-language")
        self.picker.observe(guarded(self._picked, self._fail), names="value")
        self.direction = w.HTML(markup.page_language(self.words.language))
        self.bar = w.HBox([self.picker, self.direction])
        self.bar.add_class("ck-language-bar")
        self._label_picker()
        self.view = w.VBox(layout=w.Layout(width="100%"))
        self.time_zone = store.get_contact(client.id).time_zone or "UTC"
        """Kept from their browser as they signed in (``web.signin``); UTC until one is known."""
        self.show(session.sheet if session.sheet in all_worksheets() else None, resume=resume)

    @property
    def state(self) -> str:
        return self.current.state if self.current else ""

    def show(self, sheet: str | None, *, resume: bool = False) -> None:
        """Put the client's own page (None) or a worksheet on screen, closing what was there."""
        if sheet is not None and sheet not in all_worksheets():
            sheet = None
        self.sheet = sheet
        self._replace(self._page(sheet, resume))

    def _replace(self, page: Page) -> None:
        old, self.current = self.current, page
        self.view.children = (self.bar, page.view)
        if old is not None:
            close_tree(old.view)

    def _label_picker(self) -> None:
        label = self.words("Language")
        self.picker.description = label
        self.picker.tooltip = label

    def _picked(self, change: dict[str, Any]) -> None:
        """The client chose a language: kept for them, and this page drawn again in it, where it was."""
        language = served(change.get("new"))
        if language is None or language == self.words.language:
            return
        try:
            self.store.choose_language(self.client.id, language)
        except StoreUnavailable:
            log.warning("could not keep a client's language")  # this page still changes
        self.words = words_for(language)
        self._label_picker()
        self.direction.value = markup.page_language(language)
        finished = self.current.shown if isinstance(self.current, WorksheetApp) else None
        if finished is not None and finished.completed:
            self._replace(self._page(self.sheet, resume=False, showing=finished))
        else:
            self.show(self.sheet, resume=True)

    def _fail(self, message: str) -> None:
        if self.current is not None:
            self.current.show("showing a problem", w.HTML(markup.paragraph(self.words(message))))

    def open(self, sheet: str | None) -> None:
        """Move to another page (a button on this one), and remember it for a reload."""
        self.store.show_in_session(self.session.id, sheet)
        self.show(sheet)

    def _page(self, sheet: str | None, resume: bool, showing: Attempt | None = None) -> Page:
        if sheet is None:
            return HistoryPage(
                self.store,
                self.client,
                revealed=self.revealed,
                navigate=self.open,
                on_code_typed=self._typed,
                time_zone=self.time_zone,
                words=self.words,
            )
        return WorksheetApp(
            worksheets_in(self.words.language)[sheet],
            self.store,
            client=self.client,
            resume=resume,
            revealed=self.revealed,
            navigate=self.open,
            on_code_typed=self._typed,
            on_saved=self._in_use,
            on_finish=self._finished,
            words=self.words,
            showing=showing,
        )

    def _typed(self) -> None:
        """The client typed their code: their private answers may show on every page of this visit."""
        self.revealed = True
        self.store.note_code_typed(self.session.id)

    def _in_use(self) -> None:
        if time.monotonic() - self._touched > TOUCH_SECONDS:
            self._touched = time.monotonic()
            try:
                self.store.touch_session(self.session.id)
            except StoreUnavailable:
                log.warning("could not note a session in use")

    def _finished(self) -> None:
        """Finishing ends the session: this page stays, but no reload or history entry reopens it, and
        private answers on the pages it moves to wait for the code again."""
        self.revealed = False
        try:
            self.store.end_session(session_id=self.session.id)
        except StoreUnavailable:
            log.warning("could not end a session")

    def _repr_mimebundle_(self, **kwargs: object) -> dict[str, object]:
        bundle = self.view._repr_mimebundle_(**kwargs)
        title = self.current.title if self.current else self.words(WELCOME)
        bundle["text/plain"] = f"{title} · {self.state}"
        return bundle


def client_language(store: Store, client_id: int, browser: str | None) -> str:
    """The client's page's language: their choice, else their coach's setting, else their browser's."""
    try:
        kept = store.get_languages(client_id)
    except StoreUnavailable:
        return resolve(None, None, browser)
    return resolve(kept.chosen, kept.coach, browser)


def open_client_page(store: Store | None = None) -> ClientApp | Page:
    """The client's page for the session the server named; a notebook cell displays what this returns.

    Opened as a notebook (JupyterLab, nbval) rather than served, it says how to run a worksheet for a
    client in a notebook instead: a served page always has the request's ``QUERY_STRING``."""
    if "QUERY_STRING" not in os.environ:
        page = Page(NOT_SERVED)
        page.show("opened as a notebook", w.HTML(markup.heading(NOT_SERVED, 1) + how_to_run_inline()))
        return page
    session_id = query_parameter("session") or ""
    words = words_for(served(query_parameter(LANGUAGE_PARAMETER)) or DEFAULT)
    if not session_id.isdigit():
        return message_page(WELCOME, SIGNED_OUT, "not signed in", words)
    try:
        store = store or Store()
        session = store.get_session(int(session_id))
        client = store.get_client(session.client_id)
        language = client_language(store, client.id, words.language)
        resume = query_parameter("resume") == "1"
        return ClientApp(store, session, client, resume=resume, language=language)
    except MissingEntry:
        return message_page(WELCOME, SIGNED_OUT, "not signed in", words)
    except StoreUnavailable:
        log.exception("store unavailable while opening a client's page")
        return message_page(WELCOME, STORE_DOWN, "store unavailable", words)
    except Exception:
        log.exception("could not open a client's page")
        return message_page(WELCOME, SOMETHING_WENT_WRONG, "failed to open", words)
