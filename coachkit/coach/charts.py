"""The coach's charts: per-worksheet results over time as PNG images, each with a plain-text summary.

Built with matplotlib's object-oriented API on the Agg canvas (no pyplot, no GUI, no global state),
so they render the same in a Voila kernel, JupyterLab or a test. Each function takes a frame from
``coachkit.coach.scores`` and returns a ``Chart``; with no data its ``png`` is ``None``. No client's
own words are ever drawn (matplotlib would read ``$…$`` in them as mathematics).

Example::

    chart = charts.self_check(scores.fight_scores(tidy))
    Path("self-check.png").write_bytes(chart.png)
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from coachkit.coach.scores import BELIEFS, FIGHT, PRACTICE, SELF_CHECK_OUT_OF
from coachkit.exercises import WORKSHEETS
from coachkit.exercises.fight import FREQUENT

INK, SOFT, LINE = "#23302e", "#5b6b68", "#d9dfdc"
ACCENT, WARN, PAPER = "#2f6f62", "#b0601a", "#ffffff"
NO_DATA = "No data yet."


@dataclass(frozen=True)
class Chart:
    """A chart's title, its PNG (``None`` when there is nothing to plot) and what it shows, in words."""

    title: str
    png: bytes | None
    summary: str


def _day(when: pd.Timestamp) -> str:
    return f"{when:%-d %b %Y}"


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _times(frame: pd.DataFrame) -> list[dt.datetime]:
    return [when.to_pydatetime() for when in frame["completed_at"]]


def _figure(rows: int = 1, height: float = 2.6) -> tuple[Figure, list[Axes]]:
    figure = Figure(figsize=(6.4, height), dpi=110, facecolor=PAPER, layout="constrained")
    axes = figure.subplots(rows, 1, sharex=True, squeeze=False)[:, 0]
    for ax in axes:
        ax.set_facecolor(PAPER)
        ax.tick_params(colors=SOFT, labelsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_color(LINE)
        ax.grid(axis="y", color=LINE, linewidth=0.6)
        ax.set_axisbelow(True)
    locator = AutoDateLocator(minticks=3, maxticks=7)
    axes[-1].xaxis.set_major_locator(locator)
    axes[-1].xaxis.set_major_formatter(ConciseDateFormatter(locator))
    return figure, list(axes)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor=PAPER)
    return buffer.getvalue()


Span = tuple[dt.datetime, dt.datetime] | None
"""The dates every chart of one client covers, so the charts line up (``None``: just their own data)."""


def _pad_dates(ax: Axes, times: list[dt.datetime], span: Span) -> None:
    low, high = min(times), max(times)
    if span is not None:
        low, high = min(low, span[0]), max(high, span[1])
    # One point, or points on one day, would give a zero-width axis.
    margin = max((high - low) * 0.05, dt.timedelta(days=3))
    ax.set_xlim(low - margin, high + margin)


def self_check(fight_scores: pd.DataFrame, span: Span = None) -> Chart:
    """How many of the five self-check questions sounded familiar, each time (lower is calmer)."""
    title = "Fight self-check: how many of 5 sounded familiar"
    if fight_scores.empty:
        return Chart(title, None, NO_DATA)
    figure, [ax] = _figure()
    times, values = _times(fight_scores), fight_scores["self_check"].astype(int).tolist()
    ax.plot(times, values, color=ACCENT, marker="o", linewidth=2, markersize=5)
    ax.set_ylim(-0.3, SELF_CHECK_OUT_OF + 0.3)
    ax.set_yticks(range(SELF_CHECK_OUT_OF + 1))
    ax.set_ylabel("yes answers", color=SOFT, fontsize=8)
    _pad_dates(ax, times, span)
    first, last = fight_scores.iloc[0], fight_scores.iloc[-1]
    summary = f"{_count(len(values), 'self-check')}. Latest: {values[-1]} of {SELF_CHECK_OUT_OF}"
    summary += f" ({_day(last.completed_at)})"
    if len(values) > 1:
        summary += f"; first: {values[0]} of {SELF_CHECK_OUT_OF} ({_day(first.completed_at)})"
    summary += "."
    return Chart(title, _png(figure), summary)


