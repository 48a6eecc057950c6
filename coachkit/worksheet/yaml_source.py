"""Reading a worksheet file: YAML with the line of every mapping and key, so errors can name the line.

Booleans follow YAML 1.2: only ``true`` and ``false``. So an option value such as ``yes`` or ``no`` stays
the text a coach typed (YAML 1.1 would have turned it into a boolean behind their back).

A file is untrusted input. Before a single value is built, one pass over the parser's events holds it to
the limits in ``limits.py``: its size, how deep it nests, how long each list is, and how many aliases it
has and how far they would expand (nine levels of nine aliases, the "billion laughs", would be 387 million
values once copied out; it is refused at the first alias past the limit, having built nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from coachkit.worksheet import limits

try:  # libyaml's parser is several times faster, where it is built
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - the pure-Python parser reads the same documents
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class Mapping(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers its own line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    pass


# YAML 1.2 booleans: drop the 1.1 resolver (yes/no/on/off...) and keep only true/false.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.copy().items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    found = Mapping()
    found.line = node.start_mark.line + 1
    found.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        found[key] = loader.construct_object(value_node, deep=True)
        found.key_lines[str(key)] = key_node.start_mark.line + 1
    return found


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


class YamlError(ValueError):
    """A file that is not YAML, or goes past a limit; ``line`` is where the reading stopped (1-based)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class _Open:
    """A list or mapping whose end the scan has not reached yet."""

    anchor: str | None
    limit: int
    """How many child events it may have (a mapping's keys and values are two each)."""
    children: int = 0
    size: int = 1
    """Values in it, counting itself, with every alias written out in full."""


def _scan(text: str) -> None:
    """Refuse a document past the limits, reading only the parser's events (``YamlError`` says where)."""
    sizes: dict[str, int] = {}  # each anchor's size, once its value is complete
    open_: list[_Open] = []
    total = aliases = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.CollectionEndEvent):
            done = open_.pop()
            if done.anchor:
                sizes[done.anchor] = done.size
            if open_:
                open_[-1].size += done.size
            continue
        if not isinstance(event, yaml.ScalarEvent | yaml.AliasEvent | yaml.CollectionStartEvent):
            continue
        if open_:
            open_[-1].children += 1
            if open_[-1].children > open_[-1].limit:
                raise YamlError(TOO_MANY_ITEMS, line)
        size = 1
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > limits.MAX_ALIASES:
                raise YamlError(TOO_MANY_ALIASES, line)
            size = sizes.get(event.anchor or "", 1)  # an unknown one is the parser's to report
        total += size
        if total > limits.MAX_NODES:
            raise YamlError(TOO_LARGE_EXPANDED, line)
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_) >= limits.MAX_DEPTH:
                raise YamlError(TOO_DEEP, line)
            mapping = isinstance(event, yaml.MappingStartEvent)
            open_.append(_Open(event.anchor, limits.MAX_ITEMS * (2 if mapping else 1)))
            continue
        if isinstance(event, yaml.ScalarEvent) and event.anchor:
            sizes[event.anchor] = 1
        if open_:
            open_[-1].size += size


TOO_LARGE = (
    f"it is larger than {limits.MAX_FILE_BYTES // 1024} KB, far more than a worksheet needs: "
    "is it the right file?"
)
TOO_DEEP = (
    f"it nests lists and `key: value` lines more than {limits.MAX_DEPTH} levels deep here; "
    "a worksheet needs fewer than 10 (check the indentation and brackets)"
)
TOO_MANY_ITEMS = f"this list (or set of `key: value` lines) goes past {limits.MAX_ITEMS} items; split it up"
TOO_MANY_ALIASES = (
    f"it uses more than {limits.MAX_ALIASES} aliases (`*name`); write the parts out, or share them "
    "in a library"
)
TOO_LARGE_EXPANDED = (
    f"with its aliases (`*name`) written out, it would hold more than {limits.MAX_NODES:,} values; "
    "an alias here repeats too much (write the parts out, or share them in a library)"
)


def read_yaml(text: str) -> Any:
    """The YAML document in ``text``, mappings as ``Mapping`` (with lines); ``YamlError`` if it is not
    YAML or goes past a limit (``limits.py``)."""
    if len(text) > limits.MAX_FILE_BYTES or len(text.encode("utf-8")) > limits.MAX_FILE_BYTES:
        raise YamlError(TOO_LARGE, 0)
    try:
        _scan(text)
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise YamlError(f"it is not valid YAML: {error.problem or error.context}", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"it is not valid YAML: {error}", 0) from None
