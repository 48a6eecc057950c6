"""What the coach follows over time, as a worksheet file declares it, and how each is drawn.

- ``count``: a whole number from 0 to ``out_of``, from an expression (e.g. how many of five said yes).
- ``scale``: a single-choice answer placed on its own options, in order; ``highlight`` marks some points.
- ``rating``: a rating field's number, on its own scale.
- ``checks``: several yes/no expressions, drawn as rows of dots (no dot where one gives no answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from coachkit.worksheet.scope import Rule

MeasureKind = Literal["count", "scale", "rating", "checks"]


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    kind: MeasureKind
    value: Rule | None = None
    out_of: int = 0
    field_id: str = ""
    highlight: Rule | None = None
    highlight_label: str = ""
    checks: tuple[tuple[str, Rule], ...] = ()
    better: Literal["", "lower", "higher"] = ""
    """Which way is better, for the words under the chart ("" when neither is)."""
