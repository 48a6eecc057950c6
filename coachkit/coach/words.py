"""Answers in the client's words, for exports: each value as the client read it, the raw value kept beside.

A choice is stored as its value (``several_a_week``, ``receiver``); the coach reads the label the client
saw ("Several times a week"). Labels come from the version of the worksheet each answer was given in
(``Versions``), so a later rewording never changes what an old answer says. Pure, given that lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from coachkit.coach.frames import RESPONSE_META, is_answered
from coachkit.worksheet import Worksheet

SheetOf = Callable[[str, int], Worksheet | None]
RAW_SUFFIX = " (value)"
"""The raw value's column in a per-worksheet table: ``frequency`` then ``frequency (value)``."""


def shown(sheet: Worksheet | None, field: str, value: Any) -> Any:
    """``value`` as the client read it (a label), else the value itself (text, numbers, unknown fields)."""
    if sheet is None or not is_answered(value):
        return value
    try:
        item = sheet.field(field)
    except KeyError:
        return value
    if isinstance(value, list) and hasattr(item, "options"):  # a checklist: each ticked label, in a list
        labels = {option.value: option.label for option in item.options}
        return [labels.get(ticked, ticked) for ticked in value]
    words = item.display(value)
    return words if words else value


def answers_in_words(tidy: pd.DataFrame, sheet_of: SheetOf) -> pd.DataFrame:
    """The tidy frame with ``answer`` (as the client read it) before ``value`` (as stored)."""
    words = [
        shown(sheet_of(sheet, int(version)), field, value)
        for sheet, version, field, value in zip(
            tidy["worksheet"], tidy["version"], tidy["field"], tidy["value"], strict=True
        )
    ]
    out = tidy.copy()
    out.insert(out.columns.get_loc("value"), "answer", pd.Series(words, index=out.index, dtype=object))
    return out


def wide_in_words(wide: pd.DataFrame, worksheet_id: str, sheet_of: SheetOf) -> pd.DataFrame:
    """A per-worksheet table with each choice in words, its raw value in a second column after it."""
    out = wide.copy()
    versions = out["version"].tolist() if "version" in out else []
    for field in [column for column in wide.columns if column not in RESPONSE_META]:
        raw = out[field].tolist()
        words = [
            shown(sheet_of(worksheet_id, int(v)), field, value)
            for v, value in zip(versions, raw, strict=True)
        ]
        if words == raw:
            continue  # text and numbers: the same either way
        out[field] = pd.Series(words, index=out.index, dtype=object)
        out.insert(
            out.columns.get_loc(field) + 1, field + RAW_SUFFIX, pd.Series(raw, index=out.index, dtype=object)
        )
    return out
