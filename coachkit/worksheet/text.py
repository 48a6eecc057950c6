"""Texts in a worksheet file: parts shown when their condition holds, with ``{name}`` filled in.

A text is a line, or a list of parts, each a line or ``{when: <expression>, text: <line>}``; the parts
that apply are joined with a space. ``{name}`` is replaced by a named value or an answer; a name the
worksheet does not know (the coach's settings, such as ``{safety_help}``) is left for the page to fill.
Everything stays plain text: the page escapes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coachkit.worksheet.scope import Rule

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def fill_names(text: str, names: Mapping[str, Any]) -> str:
    """Replace ``{name}`` with the value of ``name`` where the worksheet has one."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in names:
            return match.group(0)
        value = names[name]
        return "" if value is None else str(value)

    return PLACEHOLDER.sub(replace, text)


@dataclass(frozen=True)
class Part:
    text: str
    when: Rule | None = None


@dataclass(frozen=True)
class Text:
    """A text made of parts; ``render`` gives the plain text for computed names ("" when no part applies)."""

    parts: tuple[Part, ...]

    def applies(self, part: Part, names: Mapping[str, Any]) -> bool:
        return part.when is None or bool(part.when.scope.evaluate(part.when.expression, names))

    def render(self, names: Mapping[str, Any], separator: str = " ") -> str:
        shown = [fill_names(part.text, names) for part in self.parts if self.applies(part, names)]
        return separator.join(text for text in shown if text)

    def lines(self, names: Mapping[str, Any]) -> list[str]:
        """Each part that applies as its own line (a blank part gives a blank line)."""
        return [fill_names(part.text, names) for part in self.parts if self.applies(part, names)]
