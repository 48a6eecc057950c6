"""A worksheet file (YAML) read into a ``Worksheet``, every problem named by file, line and place.

A file may ``use`` libraries (shared questions, named values, feedback cards and flags, such as the
safety questions every worksheet about fights asks) and may carry answers from the client's other
worksheets. Expressions are checked as the file is read (``expressions``); a condition may only read
answers asked before it, carried ones, or named values. Nothing here imports widgets.

A file is untrusted input: ``read_source`` and ``read_yaml`` hold it to the limits (``limits.py``), and a
part of the wrong shape (a list where a number belongs, say) is a problem with its line, never an
exception: where the reading meets one, the file is held against the format's schema, which names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coachkit.worksheet import limits, safety_net
from coachkit.worksheet.couples import CouplesRules, Mark
from coachkit.worksheet.definition import (
    LEVELS,
    FlagRule,
    NextLink,
    Step,
    Takeaway,
    Worksheet,
    WorksheetDefinitionError,
)
from coachkit.worksheet.expressions import Expression, ExpressionError
from coachkit.worksheet.feedback import Feedback, in_reading_order
from coachkit.worksheet.fields import FIELD_KINDS, Field, Notice, Option, Refusal, SingleChoice
from coachkit.worksheet.measures import Measure
from coachkit.worksheet.patterns import Pattern, PatternError
from coachkit.worksheet.saying import ENGLISH, N_, Saying
from coachkit.worksheet.scope import FUNCTION_NAMES, Rule, Scope
from coachkit.worksheet.text import Part, Text, placeholders
from coachkit.worksheet.wording import translated
from coachkit.worksheet.yaml_source import TOO_LARGE, YamlError, read_yaml
from coachkit.worksheet.yaml_source import Mapping as Located


def _card(feedback: Feedback) -> Located:
    card = Located(tone=feedback.tone, title=feedback.title, text=feedback.text)
    card.line, card.key_lines = 0, {}
    return card


SAFETY_NET_CARDS = {"crisis": _card(safety_net.CRISIS), "hurt": _card(safety_net.HURT)}
"""The safety net's own cards (``safety_net``), which any worksheet may ``use`` by name."""
SETTING_PLACEHOLDERS = {
    "safety_help",
    "crisis_help",
    "change_help",
    "quick_exit_url",
    "page_title",
    "coach_told",
}
"""Placeholders the page fills with the coach's settings (``coachkit.settings``)."""
TONES = ("safety", "insight", "attention", "next_step")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (file, line, place) and what, in plain words."""

    path: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        place = f" {self.where}:" if self.where else ""
        line = f":{self.line}" if self.line else ""
        return f"{self.path}{line}:{place} {self.message}"


class WorksheetFileError(ValueError):
    """A worksheet or library file that cannot be used; ``problems`` says every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Library:
    """Shared parts several worksheets use: values, fields, cards and flags, by name (still raw YAML)."""

    name: str
    path: str
    text: str = field(repr=False)
    values: Located
    fields: Located
    cards: Located
    flags: Located


@dataclass(frozen=True)
class Placed:
    """An expression or pattern of a file, and where it is: what ``check`` tries on the largest answers."""

    where: str
    line: int
    path: str
    """The file it is in: the worksheet's, or a library's."""
    expression: Expression | None = None
    pattern: Pattern | None = None
    max_length: int = 0
    """For a pattern: the longest answer it will see."""


