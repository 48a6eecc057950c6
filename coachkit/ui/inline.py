"""A worksheet run for a client in the coach's own notebook (JupyterLab), beside them in a session.

``coachkit.open_worksheet("fight-or-make-it-right", client="Sam")`` shows the same page the client's link
opens: the same steps, checks, autosave, flags and alerts, saved to the same store as the client. It runs
in the coach's kernel, behind the coach's own login, so the client's private answers show as they do on
the dashboard (as if the client had typed their code); the page's note about Quick exit is left out (a
notebook has none); "What next" opens the next worksheet, or the client's own page, in place. Opening a
draft here takes it over: a page of the client's that had it open stops saving and says so, as a second
tab would. It is in the client's language (their choice on their page, else the coach's setting for
them, else their browser's as last seen), or in ``language`` when the coach names one; what the coach
reads here (a client not found) stays in English.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from coachkit.codes import normalize_code
from coachkit.exercises import all_worksheets, worksheets_in
from coachkit.i18n import LANGUAGES, Words, resolve, served, words_for
from coachkit.store import Client, Store, StoreUnavailable
from coachkit.ui import markup
from coachkit.ui.app import STORE_DOWN, WorksheetApp
from coachkit.ui.history import HistoryPage
from coachkit.ui.page import Page, message_page
from coachkit.widgets.guard import SOMETHING_WENT_WRONG, log
from coachkit.widgets.tree import close_tree

TITLE = "Run a worksheet for a client"


class NotFound(LookupError):
    """No single client, or no worksheet, answers to what was given; the message says what to do."""


def find_client(store: Store, who: str) -> Client:
    """The client whose code (any case, spaces and dashes) or name (ignoring case) ``who`` is."""
    if normalize_code(who or "") is not None:
        found = store.find_client_by_code(who)
        if found is not None:
            return found
    named = store.find_clients(who or "")
    if len(named) == 1:
        return named[0]
    if named:
        raise NotFound(
            f"{len(named)} clients are called “{who}”. Give their code instead "
            "(it is on their page of your dashboard, or in `coachkit client list`)."
        )
    raise NotFound(
        f"No client is called “{who}”, and no client has that code. Check the name as it is on your "
        "dashboard, or give their code."
    )


def inline_language(store: Store, client: Client, language: str | None = None) -> str:
    """The language to run a worksheet in for ``client``: ``language`` if the coach named one, else the
    client's page's (``coachkit.i18n.resolve``, with the browser's language as last seen)."""
    if language is not None:
        code = served(language)
        if code is None:
            names = ", ".join(f"{each.code} ({each.english})" for each in LANGUAGES.values())
            raise NotFound(f"Worksheets are not written in “{language}”. The languages: {names}.")
        return code
    kept = store.get_languages(client.id)
    return resolve(kept.chosen, kept.coach, kept.browser)


class InlineWorksheet:
    """One client's worksheet (or own page) in a notebook cell, switched in place, in ``view``, in the
    client's language (``words``)."""

    def __init__(self, store: Store, client: Client, sheet: str, words: Words | None = None) -> None:
        self.store = store
        self.client = client
        self.words = words or words_for(inline_language(store, client))
        self.current: Page | None = None
        self.direction = w.HTML(markup.cell_language(self.words.language, "ck-inline"))
        self.view = w.VBox(layout=w.Layout(width="100%"))
        self.view.add_class("ck-inline")
        self.open(sheet)

    @property
    def state(self) -> str:
        return self.current.state if self.current else ""

    def open(self, sheet: str | None) -> None:
        """Show a worksheet (by id) or, for None, the client's own page; close what was shown."""
        if sheet is None:
            zone = self.store.get_contact(self.client.id).time_zone or "UTC"
            page: Page = HistoryPage(
                self.store, self.client, revealed=True, navigate=self.open, time_zone=zone, words=self.words
            )
        else:
            page = WorksheetApp(
                worksheets_in(self.words.language)[sheet],
                self.store,
                client=self.client,
                revealed=True,
                navigate=self.open,
                words=self.words,
                served=False,
            )
        old, self.current = self.current, page
        self.view.children = (self.direction, page.view)
        if old is not None:
            close_tree(old.view)

    def _repr_mimebundle_(self, **kwargs: object) -> dict[str, object]:
        bundle = self.view._repr_mimebundle_(**kwargs)
        title = self.current.title if self.current else TITLE
        bundle["text/plain"] = f"{title} · {self.client.name} · {self.state}"
        return bundle


def open_for_client(
    worksheet_id: str, client: str, store: Store | None = None, language: str | None = None
) -> InlineWorksheet | Page:
    """The worksheet ``worksheet_id`` for the client named (or with the code) ``client``, in ``language``
    or the client's own; a plain message instead for an unknown worksheet, client or language, or a
    store that cannot be opened."""
    known = all_worksheets()
    if worksheet_id not in known:
        ids = ", ".join(f"“{sheet}”" for sheet in known)
        return message_page(
            TITLE, f"There is no worksheet “{worksheet_id}”. The worksheets: {ids}.", "unknown"
        )
    try:
        store = store or Store()
        found = find_client(store, client)
        words = words_for(inline_language(store, found, language))
        return InlineWorksheet(store, found, worksheet_id, words)
    except NotFound as problem:
        return message_page(TITLE, str(problem), "no such client")
    except StoreUnavailable:
        log.exception("store unavailable while opening %s inline", worksheet_id)
        return message_page(TITLE, STORE_DOWN, "store unavailable")
    except Exception:
        log.exception("could not open %s inline", worksheet_id)
        return message_page(TITLE, SOMETHING_WENT_WRONG, "failed to open")


def how_to_run_inline() -> str:
    """What the client's page says when opened in JupyterLab rather than served: how to run one here."""
    ids = "".join(
        f"<li><code>{escape(sheet)}</code>: {escape(s.title)}</li>" for sheet, s in all_worksheets().items()
    )
    return (
        "<p>This notebook is the page your clients’ links open: <code>coachkit serve</code> runs it for a "
        "client who has signed in, so on its own it shows nobody’s worksheet.</p>"
        "<p>To run a worksheet for a client here, beside them in a session, write in a cell of your own "
        "notebook (a client’s name as on your dashboard, or their code):</p>"
        '<pre>import coachkit\ncoachkit.open_worksheet("fight-or-make-it-right", client="Sam")</pre>'
        f"<p>The worksheets:</p><ul>{ids}</ul>"
    )
