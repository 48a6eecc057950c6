"""Demo answers: a valid answer to every question a demo client is asked, drifting as they get better.

A field may declare a ``trend`` in its worksheet file: ``down`` (answers move towards the first option,
fewer yeses, fewer ticks) or ``up`` (the other way, higher ratings) as a client gets better. ``good`` is
how far along a demo client is, from 0 (at their worst) to 1 (much better). Everything else gets a
plausible answer; safety and wellbeing questions get calm ones unless a persona says otherwise.
"""

from __future__ import annotations

import random
from typing import Any

from coachkit.coach import demo_text
from coachkit.worksheet import AnswerError, Field, Worksheet, is_shown

CALM_ANSWERS: dict[str, Any] = {
    "been_hurt": "no",
    "hurt_partner": "no",
    "treated_poorly": "no",
    "unsafe_this_time": "no",
    "physical_this_time": "no",
    "self_harm": "no",
    "hopeless": "not_at_all",
    "sleep": "as_usual",
    "share_plan": "yes",
    "safe_place_known": True,
    "someone_to_call": True,
    "safe_contact": "any",
}
"""The answers every demo client gives to the safety and wellbeing questions, unless their persona says
otherwise: most clients are safe, and the few flags stand out as they would in a real practice."""


def accepts(item: Field, value: Any) -> bool:
    try:
        item.clean(value)
    except AnswerError:
        return False
    return True


class AnswerMaker:
    """Answers for one worksheet at a time; ``rng`` is the only source of chance."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def answers(self, sheet: Worksheet, good: float, preset: dict[str, Any] | None = None) -> dict[str, Any]:
        """A complete, valid set of answers for the steps and questions these answers show."""
        chosen = {**CALM_ANSWERS, **(preset or {})}
        answers: dict[str, Any] = {}
        for step in sheet.steps:
            if not is_shown(step, answers):
                continue
            for item in step.fields:
                if not is_shown(item, answers):
                    continue
                if item.id in chosen and accepts(item, chosen[item.id]):
                    answers[item.id] = chosen[item.id]
                elif item.required or self.rng.random() < 0.55:
                    answers[item.id] = self.value(sheet, item, good)
        return answers

    def _drift(self, good: float, trend: str) -> float:
        """0 to 1 along a field's options, where the better end is where the trend points."""
        where = min(1.0, max(0.0, good + self.rng.gauss(0, 0.15)))
        return 1 - where if trend == "down" else where

    def value(self, sheet: Worksheet, item: Field, good: float) -> Any:
        options = [option.value for option in getattr(item, "options", ())]
        drift = self._drift(good, item.trend) if item.trend else None
        if item.kind == "single_choice":
            if drift is None:
                return self.rng.choice(options)
            return options[round(drift * (len(options) - 1))]
        if item.kind == "multi_choice":
            count = self.rng.randint(1, 3) if drift is None else round(drift * len(options) * 0.8)
            ticked = set(self.rng.sample(options, k=min(count, len(options))))
            if not ticked and item.required:
                ticked = {self.rng.choice(options)}
            return [value for value in options if value in ticked]
        if item.kind == "rating":
            low, high = item.low, item.high  # type: ignore[attr-defined]
            return self.rng.randint(low, high) if drift is None else low + round(drift * (high - low))
        if item.kind == "yes_no":
            return self.rng.random() < (0.5 if drift is None else drift)
        if item.kind == "time_of_day":
            return f"{self.rng.randint(17, 22):02d}:{self.rng.choice((0, 15, 30, 45)):02d}"
        if item.kind in ("short_text", "long_text"):
            pool = demo_text.TEXTS.get((sheet.id, item.id))
            if pool is None:
                pool = demo_text.GENERIC_TEXTS if item.kind == "long_text" else demo_text.SHORT_TEXTS
            return self.rng.choice([text for text in pool if accepts(item, text)] or ["Yes"])
        return None  # a kind this generator does not know: left unanswered
