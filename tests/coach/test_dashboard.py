"""The dashboard, rendered in-process: pick a client, read it, export, delete after typing the name."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import re
import subprocess
import sys
from html import escape

import ipywidgets as w
import pandas as pd
import pytest
from sqlalchemy import func, select

from coachkit import config
from coachkit.coach import dashboard as dashboard_module
from coachkit.coach.actions import same_name
from coachkit.coach.dashboard import Dashboard, open_dashboard
from coachkit.store import tables
from tests.coach.conftest import FIGHT, FORMULA, HOSTILE, fight, fill

NOW = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


@pytest.fixture
def board(store, ann):
    bob = store.add_client(HOSTILE)
    fill(store, ann, FIGHT, fight(self_check=3, frequency="daily"))
    unsafe = fight(self_check=1, been_hurt="yes", safe_contact="some", contact_how="Only by text, mornings")
    fill(store, ann, FIGHT, {**unsafe, "recent_fight": FORMULA})
    fill(store, bob, FIGHT, fight(recent_fight=HOSTILE))
    return Dashboard(store, now=lambda: NOW)


def text(board: Dashboard) -> str:
    return board._repr_mimebundle_()["text/plain"]


def page_html(board: Dashboard) -> str:
    """Every HTML widget's content under the client view."""
    found = []

    def walk(widget: w.Widget) -> None:
        if isinstance(widget, w.HTML):
            found.append(widget.value)
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(board.client_view)
    return "".join(found)


def count_rows(store, table) -> int:
    with store.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_it_opens_on_the_client_list_with_nobody_picked(board):
    assert text(board) == "Coach dashboard · 2 clients · no client picked"
    labels = [label for label, _ in board.picker.options]
    assert labels[0] == "Pick a client…"
    assert "Ann Lee · check in first" in labels
    assert "Ann Lee" in board.table.value
    assert board.client_view.children == ()


def test_picking_a_client_shows_safety_first_then_charts_plan_and_timeline(board, ann):
    board.picker.value = ann.id
    assert text(board) == "Coach dashboard · 2 clients · showing Ann Lee"
    html = page_html(board)
    order = [
        html.index(part)
        for part in ("<h2>Ann Lee</h2>", "<h2>Check in first</h2>", "Over time", "My anger plan card")
    ]
    assert order == sorted(order)
    assert html.index("Safe to contact:") < html.index("<h2>Check in first</h2>")
    assert "“Only by text, mornings”" in html
    assert html.count('<img src="data:image/png;base64,') == 2  # the fight's two measures; nothing else done
    assert "No data yet." not in html
    assert "No “My anger plan” yet." in html
    assert html.count('<details class="ck-entry"') == 2


def test_everything_a_client_typed_is_escaped(board, store):
    hostile = next(client for client in store.find_clients() if client.name == HOSTILE)
    board.pick(hostile.id)
    html = page_html(board) + board.table.value
    assert "<script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_the_export_button_prepares_downloads_with_safe_cells(board, ann):
    board.pick(ann.id)
    export = board.export_box
    export.button.click()
    links = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', export.links.value))
    assert any(name.endswith(".xlsx") for name in links)
    answers_csv = next(content for name, content in links.items() if name.endswith("-answers.csv"))
    frame = pd.read_csv(io.BytesIO(base64.b64decode(answers_csv)), encoding="utf-8-sig", dtype=str)
    assert set(frame["client"]) == {"Ann Lee"}
    assert "'" + FORMULA in set(frame["value"])


def test_exporting_everyone_holds_every_client(board):
    everyone = board.everyone
    everyone.button.click()
    assert "coachkit-everyone-" in everyone.links.value


def test_deleting_needs_the_name_typed_and_then_removes_everything(board, store, ann):
    board.pick(ann.id)
    delete = board.delete_box
    assert delete.button.disabled
    delete.confirm.value = "ann lee"
    assert delete.button.disabled
    delete.confirm.value = " Ann   Lee "
    assert not delete.button.disabled
    delete.button.click()
    assert "Deleted Ann Lee" in board.message.value
    assert text(board) == "Coach dashboard · 1 client · no client picked"
    assert [client.name for client in store.find_clients()] == [HOSTILE]
    assert store.find_responses(ann.id) == []
    assert count_rows(store, tables.responses) == 1
    assert count_rows(store, tables.response_flags) == 0


def test_deleting_rechecks_the_name_on_the_server(board, store, ann):
    board.pick(ann.id)
    delete = board.delete_box
    delete.confirm.value = "someone else"
    delete.delete()  # as if a forged click arrived with the button disabled
    assert len(store.find_clients()) == 2


def test_same_name():
    assert same_name("  Ann  Lee ", "Ann Lee")
    assert not same_name("Ann", "Ann Lee")


def test_refresh_keeps_the_picked_client_and_sees_new_answers(board, store, ann):
    board.pick(ann.id)
    fill(store, ann, FIGHT, fight())
    board.refresh()
    assert board.picker.value == ann.id
    assert page_html(board).count('<details class="ck-entry"') == 3


def test_a_failure_shows_a_plain_message_and_changes_nothing(board, ann, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(dashboard_module.frames, "answers", broken)
    board.picker.value = ann.id
    assert board.message.value and "secret detail" not in board.message.value
    assert escape(dashboard_module.SOMETHING_WENT_WRONG) in board.message.value


def test_a_broken_worksheet_file_is_named_instead_of_a_traceback(tmp_path):
    own = tmp_path / "worksheets"
    own.mkdir()
    (own / "mine.yaml").write_text("id: mine\ntitle: <b>Mine</b>\nsteps: [", encoding="utf-8")
    opening = (  # a fresh process, as the dashboard notebook's kernel: the coach's modules not yet loaded
        "from coachkit.coach.opening import open_dashboard\n"
        f"print(open_dashboard({f'sqlite:///{tmp_path}/store.sqlite'!r}).value)"
    )
    env = {**os.environ, config.WORKSHEETS_ENV: str(own)}
    shown = subprocess.run(
        [sys.executable, "-c", opening], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "A worksheet file needs fixing" in shown and f"{escape(str(own / 'mine.yaml'))}:" in shown
    assert "<b>" not in shown  # whatever the file says is escaped


def test_open_dashboard_shows_demo_data_on_an_empty_store(tmp_path):
    opened = open_dashboard(f"sqlite:///{tmp_path}/empty.sqlite")
    assert text(opened) == "Coach dashboard · 8 clients (demo data) · no client picked"
    assert "synthetic demo clients" in opened.view.children[1].value
