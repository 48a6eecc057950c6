"""One worksheet as the client sees it: continue or start again, the wizard, the summary.

Shown inside the client's page (``coachkit.ui.client``), which says whose it is and moves between pages;
it can also run on its own for a client (a notebook cell, tests), asking for the code when given none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from html import escape

import ipywidgets as w

from coachkit.attempt import Attempt
from coachkit.exercises import get_worksheet
from coachkit.i18n import ENGLISH, N_, Words
from coachkit.settings import page_context
from coachkit.store import Client, Response, Store, StoreUnavailable
from coachkit.ui import markup, screens
from coachkit.ui.identity import EXAMPLE_CODE, IdentityCheck
from coachkit.ui.page import Page, message_page
from coachkit.ui.screens import RESUMED as RESUMED  # what the page says on resuming (tests read it)
from coachkit.ui.summary import next_links, summary_html
from coachkit.ui.takeaway import make_card, takeaway_html
from coachkit.ui.wizard import Wizard
from coachkit.widgets.guard import SOMETHING_WENT_WRONG, guarded, log
from coachkit.worksheet import Answers, Worksheet, shown_steps

Navigate = Callable[[str | None], None]
"""Open another page of the client's: a worksheet by id, or None for their own page."""

HISTORY_TITLE = N_("Everything you've done so far")
REVISING = N_(
    "Here is your latest version, ready to change. Finishing keeps it as a new version; "
    "the earlier one stays in your history."
)
NOT_RECOGNIZED = N_("We don't recognize that code. Please check it with your coach and try again.")
STORE_DOWN = N_(
    "This worksheet can't open just now. Nothing you saved before is lost. "
    "Please try again in a little while, or let your coach know."
)


ASK_CODE = N_(
    "Please type the code your coach gave you. It keeps your answers together, for you and your coach."
)


def _nothing(*_: object) -> None:
    return None


