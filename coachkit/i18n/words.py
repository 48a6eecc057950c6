"""The page's own words in one language: gettext catalogs (compiled by Babel), with plural forms.

Every word coachkit itself shows a client (buttons, progress, messages, errors, the sign-in pages, the
card) is written in English in the code, marked ``N_("…")`` where it is kept in a constant or said
through ``words("…")`` where it is used, and translated from ``locale/LANG/LC_MESSAGES/coachkit.mo``
(``make catalogs`` extracts, merges and compiles; ``tests/i18n`` fails on a string with no
translation). Placeholders are ``{name}`` and are filled after translating, so a translation may move
them; names that are not given (``{crisis_help}``, filled later by the page) are left as they are.

Reading a catalog is the standard library's ``gettext``; Babel is imported only to write a date in a
language other than English.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from coachkit.i18n.languages import DEFAULT, LANGUAGES, direction

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "coachkit"
_NAME = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def N_(message: str) -> str:
    """Mark a constant's words for the catalog; ``words(CONSTANT)`` translates them where they are shown."""
    return message


def fill(text: str, names: Mapping[str, object]) -> str:
    """Replace each ``{name}`` that ``names`` has; leave the others for whoever fills them later."""
    if not names:
        return text
    return _NAME.sub(lambda m: str(names[m.group(1)]) if m.group(1) in names else m.group(0), text)


class Words:
    """The page's words in one language: ``words("Next")``, ``words.ngettext(one, many, n)``, dates."""

    def __init__(self, language: str, translations: gettext.NullTranslations | None = None) -> None:
        self.language = language
        self.translations = translations or gettext.NullTranslations()

    @property
    def direction(self) -> str:
        """``rtl`` for a right-to-left language, else ``ltr``."""
        return direction(self.language)

    def __call__(self, message: str, /, **names: object) -> str:
        """``message`` in this language, its ``{names}`` filled."""
        return fill(self.translations.gettext(message) if message else message, names)

    def ngettext(self, singular: str, plural: str, count: int, /, **names: object) -> str:
        """The form of ``singular``/``plural`` for ``count`` (Arabic has six), ``{count}`` filled."""
        return fill(self.translations.ngettext(singular, plural, count), {"count": count, **names})

    # -- dates, as people write them ---------------------------------------------------------------

    def _format(self, day: dt.date, pattern: str) -> str:
        from babel.dates import format_date  # only for a language other than English

        return format_date(day, pattern, locale=self.language)

    def date(self, day: dt.date) -> str:
        """A day with its month and year: "26 November 2026", "26 de noviembre de 2026"."""
        if self.language == DEFAULT:
            return f"{day.day} {day:%B %Y}"
        # Translators: a date with month and year, as a Unicode CLDR pattern (d day, MMMM month, y year).
        return self._format(day, self(N_("d MMMM y")))

    def day_and_month(self, day: dt.date) -> str:
        """ "26 November" (a day this year)."""
        if self.language == DEFAULT:
            return f"{day.day} {day:%B}"
        # Translators: a day and its month, as a Unicode CLDR pattern (d day, MMMM month).
        return self._format(day, self(N_("d MMMM")))

    def weekday(self, day: dt.date) -> str:
        """ "Friday" """
        if self.language == DEFAULT:
            return f"{day:%A}"
        return self._format(day, "EEEE")

    def weekday_and_date(self, day: dt.date) -> str:
        """ "Friday 12 June" """
        if self.language == DEFAULT:
            return f"{day:%A} {day.day} {day:%B}"
        # Translators: a weekday, day and month, as a Unicode CLDR pattern (EEEE weekday, d day, MMMM month).
        return self._format(day, self(N_("EEEE d MMMM")))

    def clock(self, hours: int, minutes: int) -> str:
        """A time of day as said aloud: "6:30 pm" in English, "18:30" in Spanish, "6:30 م" in Arabic."""
        if self.language == DEFAULT:
            return f"{(hours - 1) % 12 + 1}:{minutes:02d} {'am' if hours < 12 else 'pm'}"
        from babel.dates import format_time

        return format_time(dt.time(hours, minutes), "short", locale=self.language)


@cache
def words_for(language: str) -> Words:
    """The page's words in ``language`` (English words for a language with no catalog)."""
    if language == DEFAULT or language not in LANGUAGES:
        return Words(DEFAULT)
    translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    return Words(language, translations)


ENGLISH = Words(DEFAULT)
"""The words as written: for the coach's side and for tests."""
