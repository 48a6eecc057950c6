"""The coach's exercises: worksheet files (YAML) beside this module, and the practice's own. Find by id.

``WORKSHEETS`` is read once, on first import; a broken file raises ``WorksheetFileError`` with every
problem and its line (``coachkit worksheet check`` says the same without a traceback).
"""

from __future__ import annotations

from coachkit.exercises.files import read_all
from coachkit.worksheet import Worksheet

WORKSHEETS: dict[str, Worksheet] = read_all()


def get_worksheet(worksheet_id: str) -> Worksheet:
    """The worksheet with this id; ``KeyError`` names the ids that exist."""
    try:
        return WORKSHEETS[worksheet_id]
    except KeyError:
        raise KeyError(f"no worksheet {worksheet_id!r}; known: {', '.join(WORKSHEETS)}") from None
