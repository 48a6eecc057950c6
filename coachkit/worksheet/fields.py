"""The kinds of question a worksheet can ask, and how each one checks an answer.

Fields are plain data: they never import widgets. ``Field.clean`` is the server-side check every answer passes
before it is saved, so it must accept only what the field can really hold, whatever the browser sent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import field as attribute
from typing import TYPE_CHECKING, Any, ClassVar

from coachkit.worksheet.saying import ENGLISH, N_, Saying

if TYPE_CHECKING:
    from coachkit.worksheet.conditions import Condition

Value = str | int | bool | list[str] | None
"""A cleaned answer, ready to be stored as JSON. ``None`` means "not answered"."""

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")


class AnswerError(ValueError):
    """An answer that the field cannot accept; the message is shown to the client as is."""


@dataclass(frozen=True)
class Option:
    """One choice: a stable ``value`` that is stored, and the ``label`` the client reads."""

    value: str
    label: str


@dataclass(frozen=True)
class Notice:
    """Text shown under a field at once, while its answer equals ``when`` (e.g. where to get help).

    ``when`` may instead be a pure function of the answer, e.g. one that spots words of despair in text.
    """

    when: Value | Callable[[Value], bool]
    text: str

    def applies(self, value: Value) -> bool:
        if value is None:
            return False
        return bool(self.when(value)) if callable(self.when) else value == self.when


@dataclass(frozen=True, kw_only=True)
class Field:
    """A question. Subclasses set ``kind`` and implement ``_clean_present``.

    ``shown_if`` asks it only while a condition on earlier answers holds. A ``sensitive`` answer (about
    safety or self-harm) is never shown again to whoever reopens the page, until they confirm it is them.
    """

    kind: ClassVar[str] = "field"

    id: str
    label: str
    required: bool = True
    help: str = ""
    notices: tuple[Notice, ...] = ()
    shown_if: Condition | None = None
    sensitive: bool = False
    trend: str = ""
    """For demo data only: ``down`` or ``up``, the way answers drift as a demo client gets better."""
    say: Saying = attribute(default=ENGLISH, compare=False, repr=False)
    """The worksheet's language: its messages, Yes and No, "of 5" (``coachkit.worksheet.saying``)."""

    def clean(self, raw: Any) -> Value:
        """Return the answer to store, or raise ``AnswerError`` with a plain message."""
        if self.is_empty(raw):
            if self.required:
                raise AnswerError(self._missing_message())
            return None
        return self._clean_present(raw)

    def problems(self) -> list[str]:
        """What is wrong with this field's definition (empty when it is sound)."""
        found = []
        if not isinstance(self.id, str) or not ID_PATTERN.match(self.id):
            found.append("its id must be lower-case letters, digits and _, starting with a letter")
        if not self.label.strip():
            found.append("it has no label")
        return found

    def display(self, value: Value) -> str:
        """The answer as the client would read it (plain text, not yet escaped)."""
        return "" if value is None else str(value)

    def is_empty(self, raw: Any) -> bool:
        """Whether ``raw`` counts as no answer (None, blank text, nothing ticked)."""
        return raw is None or (isinstance(raw, str) and not raw.strip())

    def readable(self, value: Any) -> Value:
        """``value`` if it has the shape of this question's answers, else None (no answer).

        What a worksheet file's expressions read, so a forged or stale value (text where a checklist's
        list belongs, say) is never mistaken for an answer.
        """
        return value if self._has_shape(value) else None

    def _has_shape(self, value: Any) -> bool:
        return isinstance(value, str)

    def _missing_message(self) -> str:
        return self.say(N_("Please answer this one before going on."))

    def _clean_present(self, raw: Any) -> Value:
        raise NotImplementedError


def _option_problems(options: Sequence[Option]) -> list[str]:
    values = [option.value for option in options]
    found = []
    if len(options) < 2:
        found.append("a choice needs at least two options")
    if len(set(values)) != len(values):
        found.append("two options share a value")
    if any(not option.label.strip() for option in options):
        found.append("an option has no label")
    return found


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Field):
    """Pick exactly one option."""

    kind: ClassVar[str] = "single_choice"
    options: tuple[Option, ...]

    def _clean_present(self, raw: Any) -> Value:
        if not isinstance(raw, str) or raw not in {option.value for option in self.options}:
            raise AnswerError(
                self.say(N_("That choice isn't one of the options. Please pick one from the list."))
            )
        return raw

    def problems(self) -> list[str]:
        return super().problems() + _option_problems(self.options)

    def display(self, value: Value) -> str:
        labels = {option.value: option.label for option in self.options}
        return labels.get(value, "") if isinstance(value, str) else ""

    def _missing_message(self) -> str:
        return self.say(N_("Please choose one of the options."))


@dataclass(frozen=True, kw_only=True)
class MultiChoice(Field):
    """A checklist: tick any number of options (at least one when required)."""

    kind: ClassVar[str] = "multi_choice"
    options: tuple[Option, ...]

    def is_empty(self, raw: Any) -> bool:
        return raw is None or (isinstance(raw, list | tuple) and len(raw) == 0)

    def _has_shape(self, value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)

    def _clean_present(self, raw: Any) -> Value:
        allowed = [option.value for option in self.options]
        if not isinstance(raw, list | tuple) or any(item not in allowed for item in raw):
            raise AnswerError(
                self.say(N_("One of those ticks isn't on the list. Please tick from the list shown."))
            )
        return [value for value in allowed if value in raw]

    def problems(self) -> list[str]:
        return super().problems() + _option_problems(self.options)

    def display(self, value: Value) -> str:
        labels = {option.value: option.label for option in self.options}
        return "\n".join(labels[item] for item in value or [] if item in labels)

    def _missing_message(self) -> str:
        return self.say(N_("Please tick at least one."))


