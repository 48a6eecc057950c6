"""The coach's exercises, each one a worksheet declared as data. Find them by id."""

from __future__ import annotations

from coachkit.exercises import anger_plan, fight, practice_log, receiving_end, wanting_back
from coachkit.worksheet import Worksheet

WORKSHEETS: dict[str, Worksheet] = {
    sheet.id: sheet
    for sheet in (
        fight.WORKSHEET,
        receiving_end.WORKSHEET,
        anger_plan.WORKSHEET,
        practice_log.WORKSHEET,
        wanting_back.WORKSHEET,
    )
}


def get_worksheet(worksheet_id: str) -> Worksheet:
    """The worksheet with this id; ``KeyError`` names the ids that exist."""
    try:
        return WORKSHEETS[worksheet_id]
    except KeyError:
        raise KeyError(f"no worksheet {worksheet_id!r}; known: {', '.join(WORKSHEETS)}") from None
