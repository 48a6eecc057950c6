"""What a card says: a title, whose it is, the date, and the lines (all plain text)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    title: str
    first_name: str
    date: dt.date
    lines: tuple[str, ...]
    neutral_title: str = "Notes"
    """What the file is called, and its document title: the coach's neutral page title, never the topic
    (a phone's downloads list is as readable as its history)."""

    @property
    def byline(self) -> str:
        """ "Sam · 26 November 2026" """
        return f"{self.first_name} · {self.date.day} {self.date:%B %Y}"

    def filename(self, extension: str) -> str:
        """A safe, neutral download name such as ``notes-2026-11-26.pdf`` (never the topic or the client's
        text)."""
        slug = "".join(c if c.isalnum() else "-" for c in self.neutral_title.lower()).strip("-")
        while "--" in slug:
            slug = slug.replace("--", "-")
        return f"{slug or 'card'}-{self.date.isoformat()}.{extension}"
