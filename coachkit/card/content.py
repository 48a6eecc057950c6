"""What a card says: a title, whose it is, the date, and the lines (all plain text), in one language."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from coachkit.i18n import direction


@dataclass(frozen=True)
class Card:
    title: str
    first_name: str
    date: dt.date
    lines: tuple[str, ...]
    neutral_title: str = "Notes"
    """What the file is called, and its document title: the coach's neutral page title, never the topic
    (a phone's downloads list is as readable as its history)."""
    language: str = "en"
    """The language it is written in: the page's ``lang``, and right to left for Arabic."""
    date_said: str = ""
    """The date as written in ``language`` ("26 de noviembre de 2026"); empty: in English."""

    @property
    def direction(self) -> str:
        return direction(self.language)

    @property
    def day(self) -> str:
        """The date as the card says it."""
        return self.date_said or f"{self.date.day} {self.date:%B %Y}"

    @property
    def byline(self) -> str:
        """ "Sam · 26 November 2026"; in a right-to-left card the name is isolated (FSI … PDI), so that a
        Latin name does not take the day's number into its own left-to-right run."""
        name = f"\u2068{self.first_name}\u2069" if self.direction == "rtl" else self.first_name
        return f"{name} · {self.day}"

    def filename(self, extension: str) -> str:
        """A safe, neutral download name such as ``notes-2026-11-26.pdf`` (never the topic or the client's
        text): the neutral title's letters without accents ("Notas"), or ``card`` for another script."""
        plain = unicodedata.normalize("NFKD", self.neutral_title).encode("ascii", "ignore").decode()
        slug = "".join(c if c.isalnum() else "-" for c in plain.lower()).strip("-")
        while "--" in slug:
            slug = slug.replace("--", "-")
        return f"{slug or 'card'}-{self.date.isoformat()}.{extension}"
