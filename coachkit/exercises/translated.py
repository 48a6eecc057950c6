"""Worksheets in a client's language: each file read with its translation (``translations``) and its
libraries', coachkit's own words from its catalog (``coachkit.i18n``).

Words without a usable translation stay as written, so a page is never missing a sentence; a
translation that cannot be read, or that breaks the worksheet, leaves the whole worksheet as written,
and says so in the kernels' log (``coachkit worksheet check`` names the problem with its line).
"""

from __future__ import annotations

import logging
from pathlib import Path

from coachkit.exercises import all_worksheets
from coachkit.exercises.files import read_libraries
from coachkit.exercises.translations import lookup, read_translation
from coachkit.i18n import DEFAULT, Words, words_for
from coachkit.worksheet import Worksheet
from coachkit.worksheet.loader import Library, WorksheetFileError, load_worksheet, read_library

log = logging.getLogger("coachkit.exercises")


def _library_translations(names: list[str], libraries: dict[str, Library], language: str) -> list:  # type: ignore[type-arg]
    return [read_translation(Path(libraries[name].path), language) for name in names if name in libraries]


def read_in(
    sheet: Worksheet, path: Path | None, language: str, libraries: dict[str, Library] | None = None
) -> Worksheet:
    """``sheet`` (read from ``path``) in ``language``; ``WorksheetFileError`` if that cannot be done."""
    words: Words = words_for(language)
    libraries = read_libraries() if libraries is None else libraries
    used = [name for name, _ in sheet.library_sources]
    own = read_translation(path, language) if path is not None else None
    kept = {
        name: read_library(text, f"{name} (kept with {sheet.id})") for name, text in sheet.library_sources
    }
    translations = [own, *_library_translations(used, libraries, language)]
    return load_worksheet(
        sheet.source, str(path or sheet.id), kept, say=words, translate=lookup(translations, words)
    )


def translate(
    sheet: Worksheet, path: Path | None, language: str, libraries: dict[str, Library] | None = None
) -> Worksheet:
    """``sheet`` (read from ``path``) in ``language``; as written where that cannot be done."""
    if language == DEFAULT or language == sheet.language:
        return sheet
    try:
        return read_in(sheet, path, language, libraries)
    except WorksheetFileError:
        log.warning("the %s translation of %s cannot be used; shown as written", language, sheet.id)
        return sheet


_READ: dict[str, tuple[dict[str, Worksheet], dict[str, Worksheet]]] = {}
"""Per language: the worksheets as written it was translated from, and the translations (read again
when those are read again: ``all_worksheets.cache_clear()``)."""


def worksheets_in(language: str) -> dict[str, Worksheet]:
    """Every worksheet by id, in ``language`` (read once per language)."""
    written = all_worksheets()
    if language == DEFAULT:
        return written
    kept = _READ.get(language)
    if kept is None or kept[0] is not written:
        libraries = read_libraries()
        translated = {
            sheet_id: translate(sheet, Path(sheet.path) if sheet.path else None, language, libraries)
            for sheet_id, sheet in written.items()
        }
        kept = _READ[language] = (written, translated)
    return kept[1]
