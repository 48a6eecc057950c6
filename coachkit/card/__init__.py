"""The take-home card: one set of lines, as escaped HTML, a printable page, and a one-page PDF."""

from coachkit.card.content import Card
from coachkit.card.html import card_html, printable_page
from coachkit.card.pdf import card_pdf

__all__ = ["Card", "card_html", "card_pdf", "printable_page"]
