"""Small conditions on the answers: when a step or field is shown, a flag raised, a link offered.

A condition is data: it says which fields it reads (so a worksheet can check that they exist and come
first) and whether it holds for a set of answers. ``When`` compares one answer; ``AnyOf``, ``AllOf``
and ``Not`` combine; ``Satisfies`` names a pure function for what a comparison can't say.

Example::

    danger = AnyOf(When("felt_unsafe", "yes"), When("been_physical", "yes"))
    danger.holds({"felt_unsafe": "no", "been_physical": "yes"})  # True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from coachkit.worksheet.fields import Value


class Condition(Protocol):
    def holds(self, answers: Mapping[str, Value]) -> bool: ...

    def fields(self) -> frozenset[str]: ...


@dataclass(frozen=True, init=False)
class When:
    """The answer to ``field_id`` is one of ``values``; for a checklist, one of them is ticked.

    ``When("back_how", None)`` holds while the field is unanswered.
    """

    field_id: str
    values: tuple[Value, ...]

    def __init__(self, field_id: str, *values: Value) -> None:
        object.__setattr__(self, "field_id", field_id)
        object.__setattr__(self, "values", values)

    def holds(self, answers: Mapping[str, Value]) -> bool:
        answer = answers.get(self.field_id)
        if isinstance(answer, list):
            return any(value in answer for value in self.values)
        return answer in self.values

    def fields(self) -> frozenset[str]:
        return frozenset({self.field_id})


@dataclass(frozen=True, init=False)
class AnyOf:
    """At least one of the conditions holds."""

    conditions: tuple[Condition, ...]

    def __init__(self, *conditions: Condition) -> None:
        object.__setattr__(self, "conditions", conditions)

    def holds(self, answers: Mapping[str, Value]) -> bool:
        return any(condition.holds(answers) for condition in self.conditions)

    def fields(self) -> frozenset[str]:
        return frozenset().union(*(condition.fields() for condition in self.conditions))


@dataclass(frozen=True, init=False)
class AllOf(AnyOf):
    """Every one of the conditions holds."""

    def holds(self, answers: Mapping[str, Value]) -> bool:
        return all(condition.holds(answers) for condition in self.conditions)


@dataclass(frozen=True)
class Not:
    """The condition does not hold."""

    condition: Condition

    def holds(self, answers: Mapping[str, Value]) -> bool:
        return not self.condition.holds(answers)

    def fields(self) -> frozenset[str]:
        return self.condition.fields()


@dataclass(frozen=True)
class Satisfies:
    """A pure function of some answers, called with them in the order of ``field_ids``."""

    field_ids: tuple[str, ...]
    predicate: Callable[..., bool]

    def holds(self, answers: Mapping[str, Value]) -> bool:
        return bool(self.predicate(*(answers.get(field_id) for field_id in self.field_ids)))

    def fields(self) -> frozenset[str]:
        return frozenset(self.field_ids)


def holds(condition: Condition | None, answers: Mapping[str, Any]) -> bool:
    """Whether a condition holds; no condition always does."""
    return condition is None or condition.holds(answers)
