"""What a partner's share shows: the same plain lines for the coach, who approves it, and the partner.

A shared card is the take-home card's lines (a card never holds anything about safety). A shared summary
is the feedback and the answers, less everything private: no safety or crisis card, no card that points to
help, and no answer to a private question. Pure functions of a worksheet and a response's answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from coachkit.worksheet import Worksheet, is_shown

PRIVATE_TONES = {"safety"}
HELP_PLACEHOLDERS = ("{safety_help}", "{crisis_help}", "{change_help}", "{coach_told}")


@dataclass(frozen=True)
class Shared:
    """A share's title and its lines, plain text (escape them to show them)."""

    title: str
    lines: tuple[str, ...]


def shared_card(sheet: Worksheet, answers: Mapping[str, object], name: str, day: dt.date) -> Shared:
    if sheet.takeaway is None:
        return Shared(sheet.title, ())
    return Shared(sheet.takeaway.title, tuple(line for line in sheet.takeaway.lines(answers) if line))


def shared_summary(sheet: Worksheet, answers: Mapping[str, object]) -> Shared:
    lines = []
    for item in sheet.feedback(answers):
        if item.tone in PRIVATE_TONES or any(mark in item.text for mark in HELP_PLACEHOLDERS):
            continue
        lines.append(f"{item.title}: {item.text}")
    for _, item in sheet.all_fields():
        value = answers.get(item.id)
        if item.sensitive or value in (None, "", []) or not is_shown(item, answers):
            continue
        lines.append(f"{item.label} {item.display(value)}")
    return Shared(sheet.title, tuple(lines))


def shared_content(
    sheet: Worksheet, answers: Mapping[str, object], what: str, name: str = "", day: dt.date | None = None
) -> Shared:
    """What a share of ``what`` ("card" or "summary") shows."""
    if what == "card":
        return shared_card(sheet, answers, name, day or dt.date.today())
    return shared_summary(sheet, answers)
