"""The client's own history: every worksheet they finished, each summary and card readable again.

Opened from their link (``history.ipynb?client=CODE``). Newest first; each entry opens to the summary
as it read when they finished (feedback, answers, card) and a revisable worksheet lists every version.
Unfinished drafts link back to where they left off. Entries with private answers (about safety or
self-harm) stay closed until the client types their code, since a link can be opened from a phone's
history by someone else.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from coachkit.attempt import Attempt
from coachkit.exercises import WORKSHEETS
from coachkit.links import worksheet_page
from coachkit.settings import read_settings
from coachkit.store import Client, Response, Store, StoreUnavailable
from coachkit.ui import markup
from coachkit.ui.identity import IdentityCheck
from coachkit.ui.page import Page, code_from_query, first_name, message_page
from coachkit.ui.summary import summary_html
from coachkit.ui.takeaway import make_card, takeaway_html
from coachkit.widgets.guard import SOMETHING_WENT_WRONG, log

TITLE = "Your worksheets"
NOT_RECOGNIZED = "We don't recognize that code. Please check your link with your coach."
NOTHING_YET = "Nothing here yet. The worksheets you finish will be listed here, newest first."
PRIVATE = "This one has private answers. Type your code above to read it."
PRIVATE_TITLE = "A worksheet with private answers"
OLDER_VERSION = (
    "You answered an earlier version of this worksheet, so a few questions may read differently now."
)


def _day(response: Response) -> str:
    when = (response.completed_at or response.updated_at).astimezone()
    return f"{when.day} {when:%B %Y}"


class HistoryPage(Page):
    """The list of a client's worksheets; private entries open once the client types their code."""

    def __init__(self, store: Store, client: Client) -> None:
        super().__init__(TITLE)
        self.store = store
        self.client = client
        self.context = read_settings(store)
        self.revealed = False
        self.render()

    def _attempts(self) -> list[Attempt]:
        found = []
        for response in self.store.find_responses(self.client.id):
            sheet = WORKSHEETS.get(response.worksheet_id)
            if sheet is not None:
                found.append(Attempt.resume(self.store, sheet, self.client, response))
        return found

    def render(self) -> None:
        attempts = self._attempts()
        done = [attempt for attempt in attempts if attempt.completed]
        drafts = [attempt for attempt in attempts if not attempt.completed]
        private = not self.revealed and any(attempt.concealed for attempt in done)
        parts: list[w.Widget] = [
            w.HTML(markup.heading(TITLE, 1) + markup.paragraph(f"Hello {first_name(self.client)}."))
        ]
        if private:
            parts.append(IdentityCheck(self.client.code, self.reveal, self._fail).view)
        html = self._drafts_html(drafts) + "".join(self._entry_html(attempt) for attempt in done)
        parts.append(w.HTML(html or markup.paragraph(NOTHING_YET, "ck-muted")))
        state = f"{len(done)} finished, {len(drafts)} unfinished" + (
            ", private answers hidden" if private else ""
        )
        self.show(state, *parts)

    def reveal(self) -> None:
        self.revealed = True
        self.render()

    def _fail(self, message: str) -> None:
        self.show("showing a problem", w.HTML(markup.heading(TITLE, 1) + markup.paragraph(message)))

    def _drafts_html(self, drafts: list[Attempt]) -> str:
        if not drafts:
            return ""
        links = [
            (
                f"{attempt.worksheet.title} (not finished yet)",
                worksheet_page(attempt.worksheet.id, self.client.code),
            )
            for attempt in drafts
        ]
        return markup.heading("Carry on", 2) + markup.link_list(links)

    def _entry_html(self, attempt: Attempt) -> str:
        sheet, response = attempt.worksheet, attempt.response
        title = f"{sheet.title} · {_day(response)}"
        if attempt.concealed and not self.revealed:
            title = f"{PRIVATE_TITLE} · {_day(response)}"  # even which worksheet it was stays private
            body = markup.paragraph(PRIVATE, "ck-private")
        else:
            card = make_card(
                sheet, first_name(self.client), attempt.facts, response.updated_at.astimezone().date()
            )
            note = (
                markup.paragraph(OLDER_VERSION, "ck-muted")
                if response.worksheet_version != sheet.version
                else ""
            )
            body = (
                note
                + (takeaway_html(card) if card else "")
                + summary_html(sheet, attempt.facts, self.context, thanks=False)
            )
        return (
            f'<details class="ck-entry"><summary>{escape(title)}</summary>'
            f'<div class="ck-entry-body">{body}</div></details>'
        )


def open_history(store: Store | None = None) -> Page:
    """The client's history page for the code in the link; a notebook cell displays what this returns."""
    try:
        store = store or Store()
        client = store.find_client_by_code(code_from_query() or "")
        if client is None:
            return message_page(TITLE, NOT_RECOGNIZED, "code not recognized")
        return HistoryPage(store, client)
    except StoreUnavailable:
        log.exception("store unavailable while opening the history")
        return message_page(TITLE, SOMETHING_WENT_WRONG, "store unavailable")
    except Exception:
        log.exception("could not open the history")
        return message_page(TITLE, SOMETHING_WENT_WRONG, "failed to open")
