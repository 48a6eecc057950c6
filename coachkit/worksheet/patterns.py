"""Patterns from worksheet files (``refuse: - matches:``), run with a time limit.

A pattern is a regular expression the coach writes, matched against what a client types. Some patterns
take time that doubles with each character on some texts ("catastrophic backtracking": ``(a|aa)+$`` on a
line of a's ending in ``!``). They run on the ``regex`` library, which is written to avoid much of that
and takes a ``timeout``: a pattern that has not decided within ``PATTERN_SECONDS`` counts as not
matching, so the client's answer is kept. ``coachkit worksheet check`` tries each pattern on the texts
most likely to be slow and reports the slow ones (``stress.py``).

``regex`` reads the syntax of Python's ``re`` (lookarounds included) where both have it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import regex

from coachkit.worksheet import limits


class PatternError(ValueError):
    """A pattern that cannot be used; the message says why, in plain words."""


@dataclass(frozen=True)
class Pattern:
    """A checked, compiled pattern, matched without regard to case."""

    source: str
    compiled: regex.Pattern[str] = field(repr=False, compare=False)

    @classmethod
    def compile(cls, source: object) -> Pattern:
        if not isinstance(source, str) or not source:
            raise PatternError("a pattern is a line of text")
        if len(source) > limits.MAX_PATTERN_CHARS:
            raise PatternError(
                f"it is {len(source):,} characters long; a pattern holds at most {limits.MAX_PATTERN_CHARS:,}"
            )
        try:
            return cls(source, regex.compile(source, regex.IGNORECASE | regex.VERSION0))
        except (regex.error, OverflowError, RecursionError, MemoryError) as error:
            raise PatternError(f"the pattern does not read: {error}") from None

    def search(self, text: str) -> bool:
        """Whether the pattern is found in ``text``; False if it could not tell within the time limit."""
        try:
            return self.compiled.search(text, timeout=limits.PATTERN_SECONDS) is not None
        except TimeoutError:
            return False

    def seconds(self, text: str) -> float:
        """The CPU time a search of ``text`` takes, or ``PATTERN_SECONDS`` if it reaches the time limit
        (for ``check``: CPU time, so that a busy machine does not make a sound pattern look slow)."""
        started = time.thread_time()
        try:
            self.compiled.search(text, timeout=limits.PATTERN_SECONDS)
        except TimeoutError:
            return limits.PATTERN_SECONDS
        return time.thread_time() - started
