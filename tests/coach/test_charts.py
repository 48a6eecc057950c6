"""Charts are PNGs with a summary in words, and say "No data yet." when there is nothing to plot."""

from __future__ import annotations

import datetime as dt

import pytest

from coachkit.coach import charts, frames, scores
from coachkit.exercises import WORKSHEETS
from tests.coach.conftest import FIGHT, fight, fill

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def tidy(store, ann):
    fill(store, ann, FIGHT, fight(self_check=4, frequency="daily"))
    fill(store, ann, FIGHT, fight(self_check=1, frequency="monthly"))
    entry = {"noticed": True, "said_statements": True, "came_back_on_time": "yes", "talk_went": 4}
    fill(store, ann, scores.PRACTICE, entry)
    fill(store, ann, scores.PRACTICE, {**entry, "came_back_on_time": "not_needed", "talk_went": 2})
    fill(store, ann, scores.BELIEFS, {"relationship_length": "long_term", "beliefs": ["my_fault"]})
    return frames.answers(store)


def test_self_check_chart(tidy):
    chart = charts.self_check(scores.fight_scores(tidy))
    assert chart.png.startswith(PNG)
    assert "2 self-checks. Latest: 1 of 5" in chart.summary
    assert "first: 4 of 5" in chart.summary


def test_fight_frequency_chart(tidy):
    chart = charts.fight_frequency(scores.fight_scores(tidy))
    assert chart.png.startswith(PNG)
    assert chart.summary.startswith("Latest: About once a month")
    assert "Weekly or more often in 1 of 2." in chart.summary


def test_practice_chart(tidy):
    chart = charts.practice(scores.practice_log(tidy))
    assert chart.png.startswith(PNG)
    assert "2 practice entries; used the plan 2 times; back on time after 1 of 1 break" in chart.summary
    assert "3.0 of 5 on average" in chart.summary


def test_beliefs_chart(tidy):
    chart = charts.beliefs(scores.beliefs(tidy))
    assert chart.png.startswith(PNG)
    assert chart.summary == f"Latest: 1 of 8 ({charts._day(scores.beliefs(tidy).completed_at.iloc[0])})."


def test_one_point_and_a_span_still_draw(store, ann):
    fill(store, ann, FIGHT, fight(self_check=2))
    now = dt.datetime.now(dt.UTC)
    chart = charts.self_check(scores.fight_scores(frames.answers(store)), (now - dt.timedelta(days=90), now))
    assert chart.png.startswith(PNG)
    assert chart.summary.startswith("1 self-check. Latest: 2 of 5")


@pytest.mark.parametrize(
    ("draw", "score"),
    [
        (charts.self_check, scores.fight_scores),
        (charts.fight_frequency, scores.fight_scores),
        (charts.practice, scores.practice_log),
        (charts.beliefs, scores.beliefs),
    ],
)
def test_no_data_yet(store, draw, score):
    chart = draw(score(frames.answers(store)))
    assert chart.png is None
    assert chart.summary == charts.NO_DATA


def test_a_missing_worksheet_shows_no_data_yet(tidy, monkeypatch):
    practice = scores.practice_log(tidy)
    monkeypatch.delitem(WORKSHEETS, scores.PRACTICE)
    assert charts.practice(practice).png is None