def fight_frequency(fight_scores: pd.DataFrame, span: Span = None) -> Chart:
    """How often the client says fights happen, on the worksheet's own scale (frequent ones in orange)."""
    title = "How often fights happen"
    known = fight_scores.dropna(subset=["frequency_rank"]) if not fight_scores.empty else fight_scores
    if known.empty:
        return Chart(title, None, NO_DATA)
    options = getattr(WORKSHEETS[FIGHT].field("frequency"), "options", ()) if FIGHT in WORKSHEETS else ()
    figure, [ax] = _figure(height=2.8)
    times, ranks = _times(known), known["frequency_rank"].astype(int).tolist()
    ax.step(times, ranks, where="post", color=LINE, linewidth=1.5)
    frequent = known["frequency"].isin(FREQUENT).tolist()  # the worksheet's own red flag
    ax.scatter(times, ranks, c=[WARN if hot else ACCENT for hot in frequent], s=30, zorder=3)
    ax.set_yticks(range(len(options)), [option.label for option in options])
    ax.set_ylim(-0.4, max(len(options) - 0.6, 0.6))
    _pad_dates(ax, times, span)
    summary = f"Latest: {known.iloc[-1].frequency_label} ({_day(known.iloc[-1].completed_at)})."
    if len(ranks) > 1:
        summary += f" Weekly or more often in {sum(frequent)} of {len(ranks)}."
    return Chart(title, _png(figure), summary)


PRACTICE_ROWS = {
    "noticed": "Noticed it",
    "said_statements": "Used the plan",
    "came_back_on_time": "Back on time",
}


def practice(practice_log: pd.DataFrame, span: Span = None) -> Chart:
    """The anger plan's practice log: how the talk went (1–5), and which parts of the plan happened.

    Filled dots are yes, hollow ones no; a missing dot means it did not apply (no break was needed).
    """
    title = "Anger plan practice"
    if practice_log.empty or PRACTICE not in WORKSHEETS:
        return Chart(title, None, NO_DATA)
    figure, (talk, parts) = _figure(rows=2, height=3.6)
    times = _times(practice_log)
    rated = practice_log.dropna(subset=["talk_went"])
    talk.plot(
        _times(rated), rated["talk_went"].astype(int), color=ACCENT, marker="o", linewidth=2, markersize=4
    )
    talk.set_ylim(0.6, 5.4)
    talk.set_yticks(range(1, 6))
    talk.set_ylabel("talk went (1–5)", color=SOFT, fontsize=8)
    for row, column in enumerate(PRACTICE_ROWS):
        for when, value in zip(times, practice_log[column], strict=True):
            if pd.isna(value):
                continue
            filled = bool(value)
            parts.scatter(
                [when], [row], s=36, zorder=3, edgecolors=ACCENT, facecolors=ACCENT if filled else PAPER
            )
    parts.set_yticks(range(len(PRACTICE_ROWS)), list(PRACTICE_ROWS.values()))
    parts.set_ylim(len(PRACTICE_ROWS) - 0.5, -0.5)
    parts.grid(False)
    _pad_dates(parts, times, span)
    count = len(practice_log)
    used = int(practice_log["said_statements"].fillna(False).sum())
    breaks = practice_log["came_back_on_time"].dropna()
    summary = f"{_count(count, 'practice entry', 'practice entries')}; used the plan {_count(used, 'time')}"
    if len(breaks):
        summary += f"; back on time after {int(breaks.sum())} of {_count(len(breaks), 'break')}"
    if len(rated):
        recent = rated["talk_went"].tail(4).astype(float).mean()
        summary += f"; the talk went {rated['talk_went'].astype(float).mean():.1f} of 5 on average"
        summary += f" ({recent:.1f} over the last {min(4, len(rated))})"
    return Chart(title, _png(figure), summary + ".")


def beliefs(beliefs_frame: pd.DataFrame, span: Span = None) -> Chart:
    """How many of the "wanting them back" beliefs the client recognized in themselves, each time."""
    title = "Beliefs recognized"
    if beliefs_frame.empty or BELIEFS not in WORKSHEETS:
        return Chart(title, None, NO_DATA)
    out_of = int(beliefs_frame["out_of"].max())
    figure, [ax] = _figure()
    times, counts = _times(beliefs_frame), beliefs_frame["recognized"].astype(int).tolist()
    ax.bar(times, counts, width=4, color=ACCENT)
    ax.set_ylim(0, out_of + 0.3)
    ax.set_yticks(range(0, out_of + 1, 2 if out_of > 6 else 1))
    ax.set_ylabel(f"of {out_of}", color=SOFT, fontsize=8)
    _pad_dates(ax, times, span)
    latest = beliefs_frame.iloc[-1]
    summary = f"Latest: {counts[-1]} of {out_of} ({_day(latest.completed_at)})"
    summary += f"; first: {counts[0]} of {out_of}." if len(counts) > 1 else "."
    return Chart(title, _png(figure), summary)
