"""pandas and matplotlib stay on the coach's side: a client's worksheet never loads them."""

from __future__ import annotations

import subprocess
import sys

import pytest

COACH_ONLY = ("pandas", "matplotlib", "openpyxl")


def loaded_after(statement: str) -> set[str]:
    """Which of the coach's libraries a fresh interpreter has loaded after ``statement``."""
    code = f"{statement}\nimport sys\nprint(' '.join(m for m in {COACH_ONLY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize(
    "statement",
    [
        "import coachkit.ui",
        "from coachkit.ui import open_worksheet",
        "import coachkit.worksheet, coachkit.exercises, coachkit.store, coachkit.attempt",
        "import coachkit.cli",  # ``coachkit serve`` starts here, and must work without the coach extra
    ],
)
def test_the_client_path_never_imports_the_coach_libraries(statement):
    assert loaded_after(statement) == set()


def test_the_coach_path_does():
    assert loaded_after("import coachkit.coach.dashboard") >= {"pandas", "matplotlib"}


def modules_after(statement: str, prefixes: tuple[str, ...]) -> set[str]:
    """Which modules starting with ``prefixes`` a fresh interpreter has loaded after ``statement``."""
    code = f"{statement}\nimport sys\nprint(' '.join(m for m in sys.modules if m.startswith({prefixes!r})))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize("statement", ["import coachkit.coach.dashboard", "import coachkit.cli"])
def test_the_coach_side_and_the_command_never_load_the_clients_page(statement):
    assert modules_after(statement, ("coachkit.ui",)) == set()


@pytest.mark.parametrize(
    "statement", ["import coachkit.store", "import coachkit.worksheet", "import coachkit.exercises"]
)
def test_the_store_and_the_worksheets_never_load_widgets(statement):
    assert modules_after(statement, ("ipywidgets", "coachkit.ui", "coachkit.widgets")) == set()


def test_the_server_paints_a_first_screen_without_widgets():
    loaded = modules_after("import coachkit.web.prepaint", ("ipywidgets", "coachkit.widgets", "coachkit.ui"))
    assert loaded == {"coachkit.ui", "coachkit.ui.markup", "coachkit.ui.screens"}


def test_a_clients_kernel_on_sqlite_never_loads_postgresqls_dialect():
    statement = "from coachkit.ui import open_client_page"
    assert modules_after(statement, ("sqlalchemy.dialects.postgresql",)) == set()
