"""Homework on the coach's side: where each occurrence stands, each client's figures, who has gone quiet
(risk first), the exports' tables, and assigning from the dashboard in-process."""

from __future__ import annotations

import datetime as dt
import json

import ipywidgets as w
import pytest

from coachkit.attempt import Attempt
from coachkit.coach import exports, frames
from coachkit.coach.dashboard import Dashboard
from coachkit.coach.homework_panel import HomeworkPanel
from coachkit.exercises import get_worksheet
from coachkit.homework.assigning import assign_programme, assign_worksheet
from tests.coach.conftest import HOSTILE

START = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)  # a Monday
FIGHT = get_worksheet("fight-or-make-it-right")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(store) -> Clock:
    found = Clock()
    store.now = found
    return found


@pytest.fixture
def three(store, clock):
    """Ann did the first of her programme on time; Bo never started; Cy said she was hurt, and went quiet."""
    ann, bo, cy = (store.add_client(name) for name in ("Ann", "Bo", "Cy"))
    assign_programme(store, ann, "after-a-fight", by="ana, test")
    assign_worksheet(store, bo, FIGHT.id, by="ana, test", due_on=dt.date(2026, 3, 24))
    Attempt.start(store, FIGHT, ann).complete({}, 0)
    hurt = Attempt.start(store, FIGHT, cy)
    hurt.save_step(0, {"been_hurt": "yes", "hurt_partner": "no", "safe_contact": "wait"}, 1)
    assign_worksheet(store, cy, "my-anger-plan", by="ana, test", due_on=dt.date(2026, 3, 24), note=HOSTILE)
    clock.now = START + dt.timedelta(days=13)  # Sunday 5 April
    return ann, bo, cy


def test_each_occurrence_stands_on_the_clients_own_today(store, three):
    found = frames.assignments(store)
    ann = found[found["client"] == "Ann"]
    assert ann["state"].tolist() == ["done", "overdue", "open", "upcoming", "upcoming", "upcoming"]
    assert ann["due_on"].tolist()[:3] == [dt.date(2026, 3, 25), dt.date(2026, 3, 29), dt.date(2026, 4, 5)]
    assert set(found["assigned_by"]) == {"ana, test"}


def test_figures_and_the_quiet_list_put_risk_first(store, three):
    table = frames.homework_figures(store).set_index("client")
    assert table.loc["Ann", ["assigned", "done_on_time", "overdue", "open"]].tolist() == [3, 1, 1, 1]
    assert table.loc["Bo", "days_quiet"] == 13 and table.loc["Bo", "quiet"]
    quiet = frames.gone_quiet(store)
    assert quiet["client"].tolist() == ["Cy", "Ann", "Bo"]  # Cy's danger flag first, then the quietest
    assert frames.gone_quiet(store, quiet_days=14).empty
    store.set_setting("quiet_days", "30")
    assert frames.gone_quiet(store).empty


def test_exports_hold_the_homework_and_its_figures(store, three):
    files = exports.export_files(store, formats=("json",))
    tables = json.loads(next(iter(files.values())))["tables"]
    assert {row["state"] for row in tables["homework"]} >= {"done", "overdue", "open", "upcoming"}
    assert [row["client"] for row in tables["homework_figures"]] == ["Cy", "Ann", "Bo"]
    bo = next(client for client in store.find_clients() if client.name == "Bo")
    one = exports.tables(store, bo.id)
    assert one["homework_figures"]["client"].tolist() == ["Bo"]


def buttons(widget: w.Widget) -> list[w.Button]:
    found = [widget] if isinstance(widget, w.Button) else []
    for child in getattr(widget, "children", ()):
        found += buttons(child)
    return found


def test_the_dashboard_assigns_a_programme_says_no_plainly_and_unassigns(store, clock):
    sam = store.add_client("Sam")
    changed = []
    panel = HomeworkPanel(store, sam, lambda: changed.append(1), lambda message: None)
    panel.what.value = "programme:after-a-fight"
    next(b for b in buttons(panel.view) if b.description == "Assign").click()
    assert len(store.find_assignments(sam.id)) == 3 and changed
    assert "Assigned 3 worksheets to Sam." in panel.message.value
    panel.what.value = f"worksheet:{FIGHT.id}"
    panel.due.value = dt.date(2026, 3, 1)
    next(b for b in buttons(panel.view) if b.description == "Assign").click()
    assert "Not assigned: the due date 2026-03-01 has passed" in panel.message.value
    assert len(store.find_assignments(sam.id)) == 3
    next(b for b in buttons(panel.view) if b.description == "Unassign").click()
    assert len(store.find_assignments(sam.id)) == 2
    [ended] = [a for a in store.find_assignments(sam.id, ended=True) if a.ended_at]
    assert ended.ended_by.endswith("dashboard")


def test_the_dashboard_shows_homework_and_the_quiet_list_escaped(store, three):
    board = Dashboard(store, now=store.now)
    assert "Gone quiet" in board.homework.value and "check in first" in board.homework.value
    cy = next(client for client in store.find_clients() if client.name == "Cy")
    board.pick(cy.id)
    html = "".join(child.value for child in _all(board.client_view) if isinstance(child, w.HTML))
    assert "overdue since" in html and HOSTILE not in html


def _all(widget: w.Widget) -> list[w.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += _all(child)
    return found