class WorksheetApp(Page):
    """Everything a client sees for one worksheet.

    Given a ``client`` (their signed-in page) it opens at once; given a ``code``, or nothing, it checks
    or asks for the code first. ``revealed``: the client typed their code in this visit, so their private
    answers may be shown. The callbacks let the page around it follow along: ``navigate`` opens another
    page, ``on_code_typed`` and ``on_saved`` are called when the client types their code or an answer is
    saved, ``on_finish`` when they finish. ``words`` is the page's language (the worksheet is given in it).
    ``served``: on the page ``coachkit serve`` sends (off: in a coach's notebook, which has no Quick exit,
    so the note about it is left out).
    """

    def __init__(
        self,
        worksheet: Worksheet,
        store: Store,
        code: str | None = None,
        *,
        client: Client | None = None,
        resume: bool = False,
        revealed: bool = False,
        navigate: Navigate | None = None,
        on_code_typed: Callable[[], None] = _nothing,
        on_saved: Callable[[], None] = _nothing,
        on_finish: Callable[[], None] = _nothing,
        words: Words = ENGLISH,
        showing: Attempt | None = None,
        served: bool = True,
    ) -> None:
        super().__init__(worksheet.title)
        self.served = served
        self.worksheet = worksheet
        self.store = store
        self.words = words
        self.client: Client | None = None
        self.wizard: Wizard | None = None
        self.shown: Attempt | None = None
        """The finished attempt on screen (its summary), if any."""
        self.context = page_context(store, words)
        self.resume = resume
        self.revealed = revealed
        self.navigate = navigate
        self.on_code_typed = on_code_typed
        self.on_saved = on_saved
        self.on_finish = on_finish
        if client is not None and showing is not None:  # its summary again, in another language
            self.client = client
            self.finish(replace(showing, worksheet=worksheet, concealed=set(showing.concealed)))
        elif client is not None:
            self.enter_as(client)
        elif code:
            self.enter(code)
        else:
            self.ask_code()

    def fail(self, message: str) -> None:
        said = markup.paragraph(self.words(message))
        self.show("showing a problem", w.HTML(markup.heading(self.title, 1) + said))

    def _button(self, label: str, handler, primary: bool = False) -> w.Button:  # type: ignore[no-untyped-def]
        """A button; ``label`` as the client reads it (already in the page's language)."""
        button = w.Button(description=label, button_style="primary" if primary else "")
        button.add_class("ck-button")
        button.on_click(guarded(handler, self.fail))
        return button

    # -- who is this? ----------------------------------------------------------------------

    def ask_code(self, message: str = "") -> None:
        """The first screen when the link carries no (or an unknown) code."""
        _ = self.words
        box = w.Text(description=_("Your code"), placeholder=_(EXAMPLE_CODE))
        box.add_class("ck-field")
        box.style.description_width = "initial"
        note = w.HTML(f'<div class="ck-message" role="alert">{escape(_(message))}</div>' if message else "")
        start = self._button(_("Start"), lambda _button: self.enter(box.value), primary=True)
        buttons = w.HBox([start])
        buttons.add_class("ck-buttons")
        intro = markup.heading(self.worksheet.title, 1) + markup.paragraph(_(ASK_CODE))
        state = "code not recognized" if message else "asking for the client's code"
        self.show(state, w.HTML(intro), note, box, buttons)

    def enter(self, code: str) -> None:
        client = self.store.find_client_by_code(code or "")
        if client is None:
            log.info("unrecognized client code for %s", self.worksheet.id)
            self.ask_code(NOT_RECOGNIZED)
            return
        self.revealed = True  # they typed it just now
        self.enter_as(client)

    def _resume(self, client: Client, response: Response) -> Attempt:
        attempt = Attempt.resume(self.store, self.worksheet, client, response)
        if self.revealed:
            attempt.reveal()
        return attempt

    def enter_as(self, client: Client) -> None:
        self.client = client
        draft = self.store.find_draft(client.id, self.worksheet.id)
        if draft is None:
            latest = self._latest_completed(client) if self.worksheet.revisable else None
            if latest is not None:
                self.show_latest(self._resume(client, latest))
            else:
                self.run(Attempt.start(self.store, self.worksheet, client))
            return
        attempt = self._resume(client, draft)
        if attempt.answers and self.resume:
            self.run(attempt, greeting=self.words(RESUMED))
        elif attempt.answers:
            self.offer_resume(attempt)
        else:
            self.run(attempt)

    # -- continue, run, finish -------------------------------------------------------------

    def offer_resume(self, attempt: Attempt) -> None:
        _ = self.words
        shown = shown_steps(self.worksheet, attempt.facts)
        position = sum(index <= attempt.step_index for index in shown) or 1
        text = screens.resume_offer(
            self.worksheet, attempt.client, attempt.response.started_at, position, len(shown), _
        )
        resume = self._button(_(screens.CONTINUE), lambda _b: self.run(attempt), primary=True)
        latest = self._latest_completed(attempt.client) if self.worksheet.revisable else None
        if latest is not None:  # starting again means starting from the latest version
            answers = self.store.get_answers(latest.id)
            fresh = self._button(_(screens.START_FROM_LATEST), lambda _b: self.revise(answers))
        else:
            fresh = self._button(_(screens.START_AGAIN), lambda _b: self.start_new())
        buttons = w.HBox([resume, fresh])
        buttons.add_class("ck-buttons")
        self.show("offering to continue a draft", w.HTML(text), buttons)

    def _latest_completed(self, client: Client) -> Response | None:
        responses = self.store.find_responses(client.id, self.worksheet.id)
        return next((r for r in responses if r.status == "completed"), None)

    def start_new(self) -> None:
        assert self.client is not None
        self.run(Attempt.start(self.store, self.worksheet, self.client))

    def revise(self, answers: Answers) -> None:
        """A new version that starts from these answers; the earlier one stays as it was."""
        assert self.client is not None
        attempt = Attempt.start_revision(self.store, self.worksheet, self.client, answers)
        self.run(attempt, greeting=self.words(REVISING))

    def run(self, attempt: Attempt, greeting: str | None = None) -> None:
        if greeting is None:
            greeting = screens.hello(attempt.client, self.words) if not attempt.answers else ""
        try:
            attempt.claim()  # this page writes the draft from now on; another tab that had it stops
        except StoreUnavailable:
            log.warning("could not claim a draft: the store cannot be written")  # saving will say so
        self.wizard = Wizard(
            attempt,
            self.context,
            self.finished,
            greeting=greeting,
            on_revealed=self._code_typed,
            on_saved=self.on_saved,
            words=self.words,
            **({} if self.served else {"private_note": ""}),
        )
        self.show("in the worksheet", self.wizard.view)

    def _code_typed(self) -> None:
        self.revealed = True
        self.on_code_typed()

    def finished(self, attempt: Attempt) -> None:
        """The client pressed Finish and it is saved: the page around this one hears of it first."""
        self.on_finish()
        self.finish(attempt)

    def finish(self, attempt: Attempt) -> None:
        """The summary; private answers this page loaded rather than was given wait for the client's code."""
        self.shown = attempt
        if attempt.concealed:
            check = IdentityCheck(
                attempt.client.code, lambda: self._reveal_and_finish(attempt), self.fail, self.words
            )
            given = {key: value for key, value in attempt.answers.items() if key not in attempt.concealed}
            help_now = markup.feedback_cards(self.worksheet.safety_net_feedback(given), self.context)
            saved = self.words("Thank you. It's saved")
            intro = markup.heading(self.worksheet.title, 1) + markup.heading(saved, 2)
            self.show("asking for the code before private answers", w.HTML(intro + help_now), check.view)
            return
        page = (
            markup.heading(self.worksheet.title, 1)
            + self._takeaway(attempt)
            + summary_html(self.worksheet, attempt.facts, self.context, words=self.words)
        )
        self.show("showing the summary", w.HTML(page), self._again_button(attempt), *self._next(attempt))

    def _reveal_and_finish(self, attempt: Attempt) -> None:
        attempt.reveal()
        self._code_typed()
        self.finish(attempt)

    def _next(self, attempt: Attempt) -> list[w.Widget]:
        """What next: the worksheets suggested, and the client's own page (buttons that open them here)."""
        navigate = self.navigate
        if navigate is None:
            return []
        pages = [*next_links(self.worksheet, attempt.facts), (self.words(HISTORY_TITLE), None)]
        buttons = [self._button(label, lambda _, to=target: navigate(to)) for label, target in pages]
        for button in buttons:
            button.add_class("ck-link-button")
        column = w.VBox(buttons)
        column.add_class("ck-next")
        return [w.HTML(markup.heading(self.words("What next"), 2)), column]

    def show_latest(self, attempt: Attempt) -> None:
        """A revisable worksheet opened again: the latest version, and a way to revise it."""
        page = screens.latest_intro(self.worksheet, attempt.client, self.words) + self._takeaway(attempt)
        self.show(
            "showing the latest version", w.HTML(page), self._again_button(attempt), *self._next(attempt)
        )

    def _again_button(self, attempt: Attempt) -> w.HBox:
        if self.worksheet.revisable:
            answers = dict(attempt.answers)
            button = self._button(self.worksheet.revise_label, lambda _: self.revise(answers), primary=True)
        else:
            button = self._button(self.worksheet.again_label, lambda _: self.start_new())
        row = w.HBox([button])
        row.add_class("ck-buttons")
        return row

    def _takeaway(self, attempt: Attempt) -> str:
        finished = attempt.response.completed_at or attempt.response.updated_at
        card = make_card(
            self.worksheet,
            screens.first_name(attempt.client),
            attempt.facts,
            finished.astimezone().date(),
            self.context.get("page_title", "Notes"),
            self.words,
        )
        return takeaway_html(card, self.words) if card else ""


def open_worksheet(worksheet_id: str, store: Store | None = None, *, code: str | None = None) -> Page:
    """A worksheet on its own, for the client whose ``code`` is given (else it asks for it)."""
    worksheet = get_worksheet(worksheet_id)
    try:
        return WorksheetApp(worksheet, store or Store(), code)
    except StoreUnavailable:
        log.exception("store unavailable while opening %s", worksheet_id)
        return message_page(worksheet.title, STORE_DOWN, "store unavailable")
    except Exception:
        log.exception("could not open %s", worksheet_id)
        return message_page(worksheet.title, SOMETHING_WENT_WRONG, "failed to open")
