"""On a client's own page, for a client linked to a partner: what their partner shared with them, and
sharing their own finished summary or card, by their choice.

Shown only once the client typed their code in this visit, and only while the couples' safety gate is
open (``coachkit.couples.service``): otherwise nothing here is shown at all, not even that a partner exists.
A share waits for the coach's approval before the partner sees it; either can withdraw it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from coachkit.couples.service import couple_gate, offer_share, shares_for
from coachkit.couples.shared import shared_content
from coachkit.exercises import worksheets_in
from coachkit.i18n import ENGLISH, N_, Words
from coachkit.store import Client, CoupleRefused, Response, Share, Store
from coachkit.ui import markup
from coachkit.widgets.guard import guarded

ONLY_IF = N_(
    "Only if you want to. Your coach looks at it first; you can stop sharing at any time. Private answers "
    "are never shared."
)
WAITING = N_("Waiting for your coach to look at it.")
SHOWN = N_("Your partner can see it.")


def sharing_parts(
    store: Store,
    client: Client,
    on_change: Callable[[], None],
    on_error: Callable[[str], None],
    words: Words = ENGLISH,
) -> list[w.Widget]:
    """The sharing part of the page (nothing while the gate is closed, or with no partner)."""
    if store.find_partner(client.id) is None or not couple_gate(store, client.id).open:
        return []
    _ = words
    parts: list[w.Widget] = []
    received = shares_for(store, client.id)
    if received:
        heading = markup.heading(_("Shared with you by your partner"), 2)
        parts.append(w.HTML(heading + _received_html(store, received, words)))
    offers = _offers(store, client, on_change, on_error, words)
    if offers:
        intro = markup.paragraph(_(ONLY_IF), "ck-muted")
        parts.append(w.HTML(markup.heading(_("Share with your partner"), 2) + intro))
        parts.extend(offers)
    return parts


def _received_html(store: Store, shares: list[Share], words: Words) -> str:
    """What the partner shared, in this client's language (their own words as they typed them)."""
    blocks = []
    sheets = worksheets_in(words.language)
    for share in shares:
        response = store.get_response(share.response_id)
        sheet = sheets.get(response.worksheet_id)
        if sheet is None:
            continue
        content = shared_content(sheet, store.get_answers(response.id), share.what)
        lines = "".join(f"<p>{escape(line)}</p>" for line in content.lines)
        blocks.append(
            f'<section class="ck-card ck-insight"><h3>{escape(content.title)}</h3>{lines}</section>'
        )
    return "".join(blocks)


def _latest_finished(store: Store, client: Client) -> list[Response]:
    seen, found = set(), []
    for response in store.find_responses(client.id):
        if response.status == "completed" and response.worksheet_id not in seen:
            seen.add(response.worksheet_id)
            found.append(response)
    return found


def _offers(
    store: Store,
    client: Client,
    on_change: Callable[[], None],
    on_error: Callable[[str], None],
    words: Words,
) -> list[w.Widget]:
    mine = [share for share in store.find_shares(client.id) if share.from_client_id == client.id]
    rows: list[w.Widget] = []
    sheets = worksheets_in(words.language)
    for response in _latest_finished(store, client):
        sheet = sheets.get(response.worksheet_id)
        if sheet is None:
            continue
        kinds = ["summary", *(["card"] if sheet.takeaway is not None else [])]
        for what in kinds:
            current = next(
                (
                    s
                    for s in mine
                    if s.response_id == response.id and s.what == what and s.withdrawn_at is None
                ),
                None,
            )
            label = (
                words("{title}: the summary", title=sheet.title)
                if what == "summary"
                else words("{title}: the card", title=sheet.title)
            )
            rows.append(_row(store, client, response, what, label, current, on_change, on_error, words))
    return rows


def _row(
    store: Store,
    client: Client,
    response: Response,
    what: str,
    label: str,
    current: Share | None,
    on_change: Callable[[], None],
    on_error: Callable[[str], None],
    words: Words,
) -> w.Widget:
    text = w.HTML(markup.paragraph(label))
    if current is None:
        button = w.Button(description=words("Share it"))
        button.on_click(
            guarded(lambda _: _share(store, client, response.id, what, on_change, text, words), on_error)
        )
    else:
        text.value += markup.paragraph(words(SHOWN if current.live else WAITING), "ck-muted")
        button = w.Button(description=words("Stop sharing"))
        button.on_click(guarded(lambda _: (store.withdraw_share(current.id), on_change()), on_error))
    button.add_class("ck-button")
    row = w.VBox([text, button])
    row.add_class("ck-share-row")
    return row


def _share(
    store: Store,
    client: Client,
    response_id: int,
    what: str,
    on_change: Callable[[], None],
    text: w.HTML,
    words: Words,
) -> None:
    try:
        offer_share(store, client, response_id, what)
    except CoupleRefused as refused:
        text.value += f'<div class="ck-message" role="alert">{escape(words(str(refused)))}</div>'
        return
    on_change()
