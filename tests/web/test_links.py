"""Every worksheet has one page with the worksheet in its link; old links move there, no kernel needed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from coachkit.exercises import all_worksheets
from coachkit.links import worksheet_page
from coachkit.web.gate import moved_link, names_a_worksheet


@pytest.mark.parametrize("worksheet_id", list(all_worksheets()))
def test_every_worksheet_is_named_by_the_one_notebook(worksheet_id):
    page = worksheet_page(worksheet_id, "K7QD-M2XP-9FRA")
    path, query = page.split("?")
    assert path == "worksheet.ipynb"
    assert names_a_worksheet(path, parse_qs(query)["sheet"])


def test_an_old_link_moves_to_the_worksheets_page_keeping_everything_it_carried():
    moved = moved_link("my-anger-plan.ipynb", "client=K7QD-M2XP-9FRA&resume=1")
    path, query = urlsplit(moved).path, parse_qs(urlsplit(moved).query)
    assert path == "worksheet.ipynb"
    assert query == {"sheet": ["my-anger-plan"], "client": ["K7QD-M2XP-9FRA"], "resume": ["1"]}


@pytest.mark.parametrize(
    "path", ["worksheet.ipynb", "history.ipynb", "no-such-sheet.ipynb", "../my-anger-plan.ipynb", "x"]
)
def test_only_a_worksheets_own_old_name_moves(path):
    assert moved_link(path, "client=K7QD-M2XP-9FRA") == ""


@pytest.mark.parametrize("sheets", [[], ["nope"], ["my-anger-plan", "fight-or-make-it-right"], [""]])
def test_the_worksheets_page_needs_one_known_worksheet(sheets):
    assert not names_a_worksheet("worksheet.ipynb", sheets)


def test_other_pages_need_none():
    assert names_a_worksheet("history.ipynb", [])
