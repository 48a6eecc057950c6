"""The couple part of a client's page on the dashboard: link a partner, see whether they can be worked
with together, their answers side by side, their measures over time, and shares to approve.

Everything joint waits for the couples' safety gate (``coachkit.couples.service.couple_gate``), read afresh
each time the page is drawn; while it is closed the coach reads why, and nothing joint is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from coachkit.coach import couples as couple_frames
from coachkit.coach import panels
from coachkit.couples.service import approve_share, couple_gate
from coachkit.couples.shared import shared_content
from coachkit.exercises import WORKSHEETS
from coachkit.store import Client, CoupleRefused, Share, Store
from coachkit.widgets.guard import guarded


class CoupleBox:
    """One client's couple part: ``view``; ``on_change`` redraws the page after a change."""

    def __init__(
        self,
        store: Store,
        client: Client,
        say: Callable[[str], None],
        on_change: Callable[[], None],
        on_error,
    ) -> None:  # type: ignore[no-untyped-def]
        self.store, self.client, self.say, self.on_change = store, client, say, on_change
        self.on_error = on_error
        partner_id = store.find_partner(client.id)
        parts: list[w.Widget] = [w.HTML("<h2>Couple</h2>")]
        if partner_id is None:
            parts += self._link_part()
        else:
            parts += self._couple_part(store.get_client(partner_id))
        self.view = w.VBox(parts, layout=w.Layout(width="100%"))
        self.view.add_class("ck-couple-part")

    def _button(self, label: str, handler: Callable[[], None]) -> w.Button:
        button = w.Button(description=label)
        button.on_click(guarded(lambda _: handler(), self.on_error))
        return button

    # -- not linked yet --------------------------------------------------------------------------

    def _link_part(self) -> list[w.Widget]:
        linked = {client_id for pair in self.store.find_couples() for client_id in pair}
        others = [c for c in self.store.find_clients() if c.id != self.client.id and c.id not in linked]
        if not others:
            alone = "Not linked to a partner. Add their partner as a client to link them."
            return [w.HTML(f'<p class="ck-muted">{alone}</p>')]
        choice = w.Dropdown(options=[(other.name, other.id) for other in others], description="Partner")
        link = self._button("Link as partners", lambda: self._link(int(choice.value)))
        note = w.HTML(
            '<p class="ck-muted">Each keeps their own code, links, answers and history; nothing one types is '
            "shown to the other. Side by side is for your eyes, once both have said no one was hurt.</p>"
        )
        return [note, w.HBox([choice, link])]

    def _link(self, partner_id: int) -> None:
        try:
            self.store.link_partners(self.client.id, partner_id)
        except CoupleRefused as refused:
            self.say(f"Not linked: {refused}.")
            return
        self.on_change()
        self.say("Linked as partners.")

    # -- linked ----------------------------------------------------------------------------------

    def _couple_part(self, partner: Client) -> list[w.Widget]:
        checked = couple_gate(self.store, self.client.id)
        html = couple_frames.gate_html(checked, self.client, partner)
        if checked.open:
            for sheet, rows in couple_frames.comparisons(self.store, self.client, partner):
                html += couple_frames.comparison_html(sheet, rows, self.client, partner)
            html += panels.chart_grid(couple_frames.couple_charts(self.store, self.client, partner))
        unlink = self._button("Unlink them", self._unlink)
        return [w.HTML(html), *self._shares(checked.open), w.HBox([unlink])]

    def _unlink(self) -> None:
        self.store.unlink_partners(self.client.id)
        self.on_change()
        self.say("Unlinked. Each keeps every answer; shares between them have ended.")

    def _shares(self, gate_open: bool) -> list[w.Widget]:
        between = [s for s in self.store.find_shares(self.client.id) if s.withdrawn_at is None]
        if not between:
            return []
        parts: list[w.Widget] = [w.HTML("<h3>Shared between them</h3>")]
        for share in between:
            parts.append(w.HTML(self._share_html(share)))
            buttons = []
            if share.approved_at is None and gate_open:
                buttons.append(self._button("Approve", lambda s=share: self._approve(s.id)))
            buttons.append(self._button("Withdraw", lambda s=share: self._withdraw(s.id)))
            parts.append(w.HBox(buttons))
        return parts

    def _share_html(self, share: Share) -> str:
        sender, receiver = (
            self.store.get_client(share.from_client_id),
            self.store.get_client(share.to_client_id),
        )
        response = self.store.get_response(share.response_id)
        sheet = WORKSHEETS.get(response.worksheet_id)
        state = "shown to them" if share.live else "waiting for your approval"
        head = (
            f"{escape(sender.name)} shares their {escape(share.what)} with {escape(receiver.name)} ({state}):"
        )
        if sheet is None:
            return f"<p>{head}</p>"
        content = shared_content(sheet, self.store.get_answers(response.id), share.what, sender.name)
        lines = "".join(f"<p>{escape(line)}</p>" for line in content.lines)
        title = f"<h4>{escape(content.title)}</h4>"
        return f'<div class="ck-share"><p><strong>{head}</strong></p>{title}{lines}</div>'

    def _approve(self, share_id: int) -> None:
        try:
            approve_share(self.store, share_id)
        except CoupleRefused as refused:
            self.say(f"Not approved: {refused}.")
            return
        self.on_change()
        self.say("Approved: their partner can see it on their own page.")

    def _withdraw(self, share_id: int) -> None:
        self.store.withdraw_share(share_id)
        self.on_change()
        self.say("Withdrawn: their partner sees it no more.")
