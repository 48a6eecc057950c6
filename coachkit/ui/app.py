"""The client's page: who are you (the code), continue or start again, the wizard, the summary."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from coachkit.attempt import Attempt
from coachkit.exercises import all_worksheets, get_worksheet
from coachkit.links import SHEET_PARAMETER
from coachkit.settings import read_settings
from coachkit.store import Client, Response, Store, StoreUnavailable
from coachkit.ui import markup
from coachkit.ui.identity import IdentityCheck
from coachkit.ui.page import Page, code_from_query, first_name, message_page, query_parameter
from coachkit.ui.summary import next_links_html, summary_html
from coachkit.ui.takeaway import make_card, takeaway_html
from coachkit.ui.wizard import Wizard
from coachkit.widgets.guard import SOMETHING_WENT_WRONG, guarded, log
from coachkit.worksheet import Answers, Worksheet, shown_steps

REVISING = (
    "Here is your latest version, ready to change. Finishing keeps it as a new version; "
    "the earlier one stays in your history."
)
NOT_RECOGNIZED = "We don't recognize that code. Please check it with your coach and try again."
STORE_DOWN = (
    "This worksheet can't open just now. Nothing you saved before is lost. "
    "Please try again in a little while, or let your coach know."
)


RESUMED = "Welcome back. Your answers were kept, so you can carry on where you left off."
RESUME_PARAMETER = "resume"
"""``&resume=1`` in a link reopens the client's draft at once (the page adds it when it reloads itself)."""


