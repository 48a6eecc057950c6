"""The client's page: the one notebook every client link leads to, showing their own page or a worksheet.

The server signs a browser in (a link that opens once, or the client's typed code) and tells the page's
kernel which session it serves (``?session=ID`` in the kernel's ``QUERY_STRING``, never in the browser's
address). The page shows what that session last showed, the client's own page at first or the worksheet
its link named, and moves between them in place, noting each move in the session so a reload reopens the
same one. The browser's address stays the same throughout, so its history names no worksheet.
"""

from __future__ import annotations

import os
import time

import ipywidgets as w

from coachkit.exercises import all_worksheets
from coachkit.store import Client, ClientSession, MissingEntry, Store, StoreUnavailable
from coachkit.ui import markup
from coachkit.ui.app import STORE_DOWN, WorksheetApp
from coachkit.ui.history import HistoryPage
from coachkit.ui.inline import how_to_run_inline
from coachkit.ui.page import Page, message_page, query_parameter
from coachkit.widgets.guard import SOMETHING_WENT_WRONG, log
from coachkit.widgets.tree import close_tree

WELCOME = "Welcome"
NOT_SERVED = "A client's page"
SIGNED_OUT = "Please open the link your coach gave you, or type your code on the page it opens."
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
    ) -> None:
        self.store = store
        self.session = session
        self.client = client
        self.revealed = session.code_typed
        self.current: Page | None = None
        self._touched = time.monotonic()
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
        page = self._page(sheet, resume)
        old, self.current = self.current, page
        self.view.children = (page.view,)
        if old is not None:
            close_tree(old.view)

    def open(self, sheet: str | None) -> None:
        """Move to another page (a button on this one), and remember it for a reload."""
        self.store.show_in_session(self.session.id, sheet)
        self.show(sheet)

    def _page(self, sheet: str | None, resume: bool) -> Page:
        if sheet is None:
            return HistoryPage(
                self.store,
                self.client,
                revealed=self.revealed,
                navigate=self.open,
                on_code_typed=self._typed,
                time_zone=self.time_zone,
            )
        return WorksheetApp(
            all_worksheets()[sheet],
            self.store,
            client=self.client,
            resume=resume,
            revealed=self.revealed,
            navigate=self.open,
            on_code_typed=self._typed,
            on_saved=self._in_use,
            on_finish=self._finished,
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
        title = self.current.title if self.current else WELCOME
        bundle["text/plain"] = f"{title} · {self.state}"
        return bundle


def open_client_page(store: Store | None = None) -> ClientApp | Page:
    """The client's page for the session the server named; a notebook cell displays what this returns.

    Opened as a notebook (JupyterLab, nbval) rather than served, it says how to run a worksheet for a
    client in a notebook instead: a served page always has the request's ``QUERY_STRING``."""
    if "QUERY_STRING" not in os.environ:
        page = Page(NOT_SERVED)
        page.show("opened as a notebook", w.HTML(markup.heading(NOT_SERVED, 1) + how_to_run_inline()))
        return page
    session_id = query_parameter("session") or ""
    if not session_id.isdigit():
        return message_page(WELCOME, SIGNED_OUT, "not signed in")
    try:
        store = store or Store()
        session = store.get_session(int(session_id))
        client = store.get_client(session.client_id)
        return ClientApp(store, session, client, resume=query_parameter("resume") == "1")
    except MissingEntry:
        return message_page(WELCOME, SIGNED_OUT, "not signed in")
    except StoreUnavailable:
        log.exception("store unavailable while opening a client's page")
        return message_page(WELCOME, STORE_DOWN, "store unavailable")
    except Exception:
        log.exception("could not open a client's page")
        return message_page(WELCOME, SOMETHING_WENT_WRONG, "failed to open")