def read_source(path: Path) -> str:
    """A file's text, read as untrusted input: at most ``MAX_FILE_BYTES``, and UTF-8.

    ``WorksheetFileError`` says plainly why not (never an ``OSError`` or ``UnicodeDecodeError``).
    """
    try:
        with path.open("rb") as file:
            data = file.read(limits.MAX_FILE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise WorksheetFileError([Problem(str(path), 0, "", f"it cannot be read ({reason})")]) from None
    if len(data) > limits.MAX_FILE_BYTES:
        raise WorksheetFileError([Problem(str(path), 0, "", TOO_LARGE)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise WorksheetFileError([Problem(str(path), 0, "", "it is not UTF-8 text")]) from None


def read_document(text: str, path: str) -> Located:
    try:
        document = read_yaml(text)
    except YamlError as error:
        raise WorksheetFileError([Problem(path, error.line, "", str(error))]) from None
    if not isinstance(document, Located):
        raise WorksheetFileError([Problem(path, 1, "", "the file must be a set of `key: value` lines")])
    return document


def _section(document: Located, key: str) -> Located:
    value = document.get(key)
    if isinstance(value, Located):
        return value
    empty = Located()
    empty.line, empty.key_lines = document.line_of(key), {}
    return empty


def load_library(path: Path) -> Library:
    """A library file: ``library: NAME`` and its ``values``, ``fields``, ``cards`` and ``flags``."""
    return read_library(read_source(path), str(path))


def read_library(text: str, path: str) -> Library:
    """A library from its text (``path`` names it in problems)."""
    document = read_document(text, path)
    name = document.get("library")
    if not isinstance(name, str) or not name:
        raise WorksheetFileError([Problem(path, 1, "", "a library file starts with `library: NAME`")])
    sections = (_section(document, key) for key in ("values", "fields", "cards", "flags"))
    return Library(name, path, text, *sections)


@dataclass
class _Reader:
    """Reads one worksheet file, collecting problems instead of stopping at the first."""

    path: str
    document: Located
    libraries: Mapping[str, Library]
    problems: list[Problem] = field(default_factory=list)
    say: Saying = ENGLISH
    """The worksheet's language (its fields' messages, its times, the safety net's cards)."""
    scope: Scope = field(default_factory=Scope)
    used: list[Library] = field(default_factory=list)
    known: set[str] = field(default_factory=set)
    """Field ids asked so far, and carried ones: what a condition may read."""
    placed: list[Placed] = field(default_factory=list)

    def problem(self, where: str, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, where, message))

    def items(self, raw: Located, key: str, where: str = "") -> list[Any]:
        """The list under ``key`` (none there is an empty one); anything else is a problem."""
        value = raw.get(key)
        if value is None or isinstance(value, list):
            return value or []
        self.problem(where or key, raw.line_of(key), f"`{key}` is a list (lines starting with -)")
        return []

    # -- expressions -------------------------------------------------------------------------

    def rule(self, source: object, where: str, line: int, *, reads_later: bool = False) -> Rule | None:
        """A checked expression bound to the worksheet's scope; None (and a problem) if it can't be."""
        try:
            expression = Expression.compile(source, FUNCTION_NAMES)
        except ExpressionError as error:
            self.problem(where, line, f"in `{_shown(source)}`: {error}")
            return None
        rule = Rule(expression, self.scope)
        self.placed.append(Placed(where, line, self.path, expression))
        allowed = self.known | set(self.all_field_ids) if reads_later else self.known
        unasked = self.library_fields - set(self.all_field_ids)  # a shared question this one doesn't ask
        unknown = sorted(rule.fields() - allowed - unasked - {"value"})
        if unknown:
            later, quoted = [name for name in unknown if name in self.all_field_ids], _shown(source)
            if later and not reads_later:
                message = f"`{quoted}` reads {', '.join(later)}, which must be asked before it"
            else:
                message = f"`{quoted}` names {', '.join(unknown)}, which is not a question of this worksheet"
            self.problem(where, line, message)
            return None
        return rule

    @property
    def library_fields(self) -> set[str]:
        """The questions the used libraries share: an answer not asked here simply reads as None."""
        return {str(name) for library in self.used for name in library.fields}

    @property
    def all_field_ids(self) -> list[str]:
        found = []
        steps = self.document.get("steps")
        for step in steps if isinstance(steps, list) else []:
            fields = step.get("fields") if isinstance(step, Located) else None
            for raw in fields if isinstance(fields, list) else []:
                if isinstance(raw, Located):
                    found.append(str(raw.get("id") or raw.get("use") or ""))
        return found

    def text(self, raw: object, where: str, line: int) -> Text:
        parts: list[Part] = []
        for item in raw if isinstance(raw, list) else [raw]:
            if isinstance(item, Located):
                when = self.rule(item.get("when"), where, item.line_of("when"), reads_later=True)
                parts.append(Part(str(item.get("text", "")), when))
            elif isinstance(item, str | int | float):
                parts.append(Part(str(item)))
            else:
                self.problem(where, line, "a text is a line, or a list of lines and `{when, text}` parts")
        for part in parts:
            unknown = placeholders(part.text) - self.known - set(self.all_field_ids)
            unknown -= self.scope.value_names | SETTING_PLACEHOLDERS
            if unknown:
                self.problem(
                    where, line, f"the text names {{{', '.join(sorted(unknown))}}}, which is not known"
                )
        return Text(tuple(parts))

    # -- libraries and values ---------------------------------------------------------------

    def read_uses(self) -> None:
        for name in self.items(self.document, "uses"):
            library = self.libraries.get(str(name))
            if library is None:
                known = ", ".join(sorted(self.libraries)) or "none"
                self.problem("uses", self.document.line_of("uses"), f"no library {name!r} (known: {known})")
            else:
                self.used.append(library)

    def read_values(self) -> None:
        values: list[tuple[str, Expression]] = []
        own = (_section(self.document, "values"), self.path)
        for section, path in [*((library.values, library.path) for library in self.used), own]:
            for name, source in section.items():
                where, line = f"value {name!r}", section.line_of(str(name))
                if not _is_id(name):
                    self.problem(where, line, "a value's name must be lower-case letters, digits and _")
                    continue
                try:
                    values.append((str(name), Expression.compile(source, FUNCTION_NAMES)))
                except ExpressionError as error:
                    self.problem(where, line, f"in `{_shown(source)}`: {error}")
                    continue
                self.placed.append(Placed(where, line, path, values[-1][1]))
        object.__setattr__(self.scope, "values", tuple(values))

    def read_texts(self) -> None:
        """``texts:``: named sentences, in order (each may use the values and the texts before it)."""
        section = _section(self.document, "texts")
        for name, raw in section.items():
            where, line = f"text {name!r}", section.line_of(str(name))
            if not _is_id(name) or name in self.scope.value_names:
                self.problem(where, line, "a text's name is lower-case letters, digits and _, used once")
                continue
            text = self.text(raw, where, line)
            object.__setattr__(self.scope, "texts", (*self.scope.texts, (str(name), text)))

    def library_part(self, kind: str, name: object, where: str, line: int) -> Located | None:
        if not isinstance(name, str):
            self.problem(where, line, f"`use` names one {kind[:-1]} of a library, as a word")
            return None
        for library in reversed(self.used):
            part = getattr(library, kind).get(name)
            if isinstance(part, Located):
                return part
        if kind == "cards" and name in SAFETY_NET_CARDS:
            card = SAFETY_NET_CARDS[str(name)]
            return card if self.say is ENGLISH else _said(card, self.say)
        self.problem(where, line, f"no {kind[:-1]} {name!r} in the libraries this worksheet uses")
        return None

    def expand(self, raw: Located, kind: str, where: str) -> Located | None:
        """A ``use: name`` item with the library's definition under it (its own keys win)."""
        if "use" not in raw:
            return raw
        base = self.library_part(kind, raw["use"], where, raw.line_of("use"))
        if base is None:
            return None
        merged = Located({**base, **{key: value for key, value in raw.items() if key != "use"}})
        merged.line, merged.key_lines = raw.line, {**base.key_lines, **raw.key_lines}
        if kind == "fields":
            merged.setdefault("id", raw["use"])
        return merged


def _said(card: Located, say: Saying) -> Located:
    """A safety net card (``SAFETY_NET_CARDS``) in the worksheet's language."""
    copied = Located(tone=card["tone"], title=say(card["title"]), text=say(card["text"]))
    copied.line, copied.key_lines = card.line, card.key_lines
    return copied


def _shown(source: object) -> str:
    """An expression as quoted in a problem: its first 80 characters."""
    text = str(source)
    return text if len(text) <= 80 else text[:79] + "…"


def _is_id(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]*", value) is not None


# -- fields --------------------------------------------------------------------------------------

COMMON_KEYS = {"id", "kind", "label", "help", "required", "sensitive", "shown_if", "notices", "trend"}
KIND_KEYS = {
    "single_choice": {"options"},
    "multi_choice": {"options"},
    "rating": {"low", "high", "low_label", "high_label"},
    "yes_no": set(),
    "short_text": {"max_length", "placeholder", "refuse"},
    "long_text": {"max_length", "placeholder", "refuse"},
    "time_of_day": set(),
}


def _read_field(reader: _Reader, raw: Located, where: str) -> Field | None:
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in FIELD_KINDS:
        reader.problem(where, raw.line_of("kind"), f"`kind` must be one of: {', '.join(FIELD_KINDS)}")
        return None
    extra = sorted(set(raw) - COMMON_KEYS - KIND_KEYS[kind])
    if extra:
        reader.problem(where, raw.line_of(extra[0]), f"a {kind} field has no {', '.join(extra)}")
    options = {}
    if "options" in KIND_KEYS[kind]:
        given = raw.get("options")
        if not isinstance(given, Located):
            reader.problem(where, raw.line_of("options"), "`options` lists `value: label` lines")
            given = Located()
        options["options"] = tuple(Option(str(value), str(label)) for value, label in given.items())
    shown_if = None
    if "shown_if" in raw:
        shown_if = reader.rule(raw["shown_if"], where, raw.line_of("shown_if"))
    notices = tuple(_read_notice(reader, item, where) for item in reader.items(raw, "notices", where))
    refusals = [_read_refusal(reader, item, where) for item in reader.items(raw, "refuse", where)]
    settings: dict[str, Any] = {
        "id": raw.get("id"),
        "label": str(raw.get("label", "")),
        "help": str(raw.get("help", "")),
        "required": bool(raw.get("required", True)),
        "sensitive": bool(raw.get("sensitive", False)),
        "shown_if": shown_if,
        "notices": tuple(notice for notice in notices if notice is not None),
        "trend": str(raw.get("trend", "")),
        "say": reader.say,
        **options,
        **{
            key: raw[key]
            for key in ("low", "high", "low_label", "high_label", "max_length", "placeholder")
            if key in raw and key in KIND_KEYS[kind]
        },
    }
    for key in ("low", "high", "max_length"):
        if key in settings and (isinstance(settings[key], bool) or not isinstance(settings[key], int)):
            reader.problem(where, raw.line_of(key), f"`{key}` is a whole number")
            return None
    for key in ("low_label", "high_label", "placeholder"):
        if key in settings:
            settings[key] = str(settings[key])
    if refusals:
        settings["refusals"] = tuple(refusal for refusal, _ in filter(None, refusals))
    try:
        item = FIELD_KINDS[kind](**settings)
    except TypeError as error:
        reader.problem(where, raw.line, f"this field cannot be made: {error}")
        return None
    for message in item.problems():
        reader.problem(where, raw.line, message)
    for _, placed in filter(None, refusals):
        reader.placed.append(
            Placed(where, placed.line, reader.path, pattern=placed.pattern, max_length=item.max_length)
        )
    return item


def _read_notice(reader: _Reader, raw: object, where: str) -> Notice | None:
    if not isinstance(raw, Located) or "text" not in raw or ("equals" in raw) == ("when" in raw):
        line = raw.line if isinstance(raw, Located) else 0
        reader.problem(
            where, line, "a notice has `text`, and either `equals: <answer>` or `when: <expression>`"
        )
        return None
    if "equals" in raw:
        return Notice(raw["equals"], str(raw["text"]))
    rule = reader.rule(raw["when"], where, raw.line_of("when"), reads_later=True)
    if rule is None:
        return None
    return Notice(lambda value, rule=rule: rule.holds({"value": value}), str(raw["text"]))


def _read_refusal(reader: _Reader, raw: object, where: str) -> tuple[Refusal, Placed] | None:
    """A refusal and where its pattern is (its field's ``max_length`` is filled in once it is made)."""
    if not isinstance(raw, Located) or not {"matches", "message"} <= set(raw):
        reader.problem(where, getattr(raw, "line", 0), "a refusal has `matches: <pattern>` and `message`")
        return None
    try:
        pattern = Pattern.compile(str(raw["matches"]))
    except PatternError as error:
        reader.problem(where, raw.line_of("matches"), str(error))
        return None
    refusal = Refusal(pattern.search, str(raw["message"]))
    return refusal, Placed(where, raw.line_of("matches"), reader.path, pattern=pattern)


def _read_steps(reader: _Reader) -> Iterator[Step]:
    for index, raw_step in enumerate(reader.items(reader.document, "steps")):
        if not isinstance(raw_step, Located):
            reader.problem(f"step {index + 1}", 0, "a step is a set of `key: value` lines")
            continue
        step_id = raw_step.get("id", f"step_{index + 1}")
        where = f"step {step_id!r}"
        shown_if = None
        if "shown_if" in raw_step:
            shown_if = reader.rule(raw_step["shown_if"], where, raw_step.line_of("shown_if"))
        fields = []
        for raw_field in reader.items(raw_step, "fields", where):
            if not isinstance(raw_field, Located):
                reader.problem(where, raw_step.line_of("fields"), "each field is a set of `key: value` lines")
                continue
            field_where = f"{where}, field {raw_field.get('id') or raw_field.get('use')!r}"
            expanded = reader.expand(raw_field, "fields", field_where)
            item = _read_field(reader, expanded, field_where) if expanded is not None else None
            if item is not None:
                fields.append(item)
                reader.known.add(item.id)
                reader.scope.fields[item.id] = item
        preview = None
        if "preview" in raw_step:
            lines = reader.text(raw_step["preview"], where, raw_step.line_of("preview"))
            preview = _lines_function(reader.scope, lines)
        yield Step(
            id=str(step_id),
            title=str(raw_step.get("title", "")),
            intro=str(raw_step.get("intro", "")),
            fields=tuple(fields),
            preview=preview,
            shown_if=shown_if,
        )


def _lines_function(scope: Scope, lines: Text):  # type: ignore[no-untyped-def]
    return lambda answers: lines.lines(scope.names(answers))


# -- what the worksheet says back, and what it flags -----------------------------------------------


@dataclass(frozen=True)
class Card:
    tone: str
    title: str
    text: Text
    when: Rule | None


def _read_cards(reader: _Reader) -> list[Card]:
    cards = []
    for raw in reader.items(reader.document, "feedback"):
        if not isinstance(raw, Located):
            reader.problem("feedback", reader.document.line_of("feedback"), "each card is `key: value` lines")
            continue
        where = f"card {raw.get('title') or raw.get('use')!r}"
        card = reader.expand(raw, "cards", where)
        if card is None:
            continue
        if card.get("tone") not in TONES:
            reader.problem(where, card.line_of("tone"), f"`tone` must be one of: {', '.join(TONES)}")
            continue
        when = (
            reader.rule(card["when"], where, card.line_of("when"), reads_later=True)
            if "when" in card
            else None
        )
        text = reader.text(card.get("text", ""), where, card.line_of("text"))
        cards.append(Card(str(card["tone"]), str(card.get("title", "")), text, when))
    return cards


def feedback_function(scope: Scope, cards: list[Card]):  # type: ignore[no-untyped-def]
    """The worksheet's feedback: every card whose condition holds and that has something to say."""

    def feedback(answers: Mapping[str, Any]) -> list[Feedback]:
        names = scope.names(answers)
        items = []
        for card in cards:
            if card.when is not None and not scope.evaluate(card.when.expression, names):
                continue
            text = card.text.render(names)
            if text:
                items.append(Feedback(card.tone, card.title, text))  # type: ignore[arg-type]
        return in_reading_order(items)

    return feedback


def _read_flags(reader: _Reader) -> list[FlagRule]:
    rules = []
    for raw in reader.items(reader.document, "flags"):
        if not isinstance(raw, Located):
            continue
        where = f"flag {raw.get('id') or raw.get('use')!r}"
        flag = reader.expand({"use": raw} if isinstance(raw, str) else raw, "flags", where)
        if flag is None:
            continue
        flag_id = flag.get("id", raw.get("use"))
        level = flag.get("level", "attention")
        if not _is_id(flag_id) or level not in LEVELS or not flag.get("meaning"):
            reader.problem(
                where, flag.line, f"a flag has an `id`, a `meaning` and a `level` ({', '.join(LEVELS)})"
            )
            continue
        when = reader.rule(flag.get("when"), where, flag.line_of("when"), reads_later=True)
        if when is not None:
            rules.append(FlagRule(str(flag_id), when, str(flag["meaning"]), level))
    return rules


def _read_links(reader: _Reader) -> list[NextLink]:
    links = []
    for raw in reader.items(reader.document, "next"):
        if not isinstance(raw, Located) or not {"label", "worksheet"} <= set(raw):
            reader.problem("next", reader.document.line_of("next"), "a link has `label` and `worksheet`")
            continue
        where = f"link {raw['label']!r}"
        shown_if = (
            reader.rule(raw["shown_if"], where, raw.line_of("shown_if"), reads_later=True)
            if "shown_if" in raw
            else None
        )
        links.append(NextLink(str(raw["label"]), str(raw["worksheet"]), shown_if))
    return links


def _read_measures(reader: _Reader) -> list[Measure]:
    measures = []
    for raw in reader.items(reader.document, "measures"):
        if not isinstance(raw, Located) or not _is_id(raw.get("id")) or not raw.get("title"):
            reader.problem("measures", getattr(raw, "line", 0), "a measure has an `id` and a `title`")
            continue
        where, kinds = (
            f"measure {raw['id']!r}",
            [kind for kind in ("count", "scale", "rating", "checks") if kind in raw],
        )
        if len(kinds) != 1:
            reader.problem(where, raw.line, "a measure is one of `count`, `scale`, `rating` or `checks`")
            continue
        kind, common = (
            kinds[0],
            {"id": raw["id"], "title": str(raw["title"]), "better": raw.get("better", "")},
        )
        if kind == "count":
            value = reader.rule(raw["count"], where, raw.line_of("count"), reads_later=True)
            out_of = raw.get("out_of", 0)
            if isinstance(out_of, bool) or not isinstance(out_of, int):
                reader.problem(where, raw.line_of("out_of"), "`out_of` is a whole number")
                continue
            measures.append(Measure(kind=kind, value=value, out_of=out_of, **common))
        elif kind == "checks":
            given = raw["checks"]
            if not isinstance(given, Located):
                reader.problem(where, raw.line_of("checks"), "`checks` lists `label: <expression>` lines")
                continue
            checks = tuple(
                (str(label), rule)
                for label, source in given.items()
                if (rule := reader.rule(source, where, given.line_of(str(label)), reads_later=True))
            )
            measures.append(Measure(kind=kind, checks=checks, **common))
        else:
            field_id = str(raw[kind])
            wanted = "single_choice" if kind == "scale" else "rating"
            if field_id not in reader.scope.fields:
                reader.problem(where, raw.line_of(kind), f"no question {field_id!r} in this worksheet")
                continue
            if reader.scope.fields[field_id].kind != wanted:
                reader.problem(
                    where, raw.line_of(kind), f"a {kind} reads a {wanted} question; {field_id!r} is not"
                )
                continue
            highlight = None
            if "highlight" in raw:
                highlight = reader.rule(raw["highlight"], where, raw.line_of("highlight"), reads_later=True)
            label = str(raw.get("highlight_label", ""))
            measures.append(
                Measure(kind=kind, field_id=field_id, highlight=highlight, highlight_label=label, **common)
            )
    return measures


def _read_couples(reader: _Reader, steps: tuple[Step, ...]) -> CouplesRules | None:
    """``couples:``: the questions compared between partners and the differences marked (no private one)."""
    raw = reader.document.get("couples")
    if raw is None:
        return None
    line = reader.document.line_of("couples")
    if not isinstance(raw, Located):
        reader.problem("couples", line, "`couples` holds `compare` (a list of question ids) and `marks`")
        return None
    fields = {item.id: item for step in steps for item in step.fields}
    compared = [str(name) for name in reader.items(raw, "compare", "couples")]
    for name in compared:
        if name not in fields:
            reader.problem("couples", raw.line_of("compare"), f"no question {name!r} in this worksheet")
        elif fields[name].sensitive:
            reader.problem(
                "couples",
                raw.line_of("compare"),
                f"{name!r} is private: partners' private answers are never compared",
            )
    marks = [
        mark for item in reader.items(raw, "marks", "couples") if (mark := _read_mark(reader, item, fields))
    ]
    for mark in marks:
        if mark.field_id not in compared:
            reader.problem("couples", line, f"a mark on {mark.field_id!r}, which is not in `compare`")
    return CouplesRules(tuple(compared), tuple(marks))


def _read_mark(reader: _Reader, raw: object, fields: Mapping[str, Field]) -> Mark | None:
    line = getattr(raw, "line", 0)
    if (
        not isinstance(raw, Located)
        or "field" not in raw
        or not raw.get("text")
        or ("both" in raw) == ("apart" in raw)
    ):
        reader.problem(
            "couples", line, "a mark has a `field`, a `text`, and either `both: <answer>` or `apart: N`"
        )
        return None
    field_id, apart = str(raw["field"]), raw.get("apart", 0)
    item = fields.get(field_id)
    if item is None:
        reader.problem("couples", line, f"no question {field_id!r} in this worksheet")
        return None
    if "apart" in raw and (
        not isinstance(item, SingleChoice)
        or isinstance(apart, bool)
        or not isinstance(apart, int)
        or apart < 1
    ):
        reader.problem(
            "couples", line, "`apart: N` (a whole number, 1 or more) reads a single-choice question"
        )
        return None
    both = raw.get("both")
    if (
        both is not None
        and isinstance(item, SingleChoice)
        and str(both) not in {o.value for o in item.options}
    ):
        reader.problem("couples", line, f"{both!r} is not an answer of {field_id!r}")
        return None
    return Mark(
        field_id, str(raw["text"]), both=str(both) if both is not None else None, apart=int(apart or 0)
    )


def _read_takeaway(reader: _Reader) -> Takeaway | None:
    raw = reader.document.get("takeaway")
    if raw is None:
        return None
    if not isinstance(raw, Located) or "title" not in raw or "lines" not in raw:
        reader.problem(
            "takeaway", reader.document.line_of("takeaway"), "a takeaway has a `title` and `lines`"
        )
        return None
    lines = reader.text(raw["lines"], "takeaway", raw.line_of("lines"))
    return Takeaway(str(raw["title"]), _lines_function(reader.scope, lines))


# -- the whole file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """A worksheet as read from its file, with every expression and pattern in it and their places."""

    worksheet: Worksheet
    scope: Scope
    placed: tuple[Placed, ...]


Translate = Callable[[str], "str | None"]
"""A translation: the words of a worksheet file (as written) in another language, or None for none."""


def load_worksheet(
    text: str,
    path: str,
    libraries: Mapping[str, Library],
    *,
    say: Saying = ENGLISH,
    translate: Translate | None = None,
) -> Worksheet:
    """The worksheet a file declares; ``WorksheetFileError`` lists every problem with its line.

    With ``translate``, the worksheet is in another language (``say``'s): its words and its libraries'
    are replaced by their translations (``wording.translated``), its own messages said by ``say``.
    """
    return load_with_places(text, path, libraries, say=say, translate=translate).worksheet


def load_with_places(
    text: str,
    path: str,
    libraries: Mapping[str, Library],
    *,
    say: Saying = ENGLISH,
    translate: Translate | None = None,
) -> Loaded:
    """``load_worksheet``, keeping where each expression and pattern is (what ``check`` tries out)."""
    document = read_document(text, path)
    if translate is not None:
        document = translated(document, translate)
        libraries = {name: translated_library(library, translate) for name, library in libraries.items()}
    try:
        return _load(document, text, path, libraries, say)
    except WorksheetFileError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, IndexError):
        raise WorksheetFileError(_shape_problems(document, path, libraries)) from None


def _shape_problems(document: Located, path: str, libraries: Mapping[str, Library]) -> list[Problem]:
    """What the format's schema says of a file whose reading met a part of the wrong shape.

    The schema is only needed here, for a broken file: jsonschema takes a second to import, which every
    client's page would otherwise wait for.
    """
    from coachkit.worksheet.schema import schema_problems

    found = [Problem(path, line, where, message) for line, where, message in schema_problems(document)]
    uses = document.get("uses")
    for name in uses if isinstance(uses, list) else []:
        library = libraries.get(name) if isinstance(name, str) else None
        if library is not None:
            kept = read_document(library.text, library.path)
            found += [Problem(library.path, *problem) for problem in schema_problems(kept)]
    unexplained = "a part of it has a shape the format does not allow (`coachkit worksheet check` names it)"
    return found or [Problem(path, 0, "", unexplained)]


def translated_library(library: Library, translate: Translate) -> Library:
    """A library with its words replaced by their translations (its kept text stays as written)."""
    document = translated(read_document(library.text, library.path), translate)
    sections = (_section(document, key) for key in ("values", "fields", "cards", "flags"))
    return Library(library.name, library.path, library.text, *sections)


def _load(
    document: Located, text: str, path: str, libraries: Mapping[str, Library], say: Saying = ENGLISH
) -> Loaded:
    reader = _Reader(path, document, libraries, say=say, scope=Scope(say=say))
    reader.read_uses()
    reader.read_values()
    reader.read_texts()
    carries = [str(name) for name in reader.items(document, "carries")]
    reader.known.update(carries)
    steps = tuple(_read_steps(reader))
    cards = _read_cards(reader)
    flags = _read_flags(reader)
    links = _read_links(reader)
    measures = _read_measures(reader)
    takeaway = _read_takeaway(reader)
    couples = _read_couples(reader, steps)
    if reader.problems:
        raise WorksheetFileError(reader.problems)
    try:
        sheet = Worksheet(
            id=str(document.get("id", "")),
            version=int(document.get("version", 0)),
            title=str(document.get("title", "")),
            intro=str(document.get("intro", "")),
            steps=steps,
            feedback=feedback_function(reader.scope, cards),
            values=reader.scope.values_of,
            flag_rules=tuple(flags),
            carries=tuple(carries),
            shared=tuple(sorted(reader.library_fields)),
            takeaway=takeaway,
            next_links=tuple(links),
            revise_label=str(document.get("revise_label", "")),
            again_label=str(document.get("again_label", say(N_("Start a fresh copy")))),
            measures=tuple(measures),
            couples=couples,
            order=int(document.get("order", 100)),
            demo_every_days=tuple(document.get("demo_every_days") or (20, 40)),
            source=text,
            library_sources=tuple((library.name, library.text) for library in reader.used),
            path=path,
            language=say.language,
            say=say,
        )
    except WorksheetDefinitionError as error:  # a wrong shape (``version: many``) is the schema's to name
        raise WorksheetFileError([Problem(path, 1, "", str(error))]) from None
    return Loaded(sheet, reader.scope, tuple(reader.placed))
