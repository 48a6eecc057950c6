"""A safety net under every text box: words of despair or self-harm get crisis help at once.

A client may write "I can't see the point of going on" in any box, in any worksheet. The renderer
shows crisis help under that box as soon as the words arrive, every worksheet with text boxes raises
the ``words_of_despair`` flag for the coach, and the summary puts crisis help first. The matching is
deliberately broad: a kind word of help shown once too often costs little.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from coachkit.worksheet.conditions import Satisfies
from coachkit.worksheet.feedback import Feedback

CRISIS_HELP = "{crisis_help}"

_DESPAIR = re.compile(
    "|".join(
        (
            r"\bno point (in )?(going on|living|carrying on|anymore|any more|being here)",
            r"\bcan'?t see (the |any )?point\b",
            r"\bnothing to live for\b",
            r"\b(kill|hurt|harm|cut) myself\b",
            r"\bend(ing)? (it all|my life|things)\b",
            r"\btake my (own )?life\b",
            r"\bsuicid",
            r"\bself[- ]?harm",
            r"\bbetter off (dead|without me|not here)\b",
            r"\b(don'?t|do not) want to (live|be alive|be here|wake up|go on)\b",
            r"\bwant(ed)? to die\b",
            r"\bwish i (was|were) (dead|not here|never born)\b",
            r"\bnot worth living\b",
        )
    ),
    re.IGNORECASE,
)

WORDS_FLAG = "words_of_despair"
WORDS_MEANING = "wrote words that sound like despair or thoughts of self-harm"
WORDS_NOTICE = (
    "If you are having thoughts like these, you don't have to face them alone. "
    f"{CRISIS_HELP} Your coach will be told, so they can check in with you."
)
CRISIS = Feedback(
    "safety",
    "You matter",
    "Some of what you shared sounds very heavy. You don't have to carry it alone, and help is there "
    f"right now, at any hour. {CRISIS_HELP} Your coach will be told, so they can check in with you.",
)


def sounds_at_risk(text: object) -> bool:
    """Whether text holds words of despair or self-harm (curly apostrophes read as straight ones)."""
    return isinstance(text, str) and bool(_DESPAIR.search(text.replace("\u2019", "'")))


def any_at_risk(*texts: object) -> bool:
    return any(sounds_at_risk(text) for text in texts)


def words_condition(text_field_ids: Iterable[str]) -> Satisfies:
    """Holds when any of these text answers sounds at risk."""
    return Satisfies(tuple(text_field_ids), any_at_risk)
