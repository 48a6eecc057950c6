"""A worksheet declared as data: steps of fields, a version, and pure feedback functions."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from coachkit.worksheet import safety_net
from coachkit.worksheet.conditions import Condition, holds
from coachkit.worksheet.couples import CouplesRules
from coachkit.worksheet.feedback import Feedback, in_reading_order
from coachkit.worksheet.fields import ID_PATTERN, AnswerError, Field, ShortText, Value
from coachkit.worksheet.measures import Measure
from coachkit.worksheet.saying import ENGLISH, Saying

Answers = Mapping[str, Value]
"""Cleaned answers by field id."""


class WorksheetDefinitionError(ValueError):
    """A worksheet whose definition is malformed; the message names worksheet, step and field."""


@dataclass(frozen=True)
class Step:
    """One page of the wizard.

    ``preview`` (optional) is a pure function of the answers so far whose lines are shown on the
    page, e.g. the client's plan read back before they finish; a step with a preview may have no fields.
    A step with ``shown_if`` is skipped while its condition does not hold (its answers count as none).
    """

    id: str
    title: str
    fields: tuple[Field, ...]
    intro: str = ""
    preview: Callable[[Answers], list[str]] | None = field(default=None, compare=False)
    shown_if: Condition | None = None


@dataclass(frozen=True)
class Takeaway:
    """A card the client keeps: a heading and lines computed from the answers (plain text)."""

    title: str
    lines: Callable[[Answers], list[str]] = field(compare=False)


@dataclass(frozen=True)
class NextLink:
    """A worksheet to suggest on the summary page (while ``shown_if`` holds), with the same client code."""

    label: str
    worksheet_id: str
    shown_if: Condition | None = None


FlagLevel = Literal["crisis", "danger", "risk", "gentle", "attention"]
"""How urgent a flag is, most urgent first: ``crisis`` (self-harm, despair), ``danger`` (violence or fear,
either side), ``risk`` (no safe place, no one to call…): the coach checks in first; ``gentle`` is a risk
the client chose not to say; ``attention`` is worth a look at the next session."""
LEVELS: tuple[FlagLevel, ...] = ("crisis", "danger", "risk", "gentle", "attention")
URGENT: frozenset[FlagLevel] = frozenset({"crisis", "danger", "risk"})
"""The levels a coach checks in on first."""


@dataclass(frozen=True)
class FlagRule:
    """A flag for the coach, raised as soon as an answer makes ``when`` hold; ``meaning`` is for the coach."""

    id: str
    when: Condition
    meaning: str
    level: FlagLevel = "attention"


def _no_feedback(answers: Answers) -> list[Feedback]:
    return []


@dataclass(frozen=True)
class Worksheet:
    """An exercise. ``version`` goes up whenever wording or options change, so history stays true.

    ``feedback`` is a pure function of the answers; its ``flag_rules`` raise flags (such as ``safety``)
    for the coach as soon as an answer that raises them is saved. ``carries`` names fields whose latest
    answer from the client's other worksheets this one reads (conditions and feedback see them, this
    worksheet's own answers win). A ``takeaway`` is a card (page, print and PDF) built from the answers.
    A worksheet with a ``revise_label``, opened again, shows the latest completed answers and offers to
    revise them as a new version.
    """

    id: str
    version: int
    title: str
    steps: tuple[Step, ...]
    intro: str = ""
    feedback: Callable[[Answers], list[Feedback]] = field(default=_no_feedback, compare=False)
    values: Callable[[Answers], dict[str, Any]] = field(default=lambda answers: {}, compare=False)
    """The worksheet's named values for some answers (``values:`` in its file), e.g. ``safe``."""
    flag_rules: tuple[FlagRule, ...] = ()
    carries: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()
    """The questions of the libraries it uses: one it does not ask reads as no answer (``danger`` reads
    ``physical_this_time`` even where only ``been_hurt`` is asked)."""
    takeaway: Takeaway | None = None
    next_links: tuple[NextLink, ...] = ()
    revise_label: str = ""
    again_label: str = "Start a fresh copy"
    measures: tuple[Measure, ...] = ()
    couples: CouplesRules | None = None
    """Which answers two partners' responses are compared on (``couples:`` in the file); None: not for
    couples."""
    order: int = 100
    """Where it is listed among the worksheets (lower first, then by title)."""
    demo_every_days: tuple[float, float] = (20, 40)
    """For demo data only: how many days apart a demo client fills it in."""
    source: str = field(default="", compare=False, repr=False)
    """The file the worksheet was read from, as written (kept with the answers to each version)."""
    library_sources: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    """The libraries it uses, by name, as written (kept with the file)."""
    path: str = field(default="", compare=False, repr=False)
    """The file it was read from (where its translations are: ``coachkit.exercises.translations``)."""
    language: str = "en"
    """The language its words are in (a translation of the file: ``coachkit.exercises.translations``)."""
    say: Saying = field(default=ENGLISH, compare=False, repr=False)
    """How it says coachkit's own words (the safety net's cards) in ``language``."""

    @property
    def revisable(self) -> bool:
        """Opened again, it shows the latest completed answers and offers ``revise_label``."""
        return bool(self.revise_label)

    def __post_init__(self) -> None:
        problems = list(self._problems())
        if problems:
            raise WorksheetDefinitionError("; ".join(problems))

    @property
    def all_flag_rules(self) -> tuple[FlagRule, ...]:
        """Its own flag rules, then the safety net every worksheet with text boxes has (``safety_net``),
        and the flag for a client who stopped after a sign of crisis."""
        stopped = FlagRule(
            safety_net.STOPPED_FLAG, safety_net.Never(), safety_net.STOPPED_MEANING, "attention"
        )
        texts = [item.id for _, item in self.all_fields() if isinstance(item, ShortText)]
        if not texts:
            return (*self.flag_rules, stopped)
        despair = safety_net.words_condition(texts)
        danger = safety_net.danger_words_condition(texts)
        return (
            *self.flag_rules,
            stopped,
            FlagRule(safety_net.WORDS_FLAG, despair, safety_net.WORDS_MEANING, "crisis"),
            FlagRule(safety_net.DANGER_WORDS_FLAG, danger, safety_net.DANGER_WORDS_MEANING, "danger"),
        )

    def flags(self, answers: Answers) -> set[str]:
        """The flags these answers raise."""
        return {rule.id for rule in self.all_flag_rules if rule.when.holds(answers)}

    def in_crisis(self, answers: Answers) -> bool:
        """Whether these answers raise a ``crisis`` flag (self-harm, despair): help stays in view from
        then on, and the client may stop there."""
        return any(rule.level == "crisis" and rule.when.holds(answers) for rule in self.all_flag_rules)

    def flag_rule(self, flag_id: str) -> FlagRule | None:
        return next((rule for rule in self.all_flag_rules if rule.id == flag_id), None)

    def summary_feedback(self, facts: Answers) -> list[Feedback]:
        """What the summary says, safety first: help when words of despair or of violence were written,
        then the worksheet's own feedback (``facts``: its answers over the ones it carries)."""
        return in_reading_order([*self.safety_net_feedback(facts), *self.feedback(facts)])

    def safety_net_feedback(self, answers: Answers) -> list[Feedback]:
        """The safety net's own cards for words typed in this worksheet's boxes (``safety_net``)."""
        raised, own = self.flags(answers), self.feedback(answers)
        cards = [(safety_net.WORDS_FLAG, safety_net.CRISIS), (safety_net.DANGER_WORDS_FLAG, safety_net.HURT)]
        said = [(flag, Feedback(c.tone, self.say(c.title), self.say(c.text))) for flag, c in cards]
        return [card for flag, card in said if flag in raised and card not in own]

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
            yield from self._condition_problems(at, "shown_if", step.shown_if, seen_fields)
            for item in step.fields:
                yield from self._field_problems(at, item, seen_fields)
                seen_fields.add(getattr(item, "id", ""))
        for rule in self.flag_rules:
            yield from self._condition_problems(f"{where}, flag {rule.id!r}", "when", rule.when, seen_fields)
        for link in self.next_links:
            yield from self._condition_problems(
                f"{where}, link {link.label!r}", "shown_if", link.shown_if, seen_fields
            )

    def _field_problems(self, at: str, item: Field, earlier: set[str]) -> Iterator[str]:
        if not isinstance(item, Field):
            yield f"{at}: {item!r} is not a Field"
            return
        at = f"{at}, field {item.id!r}"
        if item.id in earlier:
            yield f"{at}: another field already has this id"
        for problem in item.problems():
            yield f"{at}: {problem}"
        yield from self._condition_problems(at, "shown_if", item.shown_if, earlier)

    def _condition_problems(
        self, at: str, name: str, condition: Condition | None, known: set[str]
    ) -> Iterator[str]:
        """A condition may only read fields asked before it, carried ones, or shared ones it does not ask."""
        unasked = set(self.shared) - {item.id for _, item in self.all_fields()} if self.shared else set()
        unknown = sorted(set(condition.fields() if condition else ()) - known - set(self.carries) - unasked)
        if unknown:
            names = ", ".join(unknown)
            yield f"{at}: {name} names {names}, which must be a field that comes before it"


