"""A draft of the fight worksheet left at its first text box, as a client who stopped there left it."""

from __future__ import annotations

from coachkit.attempt import Attempt
from coachkit.exercises import get_worksheet
from coachkit.store import Client, Response, Store

WORKSHEET = "fight-or-make-it-right"
TEXT_STEP = "how_often"
"""The step with the worksheet's first text boxes (what happened; making it right)."""
EARLIER = {
    "safety": {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "any"},
    "your_side": {"role": "receiver"},
    "meeting_a_fight": {"approach": "sidestep"},
    "instant_answer": {"fight_or_right": "right"},
    "self_check": {
        "one_upmanship": False,
        "superior": False,
        "bigger_weapons": False,
        "push_to_lose_cool": False,
        "rise_then_wrong": False,
    },
}
"""A calm client's answers to every step before it."""


def draft_at_the_text_step(store: Store, client: Client, **texts: str) -> Response:
    """A draft with every earlier step answered, left on the text step (with ``texts`` saved there)."""
    worksheet = get_worksheet(WORKSHEET)
    attempt = Attempt.start(store, worksheet, client)
    index = next(n for n, step in enumerate(worksheet.steps) if step.id == TEXT_STEP)
    for n, step in enumerate(worksheet.steps[:index]):
        attempt.save_step(n, EARLIER[step.id], next_index=n + 1)
    attempt.save_step(index, {"frequency": "monthly", **texts}, next_index=index)
    return attempt.response
