"""What the repository may hold: no client data, and the coach's notebooks without outputs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA_SUFFIXES = (".sqlite", ".sqlite3", ".sqlite-wal", ".sqlite-shm", ".db", ".dump", ".csv", ".xlsx", ".pdf")


def tracked(*patterns: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", *patterns], cwd=ROOT, capture_output=True, check=True
    ).stdout
    return [ROOT / name for name in listed.decode().split("\0") if name]


COACH_NOTEBOOKS = "coachkit/coach/notebooks/*.ipynb"


def test_the_coach_has_notebooks_in_git():
    assert {path.name for path in tracked(COACH_NOTEBOOKS)} >= {"analysis.ipynb", "dashboard.ipynb"}


@pytest.mark.parametrize("path", tracked(COACH_NOTEBOOKS), ids=lambda path: path.name)
def test_the_coachs_notebooks_keep_no_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    kept = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert kept == [], f"{path.name}: run `make notebooks` (or nbstripout) to strip cells {kept}"
    assert "widgets" not in notebook.metadata


def test_no_client_data_is_tracked():
    in_data = [path.name for path in tracked("data") if path.name != "README.md"]
    stores = [str(path.relative_to(ROOT)) for path in tracked() if path.name.endswith(DATA_SUFFIXES)]
    assert in_data == []
    assert stores == []
