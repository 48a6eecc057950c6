"""How a worksheet says its own words (errors, Yes and No, "of 5", a time of day) in its language.

A worksheet read in a language other than English is given a ``Saying`` (``coachkit.i18n.Words`` is one):
its fields' messages and labels, and the times its texts show, go through it. ``N_`` marks the words for
the catalog (``make catalogs``); ``ENGLISH`` says them as written. It imports nothing (the fields use it).
"""

from __future__ import annotations

import re
from typing import Protocol

_NAME = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def N_(message: str) -> str:
    return message


class Saying(Protocol):
    """What a worksheet needs of a language: its tag, its words, and a clock."""

    language: str

    def __call__(self, message: str, /, **names: object) -> str: ...

    def clock(self, hours: int, minutes: int) -> str: ...


class English:
    """The words as written, and times as "6:30 pm"."""

    language = "en"

    def __call__(self, message: str, /, **names: object) -> str:
        return _NAME.sub(lambda m: str(names.get(m.group(1), m.group(0))), message) if names else message

    def clock(self, hours: int, minutes: int) -> str:
        return f"{(hours - 1) % 12 + 1}:{minutes:02d} {'am' if hours < 12 else 'pm'}"


ENGLISH = English()
