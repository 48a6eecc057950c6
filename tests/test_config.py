"""Where things live: what coachkit ships is in the package; what the coach makes is in their data
folder (the checkout's ``data/``, else platformdirs' user data folder), never the current folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coachkit import config
from coachkit.cli import main
from coachkit.coach.demo import default_demo_url
from coachkit.coach.server import coach_notebooks_dir
from coachkit.exercises import files
from coachkit.practice import description, hub, hubprocess

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def installed(tmp_path, monkeypatch) -> Path:
    """coachkit as if installed from a wheel (no checkout around it), with a data home of the test's own,
    run from a folder of its own; returns the data folder it must use."""
    monkeypatch.setattr(config, "PROJECT_ROOT", tmp_path / "site-packages")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.delenv(config.DATABASE_URL_ENV, raising=False)
    monkeypatch.delenv(config.WORKSHEETS_ENV, raising=False)
    monkeypatch.delenv(description.PRACTICE_ENV, raising=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return tmp_path / "share" / "coachkit"


def test_from_the_checkout_the_coachs_files_are_in_its_data_folder(monkeypatch):
    monkeypatch.delenv(config.WORKSHEETS_ENV, raising=False)
    assert config.checkout() == ROOT
    assert config.data_dir() == ROOT / "data"
    assert config.default_database_url() == f"sqlite:///{ROOT / 'data' / 'coachkit.sqlite'}"
    assert config.own_worksheets_dir() == ROOT / "worksheets"  # beside data/, as before: kept in git


def test_installed_every_file_the_coach_makes_is_in_their_data_folder(installed):
    assert config.checkout() is None
    assert config.data_dir() == installed
    assert config.database_url() == f"sqlite:///{installed / 'coachkit.sqlite'}"
    assert config.log_dir() == installed / "logs"
    assert config.log_dir("postgresql+psycopg://ana@/coachkit_ana") == installed / "logs"
    assert config.backups_dir() == installed / "backups"
    assert config.exports_dir() == installed / "exports"
    assert files.own_folder() == installed / "worksheets"
    assert default_demo_url() == f"sqlite:///{installed / 'demo.sqlite'}"
    assert description.default_file() == installed / "practice" / "practice.toml"
    assert description.default_state_dir() == installed / "practice"


def test_installed_the_environment_still_names_the_store_and_the_worksheets(installed, tmp_path, monkeypatch):
    monkeypatch.setenv(config.DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'chosen.sqlite'}")
    monkeypatch.setenv(config.WORKSHEETS_ENV, str(tmp_path / "mine"))
    assert config.database_url() == f"sqlite:///{tmp_path / 'chosen.sqlite'}"
    assert config.log_dir(config.database_url()) == tmp_path / "logs"
    assert files.own_folder() == tmp_path / "mine"


def test_coachkit_paths_says_where_everything_is(installed):
    result = CliRunner().invoke(main, ["paths"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Data folder: {installed}",
        f"Store: sqlite:///{installed / 'coachkit.sqlite'}",
        f"Server logs: {installed / 'logs'}",
        f"Backups: {installed / 'backups'}",
        f"Exports: {installed / 'exports'}",
        f"Your own worksheets: {installed / 'worksheets'}",
    ]


def test_coachkit_commands_write_nothing_in_the_current_folder(installed, tmp_path):
    run = CliRunner().invoke
    assert run(main, ["client", "add", "Sam"], catch_exceptions=False).exit_code == 0
    assert run(main, ["backup"], catch_exceptions=False).exit_code == 0
    assert run(main, ["export", "--format", "json"], catch_exceptions=False).exit_code == 0
    assert (
        run(main, ["worksheet", "new", "weekly", "--title", "Weekly"], catch_exceptions=False).exit_code == 0
    )
    assert list(Path.cwd().iterdir()) == []
    assert (installed / "coachkit.sqlite").is_file()
    assert [path.parent for path in (installed / "backups").iterdir()] == [installed / "backups"]
    assert list((installed / "exports").glob("*.json")) != []
    assert (installed / "worksheets" / "weekly.yaml").is_file()


def test_what_coachkit_ships_is_in_the_package():
    shipped = {
        config.workbooks_dir() / "worksheet.ipynb",
        coach_notebooks_dir() / "dashboard.ipynb",
        coach_notebooks_dir() / "analysis.ipynb",
        description.example_file(),
        hub.server_config_file(),
        hubprocess.config_file(),
    }
    for path in shipped:
        assert path.is_file(), path
        assert config.PACKAGE_DIR in path.parents, path
