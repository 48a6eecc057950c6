"""What a worksheet says back to the client once it is done."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Tone = Literal["safety", "attention", "insight", "next_step"]
"""``safety`` is shown first and plainly; ``attention`` is a gentle red flag."""


@dataclass(frozen=True)
class Feedback:
    """One piece of feedback: a short title and a few plain sentences (text, never HTML)."""

    tone: Tone
    title: str
    text: str


TONE_ORDER: dict[Tone, int] = {"safety": 0, "attention": 1, "insight": 2, "next_step": 3}


def in_reading_order(items: list[Feedback]) -> list[Feedback]:
    """Safety first, then red flags, then insights, then next steps (stable within a tone)."""
    return sorted(items, key=lambda item: TONE_ORDER[item.tone])