@dataclass(frozen=True, kw_only=True)
class Rating(Field):
    """A whole number on a short scale, with words at both ends."""

    kind: ClassVar[str] = "rating"
    low: int = 1
    high: int = 5
    low_label: str = ""
    high_label: str = ""

    def _has_shape(self, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def _clean_present(self, raw: Any) -> Value:
        if isinstance(raw, bool) or not isinstance(raw, int) or not self.low <= raw <= self.high:
            raise AnswerError(
                self.say(N_("Please pick a number from {low} to {high}."), low=self.low, high=self.high)
            )
        return raw

    def problems(self) -> list[str]:
        found = super().problems()
        if not self.low < self.high <= self.low + 10:
            found.append("a rating needs low < high, with at most 11 points")
        return found

    def points(self) -> list[tuple[str, int]]:
        """(label, value) pairs, the ends carrying their words."""

        def label(point: int) -> str:
            words = {self.low: self.low_label, self.high: self.high_label}.get(point, "")
            return f"{point} – {words}" if words else str(point)

        return [(label(point), point) for point in range(self.low, self.high + 1)]

    def display(self, value: Value) -> str:
        labels = dict((v, k) for k, v in self.points())
        if isinstance(value, bool) or value not in labels:
            return ""
        return self.say(N_("{answer} (of {high})"), answer=labels[value], high=self.high)

    def _missing_message(self) -> str:
        return self.say(N_("Please pick a number on the scale."))


YES_NO_LABELS = {True: N_("Yes"), False: N_("No")}
"""Yes and No as written (``YesNo.labels`` says them in the worksheet's language)."""


@dataclass(frozen=True, kw_only=True)
class YesNo(Field):
    """A plain yes or no."""

    kind: ClassVar[str] = "yes_no"

    def labels(self) -> dict[bool, str]:
        """Yes and No in the worksheet's language."""
        return {value: self.say(label) for value, label in YES_NO_LABELS.items()}

    def _has_shape(self, value: Any) -> bool:
        return isinstance(value, bool)

    def _clean_present(self, raw: Any) -> Value:
        if not isinstance(raw, bool):
            raise AnswerError(self.say(N_("Please answer yes or no.")))
        return raw

    def display(self, value: Value) -> str:
        return self.labels()[value] if isinstance(value, bool) else ""

    def _missing_message(self) -> str:
        return self.say(N_("Please answer yes or no."))


@dataclass(frozen=True)
class Refusal:
    """Text a box does not accept (``refuses`` is a pure function of it), and the kind words that say why."""

    refuses: Callable[[str], bool]
    message: str


@dataclass(frozen=True, kw_only=True)
class ShortText(Field):
    """A line of the client's own words, stored exactly as typed (unless a ``Refusal`` turns it down)."""

    kind: ClassVar[str] = "short_text"
    max_length: int = 300
    placeholder: str = ""
    refusals: tuple[Refusal, ...] = ()

    def _clean_present(self, raw: Any) -> Value:
        if not isinstance(raw, str):
            raise AnswerError(self.say(N_("Please type your answer as text.")))
        if len(raw) > self.max_length:
            raise AnswerError(
                self.say(
                    N_(
                        "That is {length} characters; this box holds up to {limit}. "
                        "Could you shorten it a little?"
                    ),
                    length=f"{len(raw):,}",
                    limit=f"{self.max_length:,}",
                )
            )
        for refusal in self.refusals:
            if refusal.refuses(raw):
                raise AnswerError(refusal.message)
        return raw

    def problems(self) -> list[str]:
        found = super().problems()
        if not 1 <= self.max_length <= 20_000:
            found.append("max_length must be between 1 and 20,000")
        return found

    def _missing_message(self) -> str:
        return self.say(N_("Please write a few words here before going on."))


@dataclass(frozen=True, kw_only=True)
class LongText(ShortText):
    """A few paragraphs of the client's own words."""

    kind: ClassVar[str] = "long_text"
    max_length: int = 5000


@dataclass(frozen=True, kw_only=True)
class TimeOfDay(Field):
    """A clock time, stored as "HH:MM"."""

    kind: ClassVar[str] = "time_of_day"

    def _clean_present(self, raw: Any) -> Value:
        if isinstance(raw, dt.time):
            return raw.strftime("%H:%M")
        if isinstance(raw, str) and re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", raw):
            return raw
        raise AnswerError(self.say(N_("Please choose a time, such as 18:30.")))

    def display(self, value: Value) -> str:
        return value if isinstance(value, str) else ""

    def _missing_message(self) -> str:
        return self.say(N_("Please choose a time."))


FIELD_KINDS: dict[str, type[Field]] = {
    kind.kind: kind for kind in (SingleChoice, MultiChoice, Rating, YesNo, ShortText, LongText, TimeOfDay)
}
"""Every field kind by its name: the renderer has one widget factory for each."""

__all__ = [
    "FIELD_KINDS",
    "AnswerError",
    "Field",
    "LongText",
    "MultiChoice",
    "Notice",
    "Option",
    "Rating",
    "Refusal",
    "ShortText",
    "SingleChoice",
    "TimeOfDay",
    "Value",
    "YesNo",
]
