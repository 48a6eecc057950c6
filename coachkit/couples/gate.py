"""The safety gate in front of everything joint: any sign of danger, either way, or silence, closes it.

About half of couples who seek help have known violence between them. So before two partners' answers
are set side by side, a share is offered, approved or shown, or a joint exercise suggested, both
partners' safety answers are read afresh: if either says they were hurt or frightened, or that they hurt
or frightened the other, or chose not to say, or has not been asked yet, or wrote words of danger or
despair, the gate is closed, and the coach is told why and advised to see them apart. Pure functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

HURT_BY = ("been_hurt", "unsafe_this_time", "felt_unsafe", "treated_poorly")
HURT_OTHER = ("hurt_partner", "physical_this_time", "been_physical")
ASKED = ("been_hurt", "hurt_partner")
"""The two questions both partners must have answered before anything joint."""
SAFETY_FIELDS = (*HURT_BY, *HURT_OTHER)
CLOSING_FLAGS = {
    "words_of_danger": "wrote words of being hurt, threatened or afraid",
    "words_of_despair": "wrote words of despair",
    "wellbeing": "said they have thoughts of self-harm or feel hopeless",
}
APART = "See them on their own first; nothing is shared between them and no joint exercise is offered."


@dataclass(frozen=True)
class PartnerSafety:
    """What one partner has said: their latest safety answers, and the flags they have raised."""

    name: str
    answers: Mapping[str, object]
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CoupleGate:
    """Whether anything joint may happen, and, when not, why (for the coach's eyes only)."""

    open: bool
    reasons: tuple[str, ...] = ()


def reasons_of(partner: PartnerSafety) -> list[str]:
    """Why this partner's answers close the gate, in the coach's words (none: they do not)."""
    said, name = partner.answers, partner.name
    found = []
    if any(said.get(field) == "yes" for field in HURT_BY):
        found.append(f"{name} said someone has hurt or frightened them")
    if any(said.get(field) == "yes" for field in HURT_OTHER):
        found.append(f"{name} said they have hurt or frightened a partner")
    if any(said.get(field) == "rather_not_say" for field in SAFETY_FIELDS):
        found.append(f"{name} chose not to say whether anyone was hurt or frightened")
    if any(said.get(field) is None for field in ASKED):
        found.append(f"{name} has not answered both safety questions yet")
    found += [f"{name} {meaning}" for flag, meaning in CLOSING_FLAGS.items() if flag in partner.flags]
    return found


def gate(first: PartnerSafety, second: PartnerSafety) -> CoupleGate:
    """Open only when neither partner's answers give any reason to keep them apart."""
    reasons = (*reasons_of(first), *reasons_of(second))
    return CoupleGate(not reasons, reasons)
