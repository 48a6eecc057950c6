"""What each worksheet declares the coach follows over time (its ``measures``), as frames. Pure functions.

Every measure is read the way its worksheet file says, from the tidy frame, over completed responses
only, ordered by client and by when they were completed. Nothing here knows any worksheet by name: a new
worksheet file's measures appear with no code.

Example::

    tidy = frames.answers(store, client_id=3)
    self_check = scores.measure(tidy, "fight-or-make-it-right", "self_check")
    for sheet, measure, frame in scores.all_measures(tidy):
        print(sheet.title, measure.title, frame["value"].tolist())
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from coachkit.coach.frames import answer_dicts, wide
from coachkit.exercises import WORKSHEETS
from coachkit.worksheet import Worksheet
from coachkit.worksheet.measures import Measure

WHEN = ["response_id", "client_id", "client", "completed_at"]
VERSION_COLUMNS = [*WHEN, "number", "answers"]


def completed(tidy_frame: pd.DataFrame, worksheet_id: str) -> pd.DataFrame:
    """The wide frame of a worksheet's completed responses, ordered by client and completion time."""
    frame = wide(tidy_frame[tidy_frame["status"] == "completed"], worksheet_id)
    return frame.sort_values(["client", "client_id", "completed_at"]).reset_index(drop=True)


def _answers(tidy_frame: pd.DataFrame, done: pd.DataFrame) -> list[dict[str, Any]]:
    given = answer_dicts(tidy_frame[tidy_frame["response_id"].isin(done["response_id"])])
    return [given.get(int(response_id), {}) for response_id in done["response_id"]]


def _columns(sheet: Worksheet, measure: Measure) -> list[str]:
    if measure.kind == "checks":
        return [label for label, _ in measure.checks]
    if measure.kind == "scale":
        return ["value", "label", "rank", "highlight"]
    return ["value"]


def _row(sheet: Worksheet, measure: Measure, answers: dict[str, Any]) -> dict[str, Any]:
    if measure.kind == "count":
        return {"value": measure.value.value(answers) if measure.value else None}
    if measure.kind == "checks":
        return {label: _yes_or_no(rule.value(answers)) for label, rule in measure.checks}
    value = answers.get(measure.field_id)
    if measure.kind == "rating":
        return {"value": value if isinstance(value, int) and not isinstance(value, bool) else None}
    options = [option.value for option in getattr(sheet.field(measure.field_id), "options", ())]
    known = value in options
    return {
        "value": value if known else None,
        "label": sheet.field(measure.field_id).display(value) if known else None,
        "rank": options.index(value) if known else None,
        "highlight": bool(measure.highlight.holds(answers)) if measure.highlight and known else False,
    }


def _yes_or_no(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def measure_frame(tidy_frame: pd.DataFrame, sheet: Worksheet, measure: Measure) -> pd.DataFrame:
    """One measure over time: ``WHEN`` columns, then the measure's own (see ``_columns``)."""
    done = completed(tidy_frame, sheet.id)
    columns = [*WHEN, *_columns(sheet, measure)]
    if done.empty:
        return pd.DataFrame(columns=columns)
    rows = pd.DataFrame([_row(sheet, measure, answers) for answers in _answers(tidy_frame, done)])
    frame = pd.concat([done[WHEN].reset_index(drop=True), rows], axis=1).reindex(columns=columns)
    if measure.kind in ("count", "rating"):
        frame["value"] = frame["value"].astype("Int64")
    elif measure.kind == "scale":
        frame["rank"] = frame["rank"].astype("Int64")
    else:
        for column in _columns(sheet, measure):
            frame[column] = frame[column].astype("boolean")
    return frame


def find_measure(worksheet_id: str, measure_id: str) -> tuple[Worksheet, Measure]:
    """A worksheet and one of its measures, by their ids; ``KeyError`` names the ones that exist."""
    sheet = WORKSHEETS[worksheet_id]
    for measure in sheet.measures:
        if measure.id == measure_id:
            return sheet, measure
    known = ", ".join(measure.id for measure in sheet.measures) or "none"
    raise KeyError(f"{worksheet_id!r} has no measure {measure_id!r}; it has: {known}")


def measure(tidy_frame: pd.DataFrame, worksheet_id: str, measure_id: str) -> pd.DataFrame:
    """One measure's frame, by ids: ``scores.measure(tidy, "fight-or-make-it-right", "self_check")``."""
    sheet, found = find_measure(worksheet_id, measure_id)
    return measure_frame(tidy_frame, sheet, found)


def all_measures(tidy_frame: pd.DataFrame) -> Iterator[tuple[Worksheet, Measure, pd.DataFrame]]:
    """Every worksheet's every measure, in the worksheets' order, with its frame."""
    for sheet in WORKSHEETS.values():
        for measure in sheet.measures:
            yield sheet, measure, measure_frame(tidy_frame, sheet, measure)


def versions(tidy_frame: pd.DataFrame, sheet: Worksheet) -> pd.DataFrame:
    """Every completed response of a worksheet, newest first; ``number`` counts a client's from 1.

    For worksheets with a take-home card: each version's ``answers``, to draw its card again.
    """
    done = completed(tidy_frame, sheet.id)
    if done.empty:
        return pd.DataFrame(columns=VERSION_COLUMNS)
    frame = done[WHEN].assign(answers=_answers(tidy_frame, done))
    frame["number"] = frame.groupby("client_id").cumcount() + 1
    ordered = frame.sort_values(["client", "client_id", "completed_at"], ascending=[True, True, False])
    return ordered[VERSION_COLUMNS].reset_index(drop=True)
