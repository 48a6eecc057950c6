"""A finished worksheet as the client reads it: feedback (safety first), the answers, and what next.

Used on the page right after Finish and again on the client's history page, so both read the same.
Pure functions of the worksheet, the answers and the coach's settings; every text is escaped in markup.
"""

from __future__ import annotations

from collections.abc import Mapping

from coachkit.i18n import ENGLISH, Words
from coachkit.ui import markup
from coachkit.worksheet import Answers, Worksheet, is_shown


def summary_html(
    worksheet: Worksheet,
    facts: Answers,
    context: Mapping[str, str],
    thanks: bool = True,
    words: Words = ENGLISH,
) -> str:
    """(A thank-you,) feedback first, then every question asked with the client's answer."""
    items = worksheet.summary_feedback(facts)
    return markup.summary(worksheet, facts, items, context, thanks, words)


def next_links(worksheet: Worksheet, facts: Answers) -> list[tuple[str, str]]:
    """The worksheets suggested next (those whose condition holds), as (label, worksheet id)."""
    return [(link.label, link.worksheet_id) for link in worksheet.next_links if is_shown(link, facts)]
