"""Charts are PNGs with a summary in words, and say "No data yet." when there is nothing to plot."""

from __future__ import annotations

import datetime as dt

import pytest

from coachkit.coach import charts, frames, scores
from coachkit.exercises import WORKSHEETS
from tests.coach.conftest import FIGHT, fight, fill

PNG = b"\x89PNG\r\n\x1a\n"
PRACTICE, BELIEFS = "anger-plan-practice", "wanting-them-back"
EVERY_MEASURE = [(sheet.id, item.id) for sheet in WORKSHEETS.values() for item in sheet.measures]


@pytest.fixture
def tidy(store, ann):
    fill(store, ann, FIGHT, fight(self_check=4, frequency="daily"))
    fill(store, ann, FIGHT, fight(self_check=1, frequency="monthly"))
    entry = {"noticed": True, "said_statements": True, "came_back_on_time": "yes", "talk_went": 4}
    fill(store, ann, PRACTICE, entry)
    fill(store, ann, PRACTICE, {**entry, "came_back_on_time": "not_needed", "talk_went": 2})
    fill(store, ann, BELIEFS, {"relationship_length": "long_term", "beliefs": ["my_fault"]})
    return frames.answers(store)


def chart(tidy, sheet_id: str, measure_id: str, span: charts.Span = None) -> charts.Chart:
    sheet, item = scores.find_measure(sheet_id, measure_id)
    return charts.measure_chart(sheet, item, scores.measure(tidy, sheet_id, measure_id), span)


def test_count_chart(tidy):
    drawn = chart(tidy, FIGHT, "self_check")
    assert drawn.png.startswith(PNG)
    assert drawn.title == "Fight self-check: how many of 5 sounded familiar"
    assert "2 times. Latest: 1 of 5" in drawn.summary
    assert "first: 4 of 5" in drawn.summary


def test_scale_chart_counts_the_highlighted_answers(tidy):
    drawn = chart(tidy, FIGHT, "frequency")
    assert drawn.png.startswith(PNG)
    assert drawn.summary.startswith("Latest: About once a month")
    assert "Weekly or more often in 1 of 2." in drawn.summary


def test_checks_chart_counts_only_where_a_check_applied(tidy):
    drawn = chart(tidy, PRACTICE, "plan_parts")
    assert drawn.png.startswith(PNG)
    assert drawn.summary == "Noticed it: yes 2 of 2; Used the plan: yes 2 of 2; Back on time: yes 1 of 1."


def test_rating_chart_gives_the_average(tidy):
    drawn = chart(tidy, PRACTICE, "talk_went")
    assert drawn.png.startswith(PNG)
    assert drawn.summary.startswith("2 ratings; 3.0 of 5 on average. Latest: 2")


def test_a_count_out_of_the_options(tidy):
    drawn = chart(tidy, BELIEFS, "beliefs")
    assert drawn.png.startswith(PNG)
    assert drawn.summary.startswith("1 time. Latest: 1 of 8")


def test_one_point_and_a_span_still_draw(store, ann):
    fill(store, ann, FIGHT, fight(self_check=2))
    now = dt.datetime.now(dt.UTC)
    drawn = chart(frames.answers(store), FIGHT, "self_check", (now - dt.timedelta(days=90), now))
    assert drawn.png.startswith(PNG)
    assert drawn.summary.startswith("1 time. Latest: 2 of 5")


@pytest.mark.parametrize(("sheet_id", "measure_id"), EVERY_MEASURE)
def test_no_data_yet(store, sheet_id, measure_id):
    drawn = chart(frames.answers(store), sheet_id, measure_id)
    assert drawn.png is None
    assert drawn.summary == charts.NO_DATA


def test_a_one_point_chart_shows_no_day_after_its_point():
    from matplotlib.dates import num2date

    point = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    _, [ax] = charts._figure()
    charts._pad_dates(ax, [point], None)
    low, high = (num2date(value) for value in ax.get_xlim())
    assert high.date() == point.date()
    assert low <= point - dt.timedelta(days=3)
    ticks = [num2date(tick).date() for tick in ax.get_xticks() if low <= num2date(tick) <= high]
    assert ticks and max(ticks) <= point.date()
