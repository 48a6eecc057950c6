"""The coach's exercises: worksheet files (YAML) beside this module, and the practice's own. Find by id.

``WORKSHEETS`` is read on first use, then kept; a broken file raises ``WorksheetFileError`` with every
problem and its line (``coachkit worksheet check`` says the same without a traceback). Reading on first use
keeps a broken file of the practice's own from stopping commands that need no worksheet.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from coachkit.exercises.files import read_all
from coachkit.worksheet import Worksheet


@cache
def all_worksheets() -> dict[str, Worksheet]:
    """Every worksheet by id, in their order (read once), as written."""
    return read_all()


def worksheets_in(language: str) -> dict[str, Worksheet]:
    """Every worksheet by id in ``language``: its translation where it has one, else as written
    (``coachkit.exercises.translated``)."""
    from coachkit.exercises.translated import worksheets_in as translated

    return translated(language)


def get_worksheet(worksheet_id: str) -> Worksheet:
    """The worksheet with this id; ``KeyError`` names the ids that exist."""
    known = all_worksheets()
    try:
        return known[worksheet_id]
    except KeyError:
        raise KeyError(f"no worksheet {worksheet_id!r}; known: {', '.join(known)}") from None


def __getattr__(name: str) -> Any:
    if name == "WORKSHEETS":
        return all_worksheets()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
