"""A pseudo language for tests: every word coachkit says comes out wrapped in ⟦…⟧, so a word on a page
that is not wrapped was never looked up in a catalog (a new, untranslated string).

``pseudo_language`` installs it under the tag ``qps`` (what Microsoft and others call a pseudo-locale):
coachkit's own words through a catalog that wraps everything, a worksheet's words through the worksheet
translation lookup, whose fallback is that catalog. ``visible_text`` reads what a client would read off a
widget tree or a page of HTML, and ``unwrapped`` says what is left once the wrapped words, and the
client's own data, are taken out.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from collections.abc import Iterable, Iterator
from html import unescape
from html.parser import HTMLParser

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionWidget

from coachkit.i18n import Words
from coachkit.i18n.languages import LANGUAGES, Language

CODE = "qps"
INNERMOST = re.compile(r"⟦[^⟦⟧]*⟧")


class Wrapping(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"


class PseudoWords(Words):
    """coachkit's words, each wrapped; dates and times wrapped too (they are the catalog's patterns)."""

    def __init__(self) -> None:
        super().__init__(CODE, Wrapping())

    def _format(self, day: dt.date, pattern: str) -> str:
        return f"⟦{day.isoformat()}⟧"

    def clock(self, hours: int, minutes: int) -> str:
        return f"⟦{hours:02d}:{minutes:02d}⟧"


PSEUDO = PseudoWords()
LANGUAGE = Language(CODE, "⟦Pseudo⟧", "Pseudo")


def words_for(language: str) -> Words:
    from coachkit.i18n.words import words_for as real

    return PSEUDO if language == CODE else real(language)


def install(monkeypatch) -> Words:  # type: ignore[no-untyped-def]
    """The pseudo language, everywhere a page looks a language's words up (undone after the test)."""
    import coachkit.exercises.translated as translated
    import coachkit.ui.client as client
    import coachkit.web.pages as pages
    import coachkit.web.prepaint as prepaint

    monkeypatch.setitem(LANGUAGES, CODE, LANGUAGE)
    for module in (translated, client, pages, prepaint):
        monkeypatch.setattr(module, "words_for", words_for)
    monkeypatch.setattr(translated, "_READ", {})
    monkeypatch.setattr(prepaint, "_read", {})
    pages._environment.cache_clear()
    return PSEUDO


class _Text(HTMLParser):
    """Text nodes and the attributes a reader hears (placeholder, aria-label, title, alt), not styles."""

    READ_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skipping += 1
        self.found += [value for name, value in attrs if name in self.READ_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.found.append(data)


def html_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.found


def widgets_in(widget: w.Widget) -> Iterator[w.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from widgets_in(child)


def visible_text(widget: w.Widget) -> list[str]:
    """Everything a client can read off a widget tree: HTML, labels, placeholders, options, buttons."""
    found: list[str] = []
    for item in widgets_in(widget):
        if isinstance(item, w.HTML):
            found += html_text(item.value)
        if isinstance(item, w.Button):
            found += [item.description, item.tooltip or ""]
        elif isinstance(item, DescriptionWidget):
            description = item.description or ""
            found += html_text(description) if item.description_allow_html else [description]
        if isinstance(item, w.Text | w.Textarea):
            found.append(item.placeholder or "")
        if hasattr(item, "_options_labels"):
            found += list(item._options_labels)
    return [unescape(text) for text in found if text and text.strip()]


def unwrapped(texts: Iterable[str], client_data: Iterable[str] = ()) -> list[str]:
    """The texts that still hold a letter once every ⟦…⟧ and every piece of the client's own data is
    taken out: words that did not go through a catalog."""
    data = sorted((item for item in client_data if item), key=len, reverse=True)
    left = []
    for text in texts:
        rest = text
        for item in data:
            rest = rest.replace(item, "")
        while INNERMOST.search(rest):  # wrapped words may hold wrapped words ("⟦⟦Title⟧ (not finished)⟧")
            rest = INNERMOST.sub("", rest)
        if any(character.isalpha() for character in rest):
            left.append(text)
    return left
