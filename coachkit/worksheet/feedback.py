"""What a worksheet says back to the client once it is done."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Tone = Literal["safety", "insight", "attention", "next_step"]
"""``safety`` is shown first and plainly; ``insight`` reflects back what the client said; ``attention`` is
a gentle red flag; ``next_step`` says what could help."""


@dataclass(frozen=True)
class Feedback:
    """One piece of feedback: a short title and a few plain sentences (text, never HTML)."""

    tone: Tone
    title: str
    text: str


TONE_ORDER: dict[Tone, int] = {"safety": 0, "insight": 1, "attention": 2, "next_step": 3}


def in_reading_order(items: list[Feedback]) -> list[Feedback]:
    """Safety first, then what the client said reflected back, then red flags, then next steps.

    Reflecting back comes before anything is suggested (stable within a tone).
    """
    return sorted(items, key=lambda item: TONE_ORDER[item.tone])
