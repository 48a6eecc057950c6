"""A worksheet declared as data: steps of fields, a version, and pure feedback functions."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from coachkit.worksheet.feedback import Feedback
from coachkit.worksheet.fields import ID_PATTERN, AnswerError, Field, Value

Answers = Mapping[str, Value]
"""Cleaned answers by field id."""


class WorksheetDefinitionError(ValueError):
    """A worksheet whose definition is malformed; the message names worksheet, step and field."""


@dataclass(frozen=True)
class Step:
    """One page of the wizard.

    ``preview`` (optional) is a pure function of the answers so far whose lines are shown on the
    page, e.g. the client's plan read back before they finish; a step with a preview may have no fields.
    """

    id: str
    title: str
    fields: tuple[Field, ...]
    intro: str = ""
    preview: Callable[[Answers], list[str]] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Takeaway:
    """A card the client keeps: a heading and lines computed from the answers (plain text)."""

    title: str
    lines: Callable[[Answers], list[str]] = field(compare=False)


@dataclass(frozen=True)
class NextLink:
    """A worksheet to suggest on the summary page, opened with the same client code."""

    label: str
    worksheet_id: str


def _no_feedback(answers: Answers) -> list[Feedback]:
    return []


def _no_flags(answers: Answers) -> set[str]:
    return set()


@dataclass(frozen=True)
class Worksheet:
    """An exercise. ``version`` goes up whenever wording or options change, so history stays true.

    ``feedback`` and ``flags`` are pure functions of the cleaned answers; flags (such as ``"safety"``)
    are raised for the coach as soon as an answer that raises them is saved. A ``takeaway`` is a card
    (page, print and PDF) built from the answers. A worksheet with a ``revise_label``, opened again, shows
    the latest completed answers and offers to revise them as a new version.
    """

    id: str
    version: int
    title: str
    steps: tuple[Step, ...]
    intro: str = ""
    feedback: Callable[[Answers], list[Feedback]] = field(default=_no_feedback, compare=False)
    flags: Callable[[Answers], set[str]] = field(default=_no_flags, compare=False)
    takeaway: Takeaway | None = None
    next_links: tuple[NextLink, ...] = ()
    revise_label: str = ""
    again_label: str = "Start a fresh copy"

    @property
    def revisable(self) -> bool:
        """Opened again, it shows the latest completed answers and offers ``revise_label``."""
        return bool(self.revise_label)

    def __post_init__(self) -> None:
        problems = list(self._problems())
        if problems:
            raise WorksheetDefinitionError("; ".join(problems))

    def all_fields(self) -> Iterator[tuple[Step, Field]]:
        for step in self.steps:
            for item in step.fields:
                yield step, item

    def field(self, field_id: str) -> Field:
        for _, item in self.all_fields():
            if item.id == field_id:
                return item
        raise KeyError(field_id)

    def _problems(self) -> Iterator[str]:
        where = f"worksheet {self.id!r}"
        if not ID_PATTERN.match(self.id.replace("-", "_")):
            yield f"{where}: its id must be lower-case words joined by - or _"
        if self.version < 1:
            yield f"{where}: version must be 1 or more"
        if not self.steps:
            yield f"{where}: it has no steps"
        seen_steps: set[str] = set()
        seen_fields: set[str] = set()
        for step in self.steps:
            at = f"{where}, step {step.id!r}"
            if step.id in seen_steps or not ID_PATTERN.match(step.id):
                yield f"{at}: step ids must be unique lower-case names"
            seen_steps.add(step.id)
            if not step.fields and step.preview is None:
                yield f"{at}: it has no fields"
            for item in step.fields:
                yield from self._field_problems(at, item, seen_fields)
                seen_fields.add(getattr(item, "id", ""))

    def _field_problems(self, at: str, item: Field, earlier: set[str]) -> Iterator[str]:
        if not isinstance(item, Field):
            yield f"{at}: {item!r} is not a Field"
            return
        at = f"{at}, field {item.id!r}"
        if item.id in earlier:
            yield f"{at}: another field already has this id"
        for problem in item.problems():
            yield f"{at}: {problem}"
        if item.shown_if and item.shown_if.field_id not in earlier:
            yield f"{at}: shown_if must name a field that comes before it"


def is_shown(item: Field, answers: Answers) -> bool:
    """Whether the field is asked, given the answers so far."""
    condition = item.shown_if
    return condition is None or answers.get(condition.field_id) == condition.equals


@dataclass
class StepCheck:
    """The outcome of checking one step's answers: what may be saved, and what must be fixed."""

    clean: dict[str, Value]
    errors: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_step(
    step: Step, raw: Mapping[str, Any], earlier: Answers, *, enforce_required: bool = True
) -> StepCheck:
    """Validate a step's raw answers on the server.

    Keys that are not fields of this step are ignored (a forged answer for another step saves nothing).
    Hidden fields are saved as unanswered. With ``enforce_required`` off (going Back), a missing
    required answer is not an error, but an invalid one still is.
    """
    result = StepCheck(clean={}, errors={})
    answers = dict(earlier)
    for item in step.fields:
        if not is_shown(item, answers):
            result.clean[item.id] = None
            continue
        raw_value = raw.get(item.id)
        if not enforce_required and item.is_empty(raw_value):
            value = None
        else:
            try:
                value = item.clean(raw_value)
            except AnswerError as error:
                result.errors[item.id] = str(error)
                continue
        result.clean[item.id] = answers[item.id] = value
    return result


def check_all(worksheet: Worksheet, answers: Answers) -> dict[str, str]:
    """Re-check every step's stored answers before completing: errors by field id."""
    errors: dict[str, str] = {}
    so_far: dict[str, Value] = {}
    for step in worksheet.steps:
        checked = check_step(step, answers, so_far)
        errors.update(checked.errors)
        so_far.update(checked.clean)
    return errors
