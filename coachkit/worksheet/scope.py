"""Where a worksheet file's expressions are evaluated: its named values, its fields and the functions.

A ``Scope`` holds a worksheet's named values (``values:`` in the file, in order; each may use the ones
before it) and its fields; a ``Rule`` is one expression bound to a scope, usable as a condition
(``holds``) or for its value (``value``). The functions an expression may call are listed here: small,
pure, and about answers only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from coachkit.worksheet import limits
from coachkit.worksheet.budget import OverLimit, too_long
from coachkit.worksheet.expressions import Expression
from coachkit.worksheet.fields import Field, Value
from coachkit.worksheet.safety_net import any_at_risk, any_unsafe
from coachkit.worksheet.saying import ENGLISH, Saying

CLOSING_PUNCTUATION = ".!?\u2026 "


def count_true(*values: object) -> int:
    """How many of the values are exactly True (a yes)."""
    return sum(value is True for value in values)


def count(value: object) -> int:
    """How many items a checklist answer has (0 for no answer)."""
    return len(value) if isinstance(value, list) else 0


def answered(*values: object) -> int:
    """How many of the values are answered (text with words in it, a choice, a tick)."""
    return sum(
        value not in (None, "", []) and not (isinstance(value, str) and not value.strip()) for value in values
    )


def trim(text: object) -> str:
    """Text without surrounding space or closing punctuation (a sentence adds its own)."""
    return text.strip().rstrip(CLOSING_PUNCTUATION) if isinstance(text, str) else ""


def strip(text: object) -> str:
    """Text without surrounding space, as typed otherwise."""
    return text.strip() if isinstance(text, str) else ""


def clock(hh_mm: object, say: Saying = ENGLISH) -> str:
    """A stored "18:30" as said aloud in the worksheet's language: "6:30 pm", "18:30", "6:30 م"."""
    if not isinstance(hh_mm, str) or ":" not in hh_mm:
        return ""
    hours, minutes = (int(part) for part in hh_mm.split(":"))
    return say.clock(hours, minutes)


def join(values: object, separator: object = ", ") -> str:
    """Texts joined with a separator; empty ones left out (refused before it grows past ``MAX_TEXT``)."""
    if not isinstance(values, list | tuple):
        return ""
    texts = [str(value) for value in values if value not in (None, "")]
    between = str(separator)
    wanted = sum(map(len, texts)) + len(between) * max(len(texts) - 1, 0)
    if wanted > limits.MAX_TEXT:
        raise OverLimit(too_long(wanted))
    return between.join(texts)


def lower(text: object) -> str:
    return text[:1].lower() + text[1:] if isinstance(text, str) else ""


PURE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "count_true": count_true,
    "count": count,
    "answered": answered,
    "trim": trim,
    "strip": strip,
    "clock": clock,
    "join": join,
    "lower": lower,
}
FUNCTION_NAMES = frozenset({*PURE_FUNCTIONS, "label", "labels", "words_of_despair", "words_of_danger"})
"""Every function an expression may call (the last four read the worksheet's fields or all text answers)."""


class NamedText(Protocol):
    """A named text (``texts:``): what ``Scope.names`` renders for the answers (``text.Text``)."""

    def render(self, names: Mapping[str, Any], separator: str = " ") -> str: ...


@dataclass(frozen=True)
class Scope:
    """A worksheet's named values and texts, in order, and its fields by id (filled once they are built).

    ``say`` is the worksheet's language: the times ``clock`` writes.
    """

    values: tuple[tuple[str, Expression], ...] = ()
    fields: dict[str, Field] = field(default_factory=dict, compare=False)
    texts: tuple[tuple[str, NamedText], ...] = field(default=(), compare=False)
    say: Saying = field(default=ENGLISH, compare=False, repr=False)

    @property
    def value_names(self) -> frozenset[str]:
        """Every name a text may put in: the values, and the named texts."""
        return frozenset(name for name, _ in self.values) | {name for name, _ in self.texts}

    def functions(self, names: Mapping[str, Any]) -> dict[str, Callable[..., Any]]:
        texts = [value for value in names.values() if isinstance(value, str)]
        return {
            **PURE_FUNCTIONS,
            "clock": lambda hh_mm: clock(hh_mm, self.say),
            "label": lambda field_id: self._label(names, field_id),
            "labels": lambda field_id, *leave_out: self._labels(names, field_id, leave_out),
            "words_of_despair": lambda: any_at_risk(*texts),
            "words_of_danger": lambda: any_unsafe(*texts),
        }

    def _label(self, names: Mapping[str, Any], field_id: object) -> str:
        item = self.fields.get(str(field_id))
        return item.display(names.get(str(field_id))) if item is not None else ""

    def _labels(self, names: Mapping[str, Any], field_id: object, leave_out: tuple[object, ...]) -> list[str]:
        """The labels of a checklist's ticks, in the list's order, leaving out some values."""
        item, ticked = self.fields.get(str(field_id)), names.get(str(field_id))
        if item is None or not isinstance(ticked, list):
            return []
        kept = [value for value in ticked if value not in leave_out]
        shown = item.display(kept)
        return shown.split("\n") if shown else []

    def names(self, answers: Mapping[str, Value]) -> dict[str, Any]:
        """The answers (each as its question reads it) and every named value computed from them, in order."""
        names: dict[str, Any] = {
            name: self.fields[name].readable(value) if name in self.fields else value
            for name, value in answers.items()
        }
        for name, expression in self.values:
            names[name] = expression.evaluate(names, self.functions(names))
        for name, text in self.texts:
            names[name] = text.render(names)
        return names

    def values_of(self, answers: Mapping[str, Value]) -> dict[str, Any]:
        """Only the named values and texts, for these answers."""
        names = self.names(answers)
        return {name: names[name] for name, _ in (*self.values, *self.texts)}

    def evaluate(self, expression: Expression, names: Mapping[str, Any]) -> Any:
        """``expression`` over names already computed by ``names``."""
        return expression.evaluate(names, self.functions(names))

    def fields_of(self, expression: Expression) -> frozenset[str]:
        """The answers an expression reads, through any named values it uses."""
        found: set[str] = set()
        todo = list(expression.names)
        definitions = dict(self.values)
        while todo:
            name = todo.pop()
            if name in definitions:
                todo.extend(definitions.pop(name).names)
            elif name not in self.value_names:
                found.add(name)
        return frozenset(found)


@dataclass(frozen=True)
class Rule:
    """An expression bound to its worksheet's scope: a condition, or a value (a measure, a count)."""

    expression: Expression
    scope: Scope = field(repr=False, compare=False)

    @property
    def source(self) -> str:
        return self.expression.source

    def value(self, answers: Mapping[str, Value]) -> Any:
        return self.scope.evaluate(self.expression, self.scope.names(answers))

    def holds(self, answers: Mapping[str, Value]) -> bool:
        return bool(self.value(answers))

    def fields(self) -> frozenset[str]:
        return self.scope.fields_of(self.expression)
