"""The worksheet format's JSON Schema (``worksheet.schema.json``, shipped beside this module), in plain words.

Editors with a YAML language server read the schema from each file's first line and complete and check as
the coach types; ``coachkit worksheet check`` applies the same schema and says what is wrong, and on which
line, the way a person would. The loader still checks what a schema cannot (expressions, references).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachkit.worksheet.yaml_source import Mapping as Located

if TYPE_CHECKING:  # jsonschema takes a second to import: only when a file is held against the schema
    from jsonschema import Draft202012Validator, ValidationError

SCHEMA_PATH = Path(__file__).with_name("worksheet.schema.json")
SCHEMA_LINE = "# yaml-language-server: $schema={}"
"""The first line of a worksheet file, naming the schema for the coach's editor."""


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _plain(value: Any) -> Any:
    """The document as JSON would have it (keys as text), for the validator."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _line(document: Located, path: list[str | int]) -> int:
    """The line of the deepest part of ``document`` that ``path`` reaches."""
    line, node = document.line, document
    for step in path:
        if isinstance(node, Located):
            key = next((key for key in node if str(key) == str(step)), None)
            line, node = node.line_of(str(key)), node.get(key)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
            line = node.line if isinstance(node, Located) else line
        else:
            break
    return line


def _place(document: Located, path: list[str | int]) -> str:
    """Where in the file, by the names the coach gave (``steps › 'week' › fields › 'mood'``)."""
    words, node = [], document
    for step in path:
        node = node.get(step) if isinstance(node, dict) else node[step] if isinstance(node, list) else None
        if isinstance(step, int):
            name = next(
                (node[key] for key in ("id", "use", "title") if isinstance(node, dict) and key in node), ""
            )
            words.append(repr(name) if name else f"item {step + 1}")
        else:
            words.append(str(step))
    return " › ".join(words)


def _best(error: ValidationError) -> ValidationError:
    """Of an error with alternatives (``oneOf``/``anyOf``), the one that says the most useful thing."""
    if not error.context:
        return error
    deepest = max(error.context, key=lambda item: (len(item.absolute_path), item.validator != "required"))
    if len(deepest.absolute_path) > len(error.absolute_path):
        return _best(deepest)
    if _choices(error):
        return error
    wanting = [
        item for item in error.context if item.validator == "required" and item.validator_value != ["use"]
    ]
    return min(wanting, key=lambda item: len(_missing(item))) if wanting else error


def _choices(error: ValidationError) -> list[str]:
    """The keys of a ``oneOf`` that asks for exactly one of several keys (a measure's kind, say)."""
    alternatives = error.validator_value if error.validator == "oneOf" else []
    keys = [
        alternative.get("required", []) for alternative in alternatives if list(alternative) == ["required"]
    ]
    return [names[0] for names in keys if len(names) == 1] if keys and len(keys) == len(alternatives) else []


def _missing(error: ValidationError) -> list[str]:
    given = error.instance if isinstance(error.instance, dict) else {}
    return [name for name in error.validator_value if name not in given]


def _message(error: ValidationError) -> str:
    kind, value = error.validator, error.validator_value
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        given = error.instance if isinstance(error.instance, dict) else {}
        extra = sorted(key for key in given if key not in allowed)
        shown = f"; known here: {', '.join(allowed)}" if allowed else ""
        return f"`{', '.join(extra)}` is not a key here{shown}"
    if kind == "required":
        return f"needs `{'`, `'.join(_missing(error))}`"
    if kind == "enum":
        return f"{error.instance!r} is not one of: {', '.join(map(str, value))}"
    if kind == "type":
        wanted = value if isinstance(value, list) else [value]
        return f"{error.instance!r} should be {' or '.join(_TYPE_WORDS.get(item, item) for item in wanted)}"
    if kind == "pattern":
        return f"{error.instance!r} should be lower-case letters, digits and _ (a worksheet id may use -)"
    if choices := _choices(error):
        given = [name for name in choices if name in (error.instance or {})]
        if not given:
            return f"needs one of `{'`, `'.join(choices)}`"
        return f"has `{'` and `'.join(given)}`: give only one of `{'`, `'.join(choices)}`"
    if kind in ("anyOf", "oneOf") and error.schema.get("description"):
        return f"this does not fit: {error.schema['description']}"
    return error.message


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list (lines starting with -)",
    "object": "a set of `key: value` lines",
}


def schema_problems(document: Located) -> Iterator[tuple[int, str, str]]:
    """Every way ``document`` breaks the schema: (line, place, message), in the order of the file."""
    found = []
    for error in _validator().iter_errors(_plain(document)):
        best = _best(error)
        path = list(best.absolute_path)
        if best.validator == "additionalProperties" and isinstance(best.instance, dict):
            allowed = best.schema.get("properties", {})
            path += [next((key for key in best.instance if key not in allowed), "")]
        found.append((_line(document, path), _place(document, list(best.absolute_path)), _message(best)))
    yield from sorted(set(found))