def is_shown(item: Field | Step | NextLink, answers: Answers) -> bool:
    """Whether a field is asked, a step or a link shown, given the answers so far."""
    return holds(item.shown_if, answers)


def shown_steps(worksheet: Worksheet, answers: Answers) -> list[int]:
    """The indexes of the steps shown for these answers, in order."""
    return [index for index, step in enumerate(worksheet.steps) if is_shown(step, answers)]


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
    Hidden fields, and every field of a hidden step, are saved as unanswered. With ``enforce_required``
    off (going Back), a missing required answer is not an error, but an invalid one still is.
    """
    result = StepCheck(clean={}, errors={})
    answers = dict(earlier)
    step_shown = is_shown(step, answers)
    for item in step.fields:
        if not step_shown or not is_shown(item, answers):
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


def check_all(worksheet: Worksheet, answers: Answers, carried: Answers | None = None) -> dict[str, str]:
    """Re-check every step's stored answers before completing: errors by field id.

    ``carried`` answers (from the client's other worksheets) count for conditions only.
    """
    errors: dict[str, str] = {}
    so_far: dict[str, Value] = dict(carried or {})
    for step in worksheet.steps:
        checked = check_step(step, answers, so_far)
        errors.update(checked.errors)
        so_far.update(checked.clean)
    return errors
