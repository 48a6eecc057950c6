"""coachkit's catalogs are complete: every word marked in the code (babel.cfg) has a translation in every
language, keeps its placeholders, has each plural form, and the compiled catalog says the same.

A word marked but not translated fails here (``make catalogs`` merges it in; a translator fills it); a word
not marked at all fails ``test_every_word.py``.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from coachkit.i18n import LANGUAGES
from coachkit.i18n.words import DOMAIN, LOCALE_DIR

PROJECT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "words": None, "ngettext": (1, 2)}
METHODS = [("coachkit/**.py", "python"), ("coachkit/web/pages/**.html", "jinja2")]
OPTIONS = {"coachkit/web/pages/**.html": {"extensions": "jinja2.ext.i18n"}}
TRANSLATED = [code for code in LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}|%\(([a-z_]+)\)s")


def marked() -> dict[str, tuple[str, ...]]:
    """Every message marked in the code, as Babel extracts it (``make catalogs`` does the same)."""
    found: dict[str, tuple[str, ...]] = {}
    for _path, _line, message, _comments, _context in extract_from_dir(
        PROJECT, METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else message[0]
        found[key] = (message,) if isinstance(message, str) else tuple(message)
    return found


MARKED = marked()


def catalog(language: str):  # type: ignore[no-untyped-def]
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as file:
        return read_po(file, locale=language)


def names(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def test_the_code_marks_words_for_the_catalog():
    assert len(MARKED) > 100
    assert "Step {step} of {count}" in MARKED and "Quick exit" in MARKED


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_marked_word_is_translated(language):
    messages = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog(language) if m.id}
    missing = [key for key in MARKED if key not in messages]
    empty = [
        key
        for key, m in messages.items()
        if key in MARKED and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [key for key, m in messages.items() if key in MARKED and m.fuzzy]
    assert (missing, empty, fuzzy) == ([], [], [])


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders_and_every_plural_form(language):
    found = catalog(language)
    wrong = []
    for message in found:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        said = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(message.id, tuple) and len(said) != found.num_plurals:
            wrong.append((english[0], "plural forms"))
        for text in said:
            if names(text) != names(english[-1]) and names(text) != names(english[0]):
                wrong.append((english[0], text))
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalog_says_what_the_po_file_says(language):
    """The .mo shipped beside each .po was compiled from it (``make catalogs``)."""
    compiled = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    for message in catalog(language):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            for n, text in (
                (1, message.string[0]),
                (2, message.string[-1] if language == "es" else message.string[2]),
            ):
                assert compiled.ngettext(message.id[0], message.id[1], n) == text
        else:
            assert compiled.gettext(message.id) == message.string, message.id
