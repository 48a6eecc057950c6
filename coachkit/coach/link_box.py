"""A client's links on the dashboard: a new one each time the coach asks, shown, copied and as a QR code.

A link opens once (``coachkit.links``), so the box never shows an old one again: each press of "New link"
makes one, to the client's own page or to one worksheet. The link travels to the coach's browser only in
the widget's value (the kernel's websocket, which no log records); its QR code is drawn here by segno, a
pure-Python QR library with no dependencies, as an inline SVG: no address that holds the link is ever
requested, so none lands in an access log. Copy uses the browser's clipboard (a secure context: the
dashboard is on loopback, or on HTTPS in a practice).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w
import segno

from coachkit.exercises import all_worksheets
from coachkit.links import LINK_NOTE, links_base_url, new_link
from coachkit.store import Client, Store
from coachkit.widgets.guard import guarded

THEIR_PAGE = "Their page (every worksheet)"
COPY_SCRIPT = (
    "navigator.clipboard.writeText(this.dataset.link).then("
    "() => { this.textContent = 'Copied'; }, () => { this.textContent = 'Select the link and copy it'; })"
)
"""The Copy button's handler: the clipboard API, then a word on the button either way."""


def qr_image(link: str) -> str:
    """The link as a QR code: an ``<img>`` with an inline SVG (nothing fetched, nothing logged)."""
    code = segno.make(link, error="m")
    uri = code.svg_data_uri(scale=4, border=2, dark="#23302e")
    width = code.symbol_size(scale=4, border=2)[0]
    return f'<img class="ck-qr" src="{escape(uri)}" alt="QR code of the link" width="{width}">'


def link_html(link: str, where: str) -> str:
    """The link as text, a Copy button and its QR code."""
    safe = escape(link, quote=True)
    return (
        f'<div class="ck-link"><p><strong>{escape(where)}</strong> ({escape(LINK_NOTE)}):</p>'
        f'<p><input class="ck-link-text" type="text" readonly value="{safe}" aria-label="The link"> '
        f'<button type="button" class="ck-copy" data-link="{safe}" onclick="{escape(COPY_SCRIPT)}">'
        "Copy link</button></p>"
        f"{qr_image(link)}"
        '<p class="ck-muted">Hand it over in the way the client said is safe. It opens once; for '
        "another visit they type their code, or you make a new link here.</p></div>"
    )


class LinkBox:
    """Pick where the link leads, press "New link", and get it as text, a Copy button and a QR code."""

    def __init__(self, store: Store, client: Client, on_error: Callable[[str], None]) -> None:
        self.store = store
        self.client = client
        choices = [(THEIR_PAGE, "")] + [(sheet.title, sheet.id) for sheet in all_worksheets().values()]
        self.where = w.Dropdown(options=choices, value="", description="Link to")
        self.where.add_class("ck-link-where")
        self.button = w.Button(description="New link", icon="link", tooltip="Make a link that opens once")
        self.button.add_class("ck-new-link")
        self.button.on_click(guarded(lambda _: self.make(), on_error))
        self.shown = w.HTML()
        self.view = w.VBox(
            [w.HTML("<h2>Links</h2>"), w.HBox([self.where, self.button]), self.shown],
            layout=w.Layout(align_items="flex-start"),
        )
        self.view.add_class("ck-links")

    def make(self) -> str:
        """A new link to the chosen place, shown (the one shown before, if unused, still opens once)."""
        sheet = self.where.value or None
        link = new_link(self.store, self.client, sheet, links_base_url(self.store))
        where = dict((value, label) for label, value in self.where.options)[self.where.value]
        self.shown.value = link_html(link, where)
        return link
