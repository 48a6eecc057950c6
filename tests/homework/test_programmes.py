"""Programme files: read as untrusted input, checked like worksheets, each problem with its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachkit.cli import main
from coachkit.exercises import all_worksheets
from coachkit.exercises.programmes import BUILT_IN, load_programme, read_programmes
from coachkit.worksheet.loader import WorksheetFileError

GOOD = """programme: two-weeks
title: Two weeks
items:
  - worksheet: fight-or-make-it-right
    due_in_days: 2
  - worksheet: anger-plan-practice
    after: fight-or-make-it-right
    start_in_days: 1
    every_days: 7
    times: 2
"""


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    folder = tmp_path / "programmes"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(WorksheetFileError) as caught:
        load_programme(write(tmp_path, text), all_worksheets())
    return str(caught.value)


def test_the_built_in_programme_schedules_each_worksheet_after_the_one_before():
    programme = read_programmes(all_worksheets())["after-a-fight"]
    items = programme.schedule(dt.date(2026, 3, 23))
    assert [(i["worksheet_id"], i["starts_on"], i["due_on"]) for i in items] == [
        ("fight-or-make-it-right", dt.date(2026, 3, 23), dt.date(2026, 3, 25)),
        ("my-anger-plan", dt.date(2026, 3, 26), dt.date(2026, 3, 29)),
        ("anger-plan-practice", dt.date(2026, 3, 30), None),
    ]
    assert items[2]["every_days"] == 7 and items[2]["times"] == 4


def test_a_cycle_is_named_with_its_items(tmp_path):
    text = GOOD.replace("    due_in_days: 2\n", "    due_in_days: 2\n    after: anger-plan-practice\n")
    found = problems(tmp_path, text)
    assert (
        "in a circle" in found
        and "fight-or-make-it-right → anger-plan-practice → fight-or-make-it-right" in found
    )


def test_an_unknown_worksheet_names_the_line_and_the_known_ones(tmp_path):
    found = problems(tmp_path, GOOD.replace("worksheet: anger-plan-practice", "worksheet: anger-diary"))
    assert "p.yaml:6: item 2: no worksheet 'anger-diary'; known: " in found and "my-anger-plan" in found


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("times: 2", "times: 400"), "`times:` is a whole number from 1 to 52"),
        (("    times: 2\n", ""), "`every_days:` and `times:` go together"),
        (("after: fight-or-make-it-right", "after: nothing"), "`after: nothing`, and no item has that id"),
        (("title: Two weeks", "titel: Two weeks"), "unknown key; a programme has"),
        (("programme: two-weeks", "programme: Two Weeks"), "a programme file starts with `programme: ID`"),
        (("    every_days: 7\n", "    every_days: 7\n    due_in_days: 3\n"), "leave out `due_in_days`"),
    ],
)
def test_each_mistake_is_said_plainly(tmp_path, change, said):
    assert said in problems(tmp_path, GOOD.replace(*change))


def test_a_billion_laughs_is_refused_before_anything_is_built(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]" for i in range(1, 9)]
    assert "aliases" in problems(tmp_path, "\n".join(lines) + "\n")


def test_worksheet_check_reads_programme_files_and_refuses_broken_ones(tmp_path):
    runner = CliRunner()
    good = runner.invoke(main, ["worksheet", "check", str(BUILT_IN / "after-a-fight.yaml")])
    assert good.exit_code == 0 and "fine (programme 'after-a-fight': 3 worksheets)" in good.output
    broken = write(tmp_path, GOOD.replace("fight-or-make-it-right\n    due", "no-such-sheet\n    due"))
    result = runner.invoke(main, ["worksheet", "check", str(broken)])
    assert result.exit_code == 1 and "no worksheet 'no-such-sheet'" in result.output
