"""The card as HTML: a block for the page, and a standalone printable page. Everything is escaped."""

from __future__ import annotations

from html import escape

from coachkit.card.content import Card

PRINT_CSS = """
.ck-takeaway { border: 2px solid #2f6f62; border-radius: 12px; padding: 1rem 1.2rem; background: #fff;
  color: #23302e; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.ck-takeaway h2 { margin: 0 0 .2rem; font-size: 1.3rem; }
.ck-takeaway .ck-byline { color: #5b6b68; margin: 0 0 .8rem; }
.ck-takeaway p { margin: .35rem 0; font-size: 1.05rem; line-height: 1.5; white-space: pre-wrap;
  overflow-wrap: anywhere; }
.ck-takeaway p.ck-gap { margin: 0; height: .5rem; }
@media print {
  body * { visibility: hidden !important; }
  .ck-takeaway, .ck-takeaway * { visibility: visible !important; }
  .ck-takeaway { position: absolute; left: 0; top: 0; width: 100%; border-width: 1px; }
}
"""


def card_html(card: Card) -> str:
    """The card as a block of HTML."""
    lines = "".join(f"<p>{escape(line)}</p>" if line else '<p class="ck-gap"></p>' for line in card.lines)
    return (
        f'<section class="ck-takeaway" aria-label="{escape(card.title)}" lang="{escape(card.language)}" '
        f'dir="{card.direction}">'
        f"<h2>{escape(card.title)}</h2>"
        f'<p class="ck-byline"><bdi>{escape(card.first_name)}</bdi> · {escape(card.day)}</p>{lines}</section>'
    )


def printable_page(card: Card) -> str:
    """A complete HTML page holding only the card, ready to print or keep."""
    return (
        f'<!doctype html><html lang="{escape(card.language)}" dir="{card.direction}">'
        '<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(card.neutral_title)}</title>"
        f"<style>body{{max-width:40rem;margin:2rem auto;padding:0 1rem}}{PRINT_CSS}</style>"
        f"</head><body>{card_html(card)}</body></html>"
    )
