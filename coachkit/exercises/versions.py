"""Every version of a worksheet, so answers are always read with the words they were given in.

When a response starts, its worksheet's file (and the libraries it uses) is kept in the store under its
id and version (``Store.record_definition``); a file changed without raising its version is refused
there (``DefinitionChanged``). Reading history, ``Versions`` gives the current worksheet for the current
version and rebuilds older ones from what the store kept.
"""

from __future__ import annotations

import json
from functools import cache

from coachkit.exercises import all_worksheets
from coachkit.store import Store
from coachkit.worksheet import Worksheet
from coachkit.worksheet.loader import WorksheetFileError, load_worksheet, read_library


def definition_text(sheet: Worksheet) -> str:
    """What the store keeps for a worksheet version: its file and its libraries' files, as one text."""
    libraries = dict(sheet.library_sources)
    return json.dumps({"file": sheet.source, "libraries": libraries}, sort_keys=True, ensure_ascii=False)


def record(store: Store, sheet: Worksheet) -> None:
    """Keep this version's definition; ``DefinitionChanged`` if the file changed under the same version."""
    store.record_definition(sheet.id, sheet.version, definition_text(sheet))


@cache
def read_definition(text: str, name: str) -> Worksheet | None:
    """A worksheet as the store kept it (None if it no longer reads, e.g. a function was retired)."""
    kept = json.loads(text)
    try:
        libraries = {
            library: read_library(source, f"{library} (kept with {name})")
            for library, source in kept["libraries"].items()
        }
        return load_worksheet(kept["file"], name, libraries)
    except (WorksheetFileError, KeyError, TypeError):
        return None


class Versions:
    """Worksheets by id and version: current files first, then what the store kept; in ``language``
    (the coach's, on the coach's side), with whatever of today's translation still matches an older
    version's words."""

    def __init__(self, store: Store, language: str = "en") -> None:
        self.store = store
        self.language = language

    def get(self, worksheet_id: str, version: int) -> Worksheet | None:
        current = all_worksheets().get(worksheet_id)
        if current is not None and current.version == version:
            return self._in_language(current)
        text = self.store.find_definition(worksheet_id, int(version))
        kept = read_definition(text, f"{worksheet_id} version {version}") if text else None
        found = kept or current
        return self._in_language(found) if found is not None else None

    def _in_language(self, sheet: Worksheet) -> Worksheet:
        if self.language == "en":
            return sheet
        from coachkit.exercises import worksheets_in

        current = worksheets_in(self.language).get(sheet.id)
        if current is not None and current.version == sheet.version:
            return current
        key = (sheet.id, sheet.version, self.language)
        if key not in _TRANSLATED:
            _TRANSLATED[key] = _translated(sheet, self.language)
        return _TRANSLATED[key]


_TRANSLATED: dict[tuple[str, int, str], Worksheet] = {}
"""Older versions in a language, each translated once."""


def _translated(sheet: Worksheet, language: str) -> Worksheet:
    from pathlib import Path

    from coachkit.exercises.translated import translate

    current = all_worksheets().get(sheet.id)
    return translate(sheet, Path(current.path) if current and current.path else None, language)
