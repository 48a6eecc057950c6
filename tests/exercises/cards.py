"""Reading a worksheet in tests: cards by title, steps and options, and the shared safety library."""

from __future__ import annotations

from coachkit.exercises import get_worksheet
from coachkit.worksheet import Feedback, Step, Worksheet

SAFETY_HELP = "{safety_help}"
CRISIS_HELP = "{crisis_help}"
CHANGE_HELP = "{change_help}"

SAFETY_PLAN = "Your safety comes first"
NOT_SAID = "If you ever feel unsafe"
HELP_TO_STOP = "Stopping it is yours to do, and help is there"
NOT_SAID_PHYSICAL = "If it ever happens"
CONTACT = "Your coach"
PLAN_WITH_YOUR_COACH = "A plan, just in case"
PLAN_NOW = "Where you could go, and who you could call"
CRISIS = "You matter"
HURT = "If someone is hurting you"
"""Titles of the cards every worksheet about safety shares (``coachkit/exercises/library``)."""
COACH_TOLD = "{coach_told}"
VICTIMS_PLAN = ("not your fault", "where you could go", "keys", "leave if you can", "shelter")
"""Words of the plan for the one who was hurt: never said to the one who hurt."""


def titles(items: list[Feedback]) -> list[str]:
    return [item.title for item in items]


def card(items: list[Feedback], title: str) -> Feedback | None:
    """The card with this title, if the feedback has one (the first, where two share a title)."""
    return next((item for item in items if item.title == title), None)


def text_of(items: list[Feedback]) -> str:
    return " ".join(f"{item.title} {item.text}" for item in items)


def field_of(worksheet_id: str, field_id: str):  # type: ignore[no-untyped-def]
    return get_worksheet(worksheet_id).field(field_id)


def step_of(worksheet: Worksheet, step_id: str) -> Step:
    return next(step for step in worksheet.steps if step.id == step_id)


def option_values(worksheet: Worksheet, field_id: str) -> list[str]:
    """The stored values of a choice field's options, in the order they are offered."""
    return [option.value for option in worksheet.field(field_id).options]  # type: ignore[attr-defined]
