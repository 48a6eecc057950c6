"""Reading a worksheet file: YAML with the line of every mapping and key, so errors can name the line.

Booleans follow YAML 1.2: only ``true`` and ``false``. So an option value such as ``yes`` or ``no`` stays
the text a coach typed (YAML 1.1 would have turned it into a boolean behind their back).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

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
    """A file that is not YAML at all; ``line`` is where the parser stopped (1-based)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def read_yaml(text: str) -> Any:
    """The YAML document in ``text``, mappings as ``Mapping`` (with lines)."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise YamlError(f"it is not valid YAML: {error.problem or error.context}", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"it is not valid YAML: {error}", 0) from None