class WorksheetApp(Page):
    """Everything a client sees for one worksheet."""

    def __init__(
        self, worksheet: Worksheet, store: Store, code: str | None = None, *, resume: bool = False
    ) -> None:
        super().__init__(worksheet.title)
        self.worksheet = worksheet
        self.store = store
        self.client: Client | None = None
        self.wizard: Wizard | None = None
        self.context = read_settings(store)
        self.resume = resume
        if code:
            self.enter(code)
        else:
            self.ask_code()

    def fail(self, message: str) -> None:
        self.show("showing a problem", w.HTML(markup.heading(self.title, 1) + markup.paragraph(message)))

    def _button(self, label: str, handler, primary: bool = False) -> w.Button:  # type: ignore[no-untyped-def]
        button = w.Button(description=label, button_style="primary" if primary else "")
        button.add_class("ck-button")
        button.on_click(guarded(handler, self.fail))
        return button

    # -- who is this? ----------------------------------------------------------------------

    def ask_code(self, message: str = "") -> None:
        """The first screen when the link carries no (or an unknown) code."""
        box = w.Text(description="Your code", placeholder="e.g. K7QD-M2XP-9FRA")
        box.add_class("ck-field")
        box.style.description_width = "initial"
        note = w.HTML(f'<div class="ck-message" role="alert">{escape(message)}</div>' if message else "")
        start = self._button("Start", lambda _: self.enter(box.value), primary=True)
        buttons = w.HBox([start])
        buttons.add_class("ck-buttons")
        intro = markup.heading(self.worksheet.title, 1) + markup.paragraph(
            "Please type the code your coach gave you. It keeps your answers together, for you and "
            "your coach."
        )
        state = "code not recognized" if message else "asking for the client's code"
        self.show(state, w.HTML(intro), note, box, buttons)

    def enter(self, code: str) -> None:
        client = self.store.find_client_by_code(code or "")
        if client is None:
            log.info("unrecognized client code for %s", self.worksheet.id)
            self.ask_code(NOT_RECOGNIZED)
            return
        self.client = client
        draft = self.store.find_draft(client.id, self.worksheet.id)
        if draft is None:
            latest = self._latest_completed(client) if self.worksheet.revisable else None
            if latest is not None:
                self.show_latest(Attempt.resume(self.store, self.worksheet, client, latest))
            else:
                self.run(Attempt.start(self.store, self.worksheet, client))
            return
        attempt = Attempt.resume(self.store, self.worksheet, client, draft)
        if attempt.answers and self.resume:
            self.run(attempt, greeting=RESUMED)
        elif attempt.answers:
            self.offer_resume(attempt)
        else:
            self.run(attempt)

    # -- continue, run, finish -------------------------------------------------------------

    def offer_resume(self, attempt: Attempt) -> None:
        started = attempt.response.started_at.strftime("%-d %B")
        shown = shown_steps(self.worksheet, attempt.facts)
        position = sum(index <= attempt.step_index for index in shown) or 1
        text = (
            markup.heading(self.worksheet.title, 1)
            + markup.paragraph(f"Welcome back, {first_name(attempt.client)}.")
            + markup.paragraph(
                f"You started this on {started}, and your answers so far are saved. "
                f"You were on step {position} of {len(shown)}."
            )
        )
        resume = self._button("Continue where I left off", lambda _: self.run(attempt), primary=True)
        latest = self._latest_completed(attempt.client) if self.worksheet.revisable else None
        if latest is not None:  # starting again means starting from the latest version
            answers = self.store.get_answers(latest.id)
            fresh = self._button("Start again from my latest version", lambda _: self.revise(answers))
        else:
            fresh = self._button("Start again", lambda _: self.start_new())
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
        self.run(attempt, greeting=REVISING)

    def run(self, attempt: Attempt, greeting: str | None = None) -> None:
        if greeting is None:
            greeting = f"Hello {first_name(attempt.client)}." if not attempt.answers else ""
        try:
            attempt.claim()  # this page writes the draft from now on; another tab that had it stops
        except StoreUnavailable:
            log.warning("could not claim a draft: the store cannot be written")  # saving will say so
        self.wizard = Wizard(attempt, self.context, self.finish, greeting=greeting)
        self.show("in the worksheet", self.wizard.view)

    def finish(self, attempt: Attempt) -> None:
        """The summary; private answers this page loaded rather than was given wait for the client's code."""
        if attempt.concealed:
            check = IdentityCheck(attempt.client.code, lambda: self._reveal_and_finish(attempt), self.fail)
            given = {key: value for key, value in attempt.answers.items() if key not in attempt.concealed}
            help_now = markup.feedback_cards(self.worksheet.safety_net_feedback(given), self.context)
            intro = markup.heading(self.worksheet.title, 1) + markup.heading("Thank you. It's saved", 2)
            self.show("asking for the code before private answers", w.HTML(intro + help_now), check.view)
            return
        page = (
            markup.heading(self.worksheet.title, 1)
            + self._takeaway(attempt)
            + summary_html(self.worksheet, attempt.facts, self.context)
            + next_links_html(self.worksheet, attempt.facts, attempt.client.code)
        )
        self.show("showing the summary", w.HTML(page), self._again_button(attempt))

    def _reveal_and_finish(self, attempt: Attempt) -> None:
        attempt.reveal()
        self.finish(attempt)

    def show_latest(self, attempt: Attempt) -> None:
        """A revisable worksheet opened again: the latest version, and a way to revise it."""
        page = (
            markup.heading(self.worksheet.title, 1)
            + markup.paragraph(f"Welcome back, {first_name(attempt.client)}. Here is your latest version.")
            + self._takeaway(attempt)
            + next_links_html(self.worksheet, attempt.facts, attempt.client.code)
        )
        self.show("showing the latest version", w.HTML(page), self._again_button(attempt))

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
            self.worksheet, first_name(attempt.client), attempt.facts, finished.astimezone().date()
        )
        return takeaway_html(card) if card else ""


LINK_INCOMPLETE = "This link isn't complete. Please ask your coach for your link again."


def open_linked_worksheet(store: Store | None = None) -> Page:
    """The client page for the worksheet the link names (``?sheet=ID``): every worksheet's one notebook."""
    worksheet_id = query_parameter(SHEET_PARAMETER) or ""
    if worksheet_id not in all_worksheets():
        return message_page("Your worksheet", LINK_INCOMPLETE, "link incomplete")
    return open_worksheet(worksheet_id, store)


def open_worksheet(worksheet_id: str, store: Store | None = None) -> Page:
    """Build the client page for a worksheet; a notebook cell displays what this returns."""
    worksheet = get_worksheet(worksheet_id)
    try:
        resume = query_parameter(RESUME_PARAMETER) == "1"
        return WorksheetApp(worksheet, store or Store(), code_from_query(), resume=resume)
    except StoreUnavailable:
        log.exception("store unavailable while opening %s", worksheet_id)
        return message_page(worksheet.title, STORE_DOWN, "store unavailable")
    except Exception:
        log.exception("could not open %s", worksheet_id)
        return message_page(worksheet.title, SOMETHING_WENT_WRONG, "failed to open")
