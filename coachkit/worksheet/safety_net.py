"""A safety net under every text box: words of despair or of violence get help at once.

A client may write "I can't see the point of going on", or "he hit me", in any box, in any worksheet,
whatever they answered to the questions. The renderer shows crisis help (or safety help) under that box
as soon as the words arrive, every worksheet with text boxes raises a flag for the coach, the summary puts
that help first, and advice for ordinary conflict is withheld (``safety.level``). The matching leans
broad: a kind word of help shown once too often costs little; the wording allows for a misreading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from coachkit.worksheet.conditions import Satisfies
from coachkit.worksheet.feedback import Feedback

CRISIS_HELP = "{crisis_help}"
SAFETY_HELP = "{safety_help}"
COACH_TOLD = "{coach_told}"
"""What the page can truly say about the coach hearing of it (an alert now, or their next look)."""

_DESPAIR = re.compile(
    "|".join(
        (
            r"\bno point (in )?(going on|living|carrying on|anymore|any more|being here)",
            r"\bcan'?t see (the |any )?point(\s*(any ?more|$|[.!,;])| (of|in) (going on|living|life|anything"
            r"|carrying on|being here|it all|trying))",
            r"\bcan'?t go on\b",
            r"\b(nothing|no reason) to live( for)?\b",
            r"\b(kill|hurt|harm) myself\b",
            r"\bcut(ting)? myself(?! off)\b",
            r"\bend(ing)? (it all|my life|it for good)\b",
            r"\btake my (own )?life\b",
            r"\bsuicid",
            r"\bself[- ]?harm",
            r"\boverdose",
            r"\bbetter off (dead|without me|not here)\b",
            r"\b(don'?t|do not) want to (live|be alive|be here|wake up|go on)\b",
            r"\bnever wake up\b",
            r"\bwant(ed)? to die\b",
            r"\bwish i could (just )?die\b",
            r"\bwish i (was|were) (dead|not here|never born)\b",
            r"\bnot worth living\b",
        )
    ),
    re.IGNORECASE,
)
_DANGER = re.compile(
    "|".join(
        (
            r"\b(hits?|hitting|beats?|beating|punch(ed|es|ing)?|kick(ed|s|ing)?|slap(ped|s|ping)?)"
            r" (me|us|the kids)\b",
            r"\b(chok(ed|es|ing)|strangl(ed|es|ing)|shoved|pushed|grabbed|threw) me\b",
            r"\b(he|she|they) (hit|beat|punched|kicked|slapped|choked|strangled|pushed|shoved)"
            r" (me|us)\b",
            r"\bthreat(en)?(ed|ens|ening)? (to )?(kill|hurt|harm|take the kids)",
            r"\bkill me\b",
            r"\b(afraid|scared|frightened) (of|for) (him|her|them|my life|my safety)\b",
            r"\b(fear|feared) for my (life|safety)\b",
        )
    ),
    re.IGNORECASE,
)
"""Words of being hurt or threatened by someone: conservative, so ordinary hurt feelings don't match."""

STOPPED_FLAG = "stopped_after_crisis"
STOPPED_MEANING = "stopped the worksheet after crisis help, with the rest unanswered"
WORDS_FLAG = "words_of_despair"
WORDS_MEANING = "wrote words that sound like despair or thoughts of self-harm"
WORDS_NOTICE = (
    f"If you are having thoughts like these, you don't have to face them alone. {CRISIS_HELP} {COACH_TOLD}"
)
CRISIS = Feedback(
    "safety",
    "You matter",
    "Some of what you shared may mean you are carrying something very heavy. If so, you don't have to "
    f"carry it alone, and help is there right now. {CRISIS_HELP} {COACH_TOLD}",
)
DANGER_WORDS_FLAG = "words_of_danger"
DANGER_WORDS_MEANING = "wrote words that sound like being hurt or threatened"
DANGER_WORDS_NOTICE = (
    f"If someone is hurting or threatening you, it is not your fault, and help is there. {SAFETY_HELP}"
)
HURT = Feedback(
    "safety",
    "If someone is hurting you",
    "Some of what you wrote may mean someone is hurting or threatening you. If so, it is not your fault, "
    f"you deserve to be safe, and help is there. {SAFETY_HELP} {COACH_TOLD}",
)


def _plain(text: str) -> str:
    return text.replace("\u2019", "'")


def sounds_at_risk(text: object) -> bool:
    """Whether text holds words of despair or self-harm (curly apostrophes read as straight ones)."""
    return isinstance(text, str) and bool(_DESPAIR.search(_plain(text)))


def sounds_unsafe(text: object) -> bool:
    """Whether text holds words of being hurt or threatened ("he hit me", "threatened to kill")."""
    return isinstance(text, str) and bool(_DANGER.search(_plain(text)))


def any_at_risk(*texts: object) -> bool:
    return any(sounds_at_risk(text) for text in texts)


def any_unsafe(*texts: object) -> bool:
    return any(sounds_unsafe(text) for text in texts)


def words_condition(text_field_ids: Iterable[str]) -> Satisfies:
    """Holds when any of these text answers sounds at risk."""
    return Satisfies(tuple(text_field_ids), any_at_risk)


def danger_words_condition(text_field_ids: Iterable[str]) -> Satisfies:
    """Holds when any of these text answers sounds like someone is being hurt or threatened."""
    return Satisfies(tuple(text_field_ids), any_unsafe)


class Never:
    """A condition that never holds: a flag raised by what the client did, not by an answer."""

    def holds(self, answers: Mapping[str, object]) -> bool:
        return False

    def fields(self) -> frozenset[str]:
        return frozenset()


class AnyTextSays:
    """A condition that holds when any text answer at all (of any field) sounds unsafe.

    It reads no field in particular, so any worksheet may use it.
    """

    def holds(self, answers: Mapping[str, object]) -> bool:
        return any_unsafe(*(value for value in answers.values() if isinstance(value, str)))

    def fields(self) -> frozenset[str]:
        return frozenset()


ANY_DANGER_WORDS = AnyTextSays()
