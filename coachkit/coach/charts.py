"""The coach's charts: per-worksheet results over time as PNG images, each with a plain-text summary.

Built with matplotlib's object-oriented API on the Agg canvas (no pyplot, no GUI, no global state),
so they render the same in a Voila kernel, JupyterLab or a test. One kind of chart per kind of measure a
worksheet file declares; each takes the measure's frame from ``coachkit.coach.scores`` and returns a
``Chart``; with no data its ``png`` is ``None``. No client's own words are ever drawn (matplotlib would
read ``$…$`` in them as mathematics).

Example::

    for sheet, measure, frame in scores.all_measures(tidy):
        chart = charts.measure_chart(sheet, measure, frame)
        Path(f"{measure.id}.png").write_bytes(chart.png)
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from coachkit.worksheet import Worksheet
from coachkit.worksheet.measures import Measure

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
    # One point, or points on one day, would give a zero-width axis: widen it into the past. The axis
    # ends with the last point's day, so no chart shows dates that have not come yet.
    margin = max((high - low) * 0.05, dt.timedelta(days=3))
    end_of_day = dt.datetime.combine(high.date(), dt.time.max, high.tzinfo)
    ax.set_xlim(low - margin, min(high + margin, end_of_day))


def count_chart(frame: pd.DataFrame, measure: Measure, span: Span = None) -> Chart:
    """A whole number from 0 to ``out_of`` each time (e.g. how many of five said yes)."""
    known = frame.dropna(subset=["value"])
    if known.empty:
        return Chart(measure.title, None, NO_DATA)
    out_of = measure.out_of or int(known["value"].max())
    figure, [ax] = _figure()
    times, values = _times(known), known["value"].astype(int).tolist()
    ax.plot(times, values, color=ACCENT, marker="o", linewidth=2, markersize=5)
    ax.set_ylim(-0.3, out_of + 0.3)
    ax.set_yticks(range(0, out_of + 1, 2 if out_of > 6 else 1))
    ax.set_ylabel(f"of {out_of}", color=SOFT, fontsize=8)
    _pad_dates(ax, times, span)
    first, last = known.iloc[0], known.iloc[-1]
    summary = f"{_count(len(values), 'time')}. Latest: {values[-1]} of {out_of} ({_day(last.completed_at)})"
    if len(values) > 1:
        summary += f"; first: {values[0]} of {out_of} ({_day(first.completed_at)})"
    return Chart(measure.title, _png(figure), summary + ".")


def scale_chart(frame: pd.DataFrame, measure: Measure, options: list[str], span: Span = None) -> Chart:
    """A choice placed on its own options, in order; highlighted answers in orange."""
    known = frame.dropna(subset=["rank"])
    if known.empty:
        return Chart(measure.title, None, NO_DATA)
    figure, [ax] = _figure(height=2.8)
    times, ranks = _times(known), known["rank"].astype(int).tolist()
    ax.step(times, ranks, where="post", color=LINE, linewidth=1.5)
    marked = known["highlight"].astype(bool).tolist()
    ax.scatter(times, ranks, c=[WARN if hot else ACCENT for hot in marked], s=30, zorder=3)
    ax.set_yticks(range(len(options)), options)
    ax.set_ylim(-0.4, max(len(options) - 0.6, 0.6))
    _pad_dates(ax, times, span)
    summary = f"Latest: {known.iloc[-1].label} ({_day(known.iloc[-1].completed_at)})."
    if len(ranks) > 1 and measure.highlight_label:
        summary += f" {measure.highlight_label} in {sum(marked)} of {len(ranks)}."
    return Chart(measure.title, _png(figure), summary)


def rating_chart(frame: pd.DataFrame, measure: Measure, low: int, high: int, span: Span = None) -> Chart:
    """A rating on its own scale each time, with the average in words."""
    rated = frame.dropna(subset=["value"])
    if rated.empty:
        return Chart(measure.title, None, NO_DATA)
    figure, [ax] = _figure()
    times, values = _times(rated), rated["value"].astype(int).tolist()
    ax.plot(times, values, color=ACCENT, marker="o", linewidth=2, markersize=4)
    ax.set_ylim(low - 0.4, high + 0.4)
    ax.set_yticks(range(low, high + 1))
    _pad_dates(ax, times, span)
    average, recent = sum(values) / len(values), values[-4:]
    summary = f"{_count(len(values), 'rating')}; {average:.1f} of {high} on average"
    if len(values) > len(recent):
        summary += f" ({sum(recent) / len(recent):.1f} over the last {len(recent)})"
    return Chart(
        measure.title, _png(figure), f"{summary}. Latest: {values[-1]} ({_day(rated.iloc[-1].completed_at)})."
    )


def checks_chart(frame: pd.DataFrame, measure: Measure, span: Span = None) -> Chart:
    """Rows of dots, one row per check: filled yes, hollow no, none where it did not apply."""
    labels = [label for label, _ in measure.checks]
    if frame.empty or frame[labels].isna().all().all():
        return Chart(measure.title, None, NO_DATA)
    figure, [ax] = _figure(height=1.2 + 0.45 * len(labels))
    times = _times(frame)
    for row, label in enumerate(labels):
        for when, value in zip(times, frame[label], strict=True):
            if pd.isna(value):
                continue
            ax.scatter(
                [when], [row], s=36, zorder=3, edgecolors=ACCENT, facecolors=ACCENT if value else PAPER
            )
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.grid(False)
    _pad_dates(ax, times, span)
    parts = []
    for label in labels:
        given = frame[label].dropna()
        parts.append(f"{label}: yes {int(given.sum())} of {len(given)}")
    return Chart(measure.title, _png(figure), "; ".join(parts) + ".")


def measure_chart(sheet: Worksheet, measure: Measure, frame: pd.DataFrame, span: Span = None) -> Chart:
    """The chart a worksheet's measure asks for (``Measure.kind``)."""
    if measure.kind == "count":
        return count_chart(frame, measure, span)
    if measure.kind == "checks":
        return checks_chart(frame, measure, span)
    item = sheet.field(measure.field_id)
    if measure.kind == "scale":
        return scale_chart(frame, measure, [option.label for option in getattr(item, "options", ())], span)
    return rating_chart(frame, measure, getattr(item, "low", 1), getattr(item, "high", 5), span)


PAIR_COLOURS = (ACCENT, WARN)


def pair_chart(sheet: Worksheet, measure: Measure, series: dict[str, pd.DataFrame]) -> Chart:
    """Two partners' numbers for one measure, a line each (a scale drawn by the rank of its options)."""
    column = "rank" if measure.kind == "scale" else "value"
    figure, [ax] = _figure()
    summaries, all_times = [], []
    for (name, frame), colour in zip(series.items(), PAIR_COLOURS, strict=False):
        known = frame.dropna(subset=[column])
        if known.empty:
            continue
        times, values = _times(known), known[column].astype(int).tolist()
        all_times += times
        label = name.replace("$", "")  # matplotlib would read $…$ as mathematics
        ax.plot(times, values, color=colour, marker="o", linewidth=2, markersize=4, label=label)
        summaries.append(f"{name}: latest {values[-1]} ({_day(known.iloc[-1].completed_at)})")
    if not all_times:
        return Chart(measure.title, None, NO_DATA)
    if measure.kind == "scale":
        options = [option.label for option in getattr(sheet.field(measure.field_id), "options", ())]
        ax.set_yticks(range(len(options)), options)
    ax.legend(fontsize=8, frameon=False)
    _pad_dates(ax, all_times, None)
    return Chart(measure.title, _png(figure), "; ".join(summaries) + ".")
