"""Every piece of a worksheet file a client reads, with its line and place: what a translation covers.

A worksheet's words are its title and intro, its named texts, each step's title, intro and preview, each
question's label, help, placeholder, options, scale ends, notices and refusals, its feedback cards, its
take-home card and its links; a library's are its questions and cards. What the coach alone reads (flag
meanings, measures, what partners are compared on) stays in the coach's words. Expressions, option values
and ids are never words: answers mean the same in every language.

``wordings`` lists them (for ``coachkit worksheet translate`` and ``check``); ``translated`` gives a copy
of a file's document with each replaced by its translation, where it has one.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from coachkit.worksheet.yaml_source import Mapping as Located

FIELD_WORDS = ("label", "help", "placeholder", "low_label", "high_label")
HEAD_WORDS = ("title", "intro", "revise_label", "again_label")
_PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")


@dataclass(frozen=True)
class Wording:
    """One piece of words: the text, its line in the file, and where it is (for the translator)."""

    text: str
    line: int
    place: str


@dataclass
class _Slot:
    holder: Any
    key: Any
    line: int
    place: str


def has_words(text: object) -> bool:
    """Whether a text has anything to translate: a letter outside its ``{placeholders}``."""
    return isinstance(text, str) and any(c.isalpha() for c in _PLACEHOLDER.sub("", text))


def _one(holder: Located, key: str, place: str) -> Iterator[_Slot]:
    if isinstance(holder, Located) and has_words(holder.get(key)):
        yield _Slot(holder, key, holder.line_of(key), place)


def _text(holder: Located, key: str, place: str) -> Iterator[_Slot]:
    """A text: a line, or a list of lines and ``{when, text}`` parts."""
    if not isinstance(holder, Located):
        return
    value, line = holder.get(key), holder.line_of(key)
    if not isinstance(value, list):
        yield from _one(holder, key, place)
        return
    for index, part in enumerate(value):
        where = f"{place}, part {index + 1}"
        if isinstance(part, Located):
            yield from _one(part, "text", where)
        elif has_words(part):
            yield _Slot(value, index, line, where)


def _items(holder: object, key: str) -> list[Any]:
    value = holder.get(key) if isinstance(holder, Located) else None
    return value if isinstance(value, list) else []


def _field(raw: object, place: str) -> Iterator[_Slot]:
    if not isinstance(raw, Located):
        return
    for key in FIELD_WORDS:
        yield from _one(raw, key, f"{place}, {key}")
    options = raw.get("options")
    if isinstance(options, Located):
        for value in options:
            yield from _one(options, value, f"{place}, option {value}")
    for index, notice in enumerate(_items(raw, "notices")):
        yield from _text(notice, "text", f"{place}, notice {index + 1}")
    for index, refusal in enumerate(_items(raw, "refuse")):
        yield from _one(refusal, "message", f"{place}, refusal {index + 1}")


def _card(raw: object, place: str) -> Iterator[_Slot]:
    yield from _one(raw, "title", f"{place}, title")  # type: ignore[arg-type]
    yield from _text(raw, "text", f"{place}, text")  # type: ignore[arg-type]


def _worksheet(document: Located) -> Iterator[_Slot]:
    for key in HEAD_WORDS:
        yield from _one(document, key, key)
    texts = document.get("texts")
    for name in texts if isinstance(texts, Located) else ():
        yield from _text(texts, name, f"text {name}")
    for index, step in enumerate(_items(document, "steps")):
        place = f"step {step.get('id', index + 1) if isinstance(step, Located) else index + 1}"
        yield from _one(step, "title", f"{place}, title")
        yield from _one(step, "intro", f"{place}, intro")
        yield from _text(step, "preview", f"{place}, preview")
        for raw in _items(step, "fields"):
            name = raw.get("id") or raw.get("use") if isinstance(raw, Located) else "?"
            yield from _field(raw, f"{place}, question {name}")
    for index, card in enumerate(_items(document, "feedback")):
        name = card.get("title") or card.get("use") if isinstance(card, Located) else index + 1
        yield from _card(card, f"card {index + 1} ({name})")
    takeaway = document.get("takeaway")
    yield from _one(takeaway, "title", "take-home card, title")  # type: ignore[arg-type]
    yield from _text(takeaway, "lines", "take-home card, lines")  # type: ignore[arg-type]
    for index, link in enumerate(_items(document, "next")):
        yield from _one(link, "label", f"link {index + 1}")


def _library(document: Located) -> Iterator[_Slot]:
    fields, cards = document.get("fields"), document.get("cards")
    for name in fields if isinstance(fields, Located) else ():
        yield from _field(fields[name], f"question {name}")
    for name in cards if isinstance(cards, Located) else ():
        yield from _card(cards[name], f"card {name}")


def _slots(document: Located) -> Iterator[_Slot]:
    return _library(document) if "library" in document else _worksheet(document)


def wordings(document: Located) -> list[Wording]:
    """Every piece of words in a worksheet's or a library's document, in the file's order."""
    return [Wording(slot.holder[slot.key], slot.line, slot.place) for slot in _slots(document)]


def translated(document: Located, translate: Callable[[str], str | None]) -> Located:
    """A copy of ``document`` with each piece of words replaced by ``translate(text)`` (None: kept)."""
    copied = copy.deepcopy(document)
    for slot in list(_slots(copied)):
        found = translate(slot.holder[slot.key])
        if found:
            slot.holder[slot.key] = found
    return copied
