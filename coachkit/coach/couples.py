"""A couple for the coach: both partners' answers in one tidy frame, side by side, and over time.

Nothing here is shown unless the couples' safety gate is open (``coachkit.couples.gate``): while it is
closed the coach reads why, and the advice to see them apart. Private answers (about safety) are never
set side by side: only the questions a worksheet's ``couples:`` names. Pure functions of the store's rows.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from coachkit.coach import charts, frames, scores
from coachkit.couples.gate import APART, CoupleGate
from coachkit.exercises import WORKSHEETS
from coachkit.store import Client, Store
from coachkit.worksheet import Worksheet
from coachkit.worksheet.couples import Compared, compare

PARTNER_COLUMN = "partner"
COUPLE_COLUMNS = [PARTNER_COLUMN, *frames.ANSWER_COLUMNS]


def couple_answers(store: Store, first: Client, second: Client) -> pd.DataFrame:
    """Both partners' tidy frames as one, with a ``partner`` column ("first" / "second"); compared
    questions only, so no private answer is in it."""
    compared = {
        (sheet.id, field) for sheet in WORKSHEETS.values() if sheet.couples for field in sheet.couples.compare
    }
    parts = []
    for which, client in (("first", first), ("second", second)):
        tidy = frames.answers(store, client.id)
        keep = [
            (sheet, field) in compared for sheet, field in zip(tidy["worksheet"], tidy["field"], strict=True)
        ]
        parts.append(tidy[keep].assign(**{PARTNER_COLUMN: which}))
    joined = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COUPLE_COLUMNS)
    return joined[COUPLE_COLUMNS].reset_index(drop=True)


def latest_answers(tidy: pd.DataFrame, worksheet_id: str) -> dict[str, object]:
    """A client's answers to their latest finished response of a worksheet ({} if none)."""
    done = scores.completed(tidy, worksheet_id)
    if done.empty:
        return {}
    latest = int(done.iloc[-1]["response_id"])
    rows = tidy[tidy["response_id"] == latest]
    return dict(zip(rows["field"], rows["value"], strict=True))


def comparisons(store: Store, first: Client, second: Client) -> list[tuple[Worksheet, list[Compared]]]:
    """Each couples worksheet both partners have finished, with their latest answers compared."""
    mine, theirs = frames.answers(store, first.id), frames.answers(store, second.id)
    found = []
    for sheet in WORKSHEETS.values():
        if sheet.couples is None:
            continue
        a, b = latest_answers(mine, sheet.id), latest_answers(theirs, sheet.id)
        if a and b:
            fields = {item.id: item for _, item in sheet.all_fields()}
            found.append((sheet, compare(sheet.couples, fields, a, b)))
    return found


def gate_html(checked: CoupleGate, first: Client, second: Client) -> str:
    """Whether the coach may work with them together, and why not."""
    names = f"{escape(first.name)} and {escape(second.name)}"
    if checked.open:
        return (
            f'<p class="ck-note" role="note">{names} are linked as partners. Neither has said anyone was '
            "hurt or frightened, so their answers can be set side by side.</p>"
        )
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in checked.reasons)
    return (
        f'<section class="ck-alert" role="alert"><h3>Kept apart</h3><p>{names} are linked as partners, '
        f"but:</p><ul>{reasons}</ul><p>{escape(APART)}</p></section>"
    )


def comparison_html(sheet: Worksheet, rows: list[Compared], first: Client, second: Client) -> str:
    """One worksheet's compared questions in two columns, same answers and marked differences noted."""
    head = f"<tr><th>Question</th><th>{escape(first.name)}</th><th>{escape(second.name)}</th><th></th></tr>"
    body = []
    for row in rows:
        state = {True: "Same answer", False: "Different", None: ""}[row.same]
        marks = "".join(f'<div class="ck-mark">{escape(mark)}</div>' for mark in row.marks)
        klass = ' class="ck-differ"' if row.same is False or row.marks else ""
        body.append(
            f"<tr{klass}><td>{escape(row.label)}</td><td>{escape(row.first)}</td><td>{escape(row.second)}</td>"
            f"<td>{escape(state)}{marks}</td></tr>"
        )
    return (
        f"<h3>{escape(sheet.title)}: side by side</h3>"
        f'<table class="ck-couple"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'
    )


def couple_charts(store: Store, first: Client, second: Client) -> list[charts.Chart]:
    """Each numeric measure both partners have, as one chart with a line each."""
    tidy = {first.name: frames.answers(store, first.id), second.name: frames.answers(store, second.id)}
    found = []
    for sheet in WORKSHEETS.values():
        for measure in sheet.measures:
            if measure.kind not in ("count", "rating", "scale"):
                continue
            series = {name: scores.measure_frame(frame, sheet, measure) for name, frame in tidy.items()}
            if all(not frame.empty for frame in series.values()):
                found.append(charts.pair_chart(sheet, measure, series))
    return found
