"""What each flag means to the coach, how urgent it is, which answer raised it, and how to get in touch.

All of it is read from the worksheets' own declarations (``Worksheet.flag_rules``), so a worksheet's
flags reach the dashboard with no code here. Pure functions of frames and answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from coachkit.exercises import WORKSHEETS
from coachkit.worksheet import LEVELS, FlagLevel, FlagRule

LEVEL_ORDER: dict[FlagLevel, int] = {level: order for order, level in enumerate(LEVELS)}
"""Most urgent first: crisis 0, danger 1, risk 2, gentle 3, attention 4."""
CONTACT_FIELDS = ("safe_contact", "contact_how")


def rule(worksheet_id: str, flag: str) -> FlagRule | None:
    sheet = WORKSHEETS.get(worksheet_id)
    return sheet.flag_rule(flag) if sheet is not None else None


def level(worksheet_id: str, flag: str) -> FlagLevel:
    """How urgent a flag from this worksheet is (``attention`` for one no worksheet declares any more)."""
    found = rule(worksheet_id, flag)
    return found.level if found is not None else "attention"


def meaning(worksheet_id: str, flag: str) -> str:
    """What the flag means, in the coach's words ("said a fight turned physical or made them afraid")."""
    found = rule(worksheet_id, flag)
    return found.meaning if found is not None else f"raised the flag “{flag}”"


def raised_by(worksheet_id: str, flag: str, answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The answers behind a flag, as (question, answer as the client read it)."""
    found, sheet = rule(worksheet_id, flag), WORKSHEETS.get(worksheet_id)
    if found is None or sheet is None:
        return []
    shown = []
    for _, item in sheet.all_fields():
        value = answers.get(item.id)
        if item.id in found.when.fields() and value is not None and value != []:
            shown.append((item.label, item.display(value) or str(value)))
    return shown


def with_levels(flags: pd.DataFrame) -> pd.DataFrame:
    """The flags frame with each flag's ``level``, most urgent first, then newest first."""
    levels = [level(sheet, flag) for sheet, flag in zip(flags["worksheet"], flags["flag"], strict=True)]
    frame = flags.assign(level=pd.Series(levels, index=flags.index, dtype=object))
    frame["order"] = frame["level"].map(LEVEL_ORDER)
    return frame.sort_values(["order", "raised_at"], ascending=[True, False]).drop(columns="order")


@dataclass(frozen=True)
class SafeContact:
    """The client's latest word on whether, and how, the coach may get in touch."""

    choice: str
    how: str
    said_at: pd.Timestamp


def safe_contact(tidy: pd.DataFrame) -> SafeContact | None:
    """The latest answer to "is it safe for your coach to contact you?", with the how if they gave it."""
    rows = tidy[tidy["field"] == "safe_contact"].sort_values("saved_at")
    if rows.empty:
        return None
    latest = rows.iloc[-1]
    how = tidy[(tidy["field"] == "contact_how") & (tidy["response_id"] == latest["response_id"])]
    item = _contact_field(latest["worksheet"])
    choice = (item.display(latest["value"]) if item is not None else "") or str(latest["value"])
    said_how = str(how.iloc[-1]["value"]) if not how.empty else ""
    return SafeContact(choice, said_how, latest["saved_at"])


def _contact_field(worksheet_id: str) -> Any:
    sheet = WORKSHEETS.get(worksheet_id)
    try:
        return sheet.field("safe_contact") if sheet is not None else None
    except KeyError:
        return None
