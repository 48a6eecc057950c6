"""The languages a client's page speaks, and which one a page uses.

A page uses, in order: the language the client chose on their page, else the one their coach set for
them, else the first their browser asks for (``Accept-Language``) that coachkit speaks, else English.
Right-to-left languages (Arabic here; Hebrew, Persian and Urdu once they have catalogs) turn the page,
its widgets and the card's PDF around.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT = "en"
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur"})


@dataclass(frozen=True)
class Language:
    """A language a page can be shown in: its tag, its own name for itself, and its English name."""

    code: str
    name: str
    english: str

    @property
    def direction(self) -> str:
        return "rtl" if self.code in RIGHT_TO_LEFT else "ltr"


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English", "English"),
        Language("es", "Español", "Spanish"),
        Language("ar", "العربية", "Arabic"),
    )
}
"""Every language with a complete catalog for the page's own words, by tag."""


def direction(code: str) -> str:
    """``rtl`` or ``ltr``, for a page's ``dir``."""
    return "rtl" if code.split("-")[0] in RIGHT_TO_LEFT else "ltr"


def served(code: str | None) -> str | None:
    """The language of ours a tag names (``es-MX`` is ``es``), or None."""
    if not code:
        return None
    primary = code.strip().split("-")[0].split("_")[0].lower()
    return primary if primary in LANGUAGES else None


_RANGE = re.compile(r"\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*")


def negotiate(accept_language: str | None) -> str | None:
    """The language of ours a browser's ``Accept-Language`` header prefers most, or None.

    Ranges are taken by their quality (``q``), the first listed winning a tie; a malformed range is
    skipped, and a header longer than a browser would send is read no further than its first 1,000
    characters.
    """
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "")[:1000].split(",")):
        found = _RANGE.fullmatch(part)
        if found is None:
            continue
        try:
            quality = float(found.group(2)) if found.group(2) else 1.0
        except ValueError:
            continue
        code = served(found.group(1))
        if code is not None and quality > 0:
            ranked.append((-quality, position, code))
    return min(ranked)[2] if ranked else None


def resolve(chosen: str | None, coach: str | None, browser: str | None) -> str:
    """The page's language: the client's choice, else the coach's setting, else the browser's."""
    for code in (chosen, coach, browser):
        language = served(code)
        if language is not None:
            return language
    return DEFAULT
