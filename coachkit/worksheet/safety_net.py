"""A safety net under every text box: words of despair or of violence get help at once.

A client may write "I can't see the point of going on", or "he hit me", in any box, in any worksheet,
whatever they answered to the questions. The renderer shows crisis help (or safety help) under that box
as soon as the words arrive, every worksheet with text boxes raises a flag for the coach, the summary puts
that help first, and advice for ordinary conflict is withheld (``safety.level``). The matching leans
broad: a kind word of help shown once too often costs little; the wording allows for a misreading.

It listens in every language it has phrases for (English, Spanish, Arabic: ``PHRASE_FILES``), whatever
the page's language: a client may write in their own language on a page in another, so every text is
checked in the language it was written in, and in English, and in the others too.
"""

from __future__ import annotations

import re
import unicodedata
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
"""The phrases listened for in English, with the few plain negations that undo them (a data file, with its
corpus of real phrasings in tests/worksheet/safety_corpus.yaml)."""
PHRASE_FILES = {
    "en": PHRASES_FILE,
    "es": PHRASES_FILE.with_name("safety_phrases.es.yaml"),
    "ar": PHRASES_FILE.with_name("safety_phrases.ar.yaml"),
}
"""Every language the net listens in, and its phrases (each with a corpus: tests/worksheet/)."""
_PUNCTUATION = r"[.!?;,\n\u060c\u061b\u061f\u00bf\u00a1]+"
"""Where a clause ends: punctuation, Arabic's comma, semicolon and question mark, Spanish's ¿ and ¡."""


@dataclass(frozen=True)
class Phrases:
    """One kind of words (despair, hurt, fear) in one language, and the negations that undo a match
    inside them; ``clauses`` splits a text where that language says "but"."""

    found: tuple[re.Pattern[str], ...]
    negations: tuple[re.Pattern[str], ...]
    clauses: re.Pattern[str] = re.compile(_PUNCTUATION + r"|\bbut\b", re.IGNORECASE)

    def heard_in(self, text: str, negations: Iterable[re.Pattern[str]] | None = None) -> bool:
        """Whether any clause of ``text`` holds one of the phrases, not wholly inside a negation (its own,
        or ``negations``: every language's, since a text may mix them)."""
        undoing = tuple(self.negations if negations is None else negations)
        clauses = self.clauses.split(plain(text))
        return any(self._heard_in_clause(clause, undoing) for clause in clauses if clause)

    def _heard_in_clause(self, clause: str, negations: tuple[re.Pattern[str], ...]) -> bool:
        undone = [match.span() for pattern in negations for match in pattern.finditer(clause)]
        for pattern in self.found:
            for match in pattern.finditer(clause):
                start, end = match.span()
                if not any(low <= start and end <= high for low, high in undone):
                    return True
        return False


def _compiled(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


@cache
def phrases(language: str = "en") -> dict[str, Phrases]:
    """Each kind of words in ``language`` by name: ``despair``, ``hurt``, ``fear``."""
    data = yaml.safe_load(PHRASE_FILES[language].read_text(encoding="utf-8"))
    negations = data["negations"]
    clauses = re.compile(_PUNCTUATION + "|" + data.get("but", r"\bbut\b"), re.IGNORECASE)
    return {
        "despair": Phrases(_compiled(data["despair"]), _compiled(negations["despair"]), clauses),
        "hurt": Phrases(_compiled(data["hurt"]), _compiled(negations["danger"]), clauses),
        "fear": Phrases(_compiled(data["fear"]), _compiled(negations["danger"]), clauses),
    }


@cache
def _every_negation(kind: str) -> tuple[re.Pattern[str], ...]:
    return tuple(pattern for language in PHRASE_FILES for pattern in phrases(language)[kind].negations)


def heard(kind: str, text: str) -> bool:
    """Whether ``text`` holds words of ``kind`` in any language the net listens in, undone only by a
    plain negation (in any of them)."""
    undoing = _every_negation(kind)
    return any(phrases(language)[kind].heard_in(text, undoing) for language in PHRASE_FILES)


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


_ARABIC_FORMS = str.maketrans({"\u0629": "\u0647", "\u0649": "\u064a", "\u0640": None})
"""Ta marbuta reads as ha, alef maqsura as ya, and tatweel (a stretching stroke) as nothing."""


def plain(text: str) -> str:
    """``text`` as the phrases read it: curly apostrophes straight; accents, tildes, short vowels and
    the hamza on a letter taken away (Unicode's compatibility decomposition, less its combining marks:
    "está" reads "esta", "ñ" "n", "أ" "ا"); a few Arabic letters read as their common stand-ins."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_ARABIC_FORMS)


@lru_cache(maxsize=512)
def _heard(kind: str, text: str) -> bool:
    # Kept: a page checks every box at each save, and all but the one being typed in are unchanged.
    return heard(kind, text)


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
