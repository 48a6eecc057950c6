"""How a worksheet suits couples: which answers of two partners are compared, and which differences marked.

A worksheet declares it in its file (``couples:``): the questions to set side by side (``compare``), in
order, and the differences worth marking (``marks``): both partners gave one answer (``both``), or their
choices on a scale lie ``apart`` options or more. Private questions (about safety) are never compared: a
file that names one is refused. Comparing two sets of answers is a pure function (``compare``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coachkit.worksheet.fields import Field, SingleChoice, Value


@dataclass(frozen=True)
class Mark:
    """A difference (or a sameness) worth marking on one compared question; ``text`` may name each
    partner's answer as ``{one}`` and ``{other}``."""

    field_id: str
    text: str
    both: Value | None = None
    apart: int = 0

    def holds(self, item: Field, first: Value, second: Value) -> bool:
        if first is None or second is None:
            return False
        if self.both is not None:
            return first == self.both and second == self.both
        if self.apart and isinstance(item, SingleChoice):
            order = [option.value for option in item.options]
            if first in order and second in order:
                return abs(order.index(first) - order.index(second)) >= self.apart
        return False


@dataclass(frozen=True)
class CouplesRules:
    """What a worksheet compares between two partners (``couples:`` in its file)."""

    compare: tuple[str, ...]
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True)
class Compared:
    """One question, both partners' answers as each read it, whether they gave the same one, and what is
    marked (the same answer is not always agreement: "each says the other starts it" is the same choice)."""

    field_id: str
    label: str
    first: str
    second: str
    same: bool | None
    """None while either has not answered."""
    marks: tuple[str, ...]


def compare(
    rules: CouplesRules, fields: Mapping[str, Field], first: Mapping[str, Value], second: Mapping[str, Value]
) -> list[Compared]:
    """Each compared question with both partners' answers, aligned, same answers and marks noted. Pure."""
    rows = []
    for field_id in rules.compare:
        item = fields[field_id]
        a, b = first.get(field_id), second.get(field_id)
        shown_a, shown_b = item.display(a) or "", item.display(b) or ""
        same = None if a in (None, "", []) or b in (None, "", []) else a == b
        marks = tuple(
            mark.text.replace("{one}", shown_a).replace("{other}", shown_b)
            for mark in rules.marks
            if mark.field_id == field_id and mark.holds(item, a, b)
        )
        rows.append(Compared(field_id, item.label, shown_a, shown_b, same, marks))
    return rows
