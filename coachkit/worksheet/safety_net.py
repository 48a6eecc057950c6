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
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from coachkit.worksheet.conditions import Satisfies
from coachkit.worksheet.feedback import Feedback
from coachkit.worksheet.saying import N_

CRISIS_HELP = "{crisis_help}"
SAFETY_HELP = "{safety_help}"
COACH_TOLD = "{coach_told}"
"""What the page can truly say about the coach hearing of it (an alert now, or their next look)."""

PHRASES_FILE = Path(__file__).with_name("safety_phrases.yaml")
"""The phrases listened for, with the few plain negations that undo them (a data file, with its corpus
of real phrasings in tests/worksheet/safety_corpus.yaml)."""
_CLAUSES = re.compile(r"[.!?;,\n]+|\bbut\b", re.IGNORECASE)


@dataclass(frozen=True)
class Phrases:
    """One kind of words (despair, hurt, fear) and the negations that undo a match inside them."""

    found: tuple[re.Pattern[str], ...]
    negations: tuple[re.Pattern[str], ...]

    def heard_in(self, text: str) -> bool:
        """Whether any clause of ``text`` holds one of the phrases, not wholly inside a negation."""
        return any(self._heard_in_clause(clause) for clause in _CLAUSES.split(_plain(text)))

    def _heard_in_clause(self, clause: str) -> bool:
        undone = [match.span() for pattern in self.negations for match in pattern.finditer(clause)]
        for pattern in self.found:
            for match in pattern.finditer(clause):
                start, end = match.span()
                if not any(low <= start and end <= high for low, high in undone):
                    return True
        return False


def _compiled(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


@cache
def phrases() -> dict[str, Phrases]:
    """Each kind of words by name: ``despair``, ``hurt``, ``fear``."""
    data = yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8"))
    negations = data["negations"]
    return {
        "despair": Phrases(_compiled(data["despair"]), _compiled(negations["despair"])),
        "hurt": Phrases(_compiled(data["hurt"]), _compiled(negations["danger"])),
        "fear": Phrases(_compiled(data["fear"]), _compiled(negations["danger"])),
    }


STOPPED_FLAG = "stopped_after_crisis"
STOPPED_MEANING = "stopped the worksheet after crisis help, with the rest unanswered"
WORDS_FLAG = "words_of_despair"
WORDS_MEANING = "wrote words that sound like despair or thoughts of self-harm"
WORDS_NOTICE = N_(
    "If you are having thoughts like these, you don't have to face them alone. {crisis_help} {coach_told}"
)
CRISIS = Feedback(
    "safety",
    N_("You matter"),
    N_(
        "Some of what you shared may mean you are carrying something very heavy. If so, you don't have "
        "to carry it alone, and help is there right now. {crisis_help} {coach_told}"
    ),
)
DANGER_WORDS_FLAG = "words_of_danger"
DANGER_WORDS_MEANING = "wrote words that sound like being hurt or threatened"
DANGER_WORDS_NOTICE = N_(
    "If someone is hurting or threatening you, it is not your fault, and help is there. {safety_help}"
)
HURT = Feedback(
    "safety",
    N_("If someone is hurting you"),
    N_(
        "Some of what you wrote may mean someone is hurting or threatening you. If so, it is not your "
        "fault, you deserve to be safe, and help is there. {safety_help} {coach_told}"
    ),
)


def _plain(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")


@lru_cache(maxsize=512)
def _heard(kind: str, text: str) -> bool:
    # Kept: a page checks every box at each save, and all but the one being typed in are unchanged.
    return phrases()[kind].heard_in(text)


def sounds_at_risk(text: object) -> bool:
    """Whether text holds words of despair or self-harm (curly apostrophes read as straight ones)."""
    return isinstance(text, str) and _heard("despair", text)


def sounds_unsafe(text: object) -> bool:
    """Whether text holds words of being hurt, threatened or afraid of someone ("he grabbed my arm",
    "I'm afraid of my partner")."""
    return isinstance(text, str) and (_heard("hurt", text) or _heard("fear", text))


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
