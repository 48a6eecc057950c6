"""The client's own page: what the coach assigned (``ui.homework``), what is in progress, then every
worksheet they finished, each summary and card readable again, and reminders by email.

Shown on the client's own page (``coachkit.ui.client``). Finished ones newest first; each entry opens to
the summary as it read when they finished (feedback, answers, card) and a revisable worksheet lists every
version.
Unfinished drafts open where they left off. Unless the client typed their code in this visit, an entry
with private answers (about safety or self-harm) stays closed, and does not even name its worksheet,
until they type it: whoever holds the phone may not be the client.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from coachkit.attempt import Attempt
from coachkit.exercises import worksheets_in
from coachkit.homework.assigning import Homework, homework_of, may_remind
from coachkit.i18n import ENGLISH, N_, Words
from coachkit.settings import page_context
from coachkit.store import Client, Response, Store
from coachkit.ui import homework as assigned
from coachkit.ui import markup
from coachkit.ui.identity import IdentityCheck
from coachkit.ui.page import Page, first_name
from coachkit.ui.sharing import sharing_parts
from coachkit.ui.summary import summary_html
from coachkit.ui.takeaway import make_card, takeaway_html
from coachkit.widgets.guard import guarded

TITLE = N_("Your worksheets")
NOTHING_YET = N_("Nothing here yet. The worksheets you finish will be listed here, newest first.")
PRIVATE = N_("This one has private answers. Type your code above to read it.")
PRIVATE_TITLE = N_("A worksheet with private answers")
OLDER_VERSION = N_(
    "You answered an earlier version of this worksheet, so a few questions may read differently now."
)


def _day(response: Response, words: Words) -> str:
    return words.date((response.completed_at or response.updated_at).astimezone().date())


class HistoryPage(Page):
    """The list of a client's worksheets; private entries open once the client types their code."""

    def __init__(
        self,
        store: Store,
        client: Client,
        *,
        revealed: bool = False,
        navigate: Callable[[str | None], None] | None = None,
        on_code_typed: Callable[[], None] = lambda: None,
        time_zone: str = "UTC",
        words: Words = ENGLISH,
    ) -> None:
        super().__init__(words(TITLE))
        self.words = words
        self.sheets = worksheets_in(words.language)
        self.time_zone = time_zone
        self.store = store
        self.client = client
        self.context = page_context(store, words)
        self.revealed = revealed
        self.navigate = navigate
        self.on_code_typed = on_code_typed
        self.render()

    def _attempts(self) -> list[Attempt]:
        found = []
        for response in self.store.find_responses(self.client.id):
            sheet = self.sheets.get(response.worksheet_id)
            if sheet is not None:
                found.append(Attempt.resume(self.store, sheet, self.client, response))
        return found

    def render(self) -> None:
        attempts = self._attempts()
        done = [attempt for attempt in attempts if attempt.completed]
        drafts = [attempt for attempt in attempts if not attempt.completed]
        homework = homework_of(self.store, self.client.id)
        safe = self.store.find_latest_answers(self.client.id, ["safe_contact"]).get("safe_contact")
        private = not self.revealed and (
            any(attempt.concealed for attempt in attempts)
            or any(
                assigned.is_private(item.assignment.worksheet_id) for item in homework if not item.finished
            )
            or may_remind(safe)
        )
        _ = self.words
        hello = _("Hello {name}.", name=first_name(self.client))
        parts: list[w.Widget] = [w.HTML(markup.heading(_(TITLE), 1) + markup.paragraph(hello))]
        if private:
            parts.append(IdentityCheck(self.client.code, self.reveal, self._fail, _).view)
        parts.extend(self._assigned(homework))
        parts.extend(self._drafts([d for d in drafts if self.revealed or not d.concealed]))
        if not homework:  # a coach who hands out links rather than homework: every worksheet, as before
            parts.extend(self._new({attempt.worksheet.id for attempt in drafts}))
        html = "".join(self._entry_html(attempt) for attempt in done)
        if done:
            parts.append(w.HTML(markup.heading(_("Finished"), 2) + html))
        elif not drafts:
            parts.append(w.HTML(markup.paragraph(_(NOTHING_YET), "ck-muted")))
        if self.revealed:
            parts.extend(sharing_parts(self.store, self.client, self.render, self._fail, _))
            panel = assigned.ReminderPanel(self.store, self.client, self.time_zone, self._fail, _)
            parts.append(panel.view)
        open_ = sum(not item.finished for item in homework)
        state = (
            (f"{open_} assigned, " if homework else "")
            + f"{len(done)} finished, {len(drafts)} unfinished"
            + (", private answers hidden" if private else "")
        )
        self.show(state, *parts)

    def _assigned(self, homework: list[Homework]) -> list[w.Widget]:
        title = self.context.get("page_title", "Notes")
        return assigned.assigned(
            homework, self.revealed, self.navigate, title, self.store.now(), self._fail, self.words
        )

    def reveal(self) -> None:
        self.revealed = True
        self.on_code_typed()
        self.render()

    def _fail(self, message: str) -> None:
        said = markup.heading(self.words(TITLE), 1) + markup.paragraph(self.words(message))
        self.show("showing a problem", w.HTML(said))

    def _drafts(self, drafts: list[Attempt]) -> list[w.Widget]:
        """Unfinished worksheets, each a button that opens it where the client left off."""
        _ = self.words
        pages = [
            (_("{title} (not finished yet)", title=attempt.worksheet.title), attempt.worksheet.id)
            for attempt in drafts
        ]
        return self._buttons(_("Carry on"), pages)

    def _new(self, started: set[str]) -> list[w.Widget]:
        """Every other worksheet, to start (or, for a plan kept and revised, to open again)."""
        pages = [(sheet.title, sheet.id) for sheet in self.sheets.values() if sheet.id not in started]
        return self._buttons(self.words("Worksheets from your coach"), pages)

    def _buttons(self, heading: str, pages: list[tuple[str, str]]) -> list[w.Widget]:
        navigate = self.navigate
        if not pages or navigate is None:
            return []
        buttons = []
        for label, sheet in pages:
            button = w.Button(description=label)
            button.add_class("ck-button")
            button.add_class("ck-link-button")
            button.on_click(guarded(lambda _, to=sheet: navigate(to), self._fail))
            buttons.append(button)
        column = w.VBox(buttons)
        column.add_class("ck-next")
        return [w.HTML(markup.heading(heading, 2)), column]

    def _entry_html(self, attempt: Attempt) -> str:
        sheet, response = attempt.worksheet, attempt.response
        _ = self.words
        title = f"{sheet.title} · {_day(response, _)}"
        if attempt.concealed and not self.revealed:
            title = f"{_(PRIVATE_TITLE)} · {_day(response, _)}"  # even which worksheet it was stays private
            body = markup.paragraph(_(PRIVATE), "ck-private")
        else:
            card = make_card(
                sheet,
                first_name(self.client),
                attempt.facts,
                response.updated_at.astimezone().date(),
                self.context.get("page_title", "Notes"),
                _,
            )
            note = (
                markup.paragraph(_(OLDER_VERSION), "ck-muted")
                if response.worksheet_version != sheet.version
                else ""
            )
            body = (
                note
                + (takeaway_html(card, _) if card else "")
                + summary_html(sheet, attempt.facts, self.context, thanks=False, words=_)
            )
        return (
            f'<details class="ck-entry"><summary>{escape(title)}</summary>'
            f'<div class="ck-entry-body">{body}</div></details>'
        )
