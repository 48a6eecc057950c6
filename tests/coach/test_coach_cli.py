"""The coach's commands: export, client delete, demo and dashboard; each a thin shell with help text."""

from __future__ import annotations

import os

import click
import pytest
from click.testing import CliRunner

from coachkit import config
from coachkit.cli import main
from coachkit.coach import demo as demo_module
from coachkit.coach import server as server_module
from coachkit.coach.server import coach_notebooks_dir
from coachkit.store import Store
from tests.coach.conftest import FIGHT, fight, fill

COACH_COMMANDS = [("export",), ("demo",), ("dashboard",), ("client", "delete")]


def command_at(path: tuple[str, ...]) -> click.Command:
    found: click.Command = main
    for word in path:
        assert isinstance(found, click.Group)
        found = found.commands[word]
    return found


@pytest.fixture
def database(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/cli.sqlite"


@pytest.fixture
def run(database):
    def invoke(*args: str, store: bool = True, input: str | None = None) -> click.testing.Result:
        words = [*args, "--database", database] if store else list(args)
        return CliRunner().invoke(main, words, input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def launched(monkeypatch):
    """Record the settings the server would start with, instead of starting it."""
    calls = []
    monkeypatch.setattr("coachkit.serve.launch", calls.append)
    return calls


@pytest.mark.parametrize("path", COACH_COMMANDS, ids=" ".join)
def test_every_coach_command_and_option_has_help(path):
    command = command_at(path)
    assert (command.help or "").strip()
    options = [param for param in command.params if isinstance(param, click.Option)]
    assert [option.name for option in options if not (option.help or "").strip()] == []
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert command.help.split("\n")[0].strip() in " ".join(result.output.split())


# -- export --------------------------------------------------------------------------------


def test_export_writes_everyone_in_every_format(run, database, tmp_path):
    store = Store(database)
    fill(store, store.add_client("Ann Lee"), FIGHT, fight())
    result = run("export", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    written = sorted((tmp_path / "out").iterdir())
    assert {path.suffix for path in written} == {".csv", ".xlsx", ".json"}
    assert all("everyone" in path.name for path in written)
    assert result.output.count(str(tmp_path / "out")) == len(written)


def test_export_one_client_in_one_format(run, database, tmp_path):
    store = Store(database)
    ann = store.add_client("Ann Lee")
    fill(store, ann, FIGHT, fight())
    result = run("export", str(tmp_path / "out"), "--client", ann.code.lower(), "--format", "json")
    assert result.exit_code == 0, result.output
    assert [
        path.name.endswith(".json") and "ann-lee" in path.name for path in (tmp_path / "out").iterdir()
    ] == [True]


def test_export_of_an_unknown_client_fails_plainly(run, tmp_path):
    result = run("export", str(tmp_path / "out"), "--client", "Nobody")
    assert result.exit_code == 1
    assert "no client named or coded 'Nobody'" in result.output


# -- client delete -------------------------------------------------------------------------


def test_client_delete_asks_for_the_name_and_deletes(run, database):
    store = Store(database)
    ann = store.add_client("Ann Lee")
    fill(store, ann, FIGHT, fight(been_hurt="yes"))
    result = run("client", "delete", "Ann Lee", input="Ann Lee\n")
    assert result.exit_code == 0, result.output
    assert "Deleted Ann Lee" in result.output
    assert store.find_clients() == []
    assert store.find_responses(ann.id) == []


def test_client_delete_keeps_the_client_when_the_name_does_not_match(run, database):
    Store(database).add_client("Ann Lee")
    result = run("client", "delete", "Ann Lee", input="y\n")
    assert result.exit_code == 1
    assert "nothing was deleted" in result.output
    assert len(Store(database).find_clients()) == 1


def test_client_delete_with_yes_does_not_ask(run, database):
    store = Store(database)
    store.add_client("Ann Lee")
    keep = store.add_client("Bob")
    result = run("client", "delete", "ann lee", "--yes")
    assert result.exit_code == 0, result.output
    assert store.find_clients() == [keep]


def test_client_delete_refuses_an_ambiguous_name(run, database):
    store = Store(database)
    store.add_client("Sam")
    store.add_client("Sam")
    result = run("client", "delete", "Sam", "--yes")
    assert result.exit_code == 1
    assert "use a code" in result.output
    assert len(store.find_clients()) == 2


# -- demo ----------------------------------------------------------------------------------


def test_demo_fills_a_store_of_its_own(run, database):
    result = run("demo", "--clients", "2", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "2 synthetic clients, seed 3" in result.output
    assert len(Store(database).find_clients()) == 2
    assert demo_module.is_demo_store(Store(database))


def test_demo_refuses_a_store_with_clients_unless_forced(run, database):
    Store(database).add_client("Ann Lee")
    refused = run("demo", "--clients", "1")
    assert refused.exit_code == 1
    assert "already has 1 clients" in refused.output
    assert len(Store(database).find_clients()) == 1
    assert run("demo", "--clients", "1", "--force").exit_code == 0
    assert len(Store(database).find_clients()) == 2


def test_demo_never_writes_to_the_configured_store(tmp_path, monkeypatch):
    real = f"sqlite:///{tmp_path}/real.sqlite"
    monkeypatch.setenv(config.DATABASE_URL_ENV, real)
    monkeypatch.setattr(demo_module, "default_demo_url", lambda: f"sqlite:///{tmp_path}/demo.sqlite")
    result = CliRunner().invoke(main, ["demo", "--clients", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert Store(real).find_clients() == []
    assert len(Store(f"sqlite:///{tmp_path}/demo.sqlite").find_clients()) == 1


# -- dashboard -----------------------------------------------------------------------------


def test_dashboard_serves_only_the_coach_notebooks_behind_a_token(run, launched, database):
    result = run("dashboard")
    assert result.exit_code == 0, result.output
    [settings] = launched
    assert settings.Voila.root_dir == str(coach_notebooks_dir())
    token = settings.Voila.token
    assert len(token) >= 32
    assert (settings.Voila.port, settings.Voila.ip) == (8867, "127.0.0.1")
    assert settings.CoachkitVoila.gate is False
    assert settings.VoilaConfiguration.show_tracebacks is False
    assert settings.MappingKernelManager.allow_tracebacks is False
    assert settings.SafeKernelManager.kernel_env[config.DATABASE_URL_ENV] == database
    assert f"http://127.0.0.1:8867/voila/render/dashboard.ipynb?token={token}" in result.output


def test_dashboard_takes_its_token_from_the_environment_only(run, launched, monkeypatch):
    monkeypatch.setenv(server_module.TOKEN_ENV, "s3cret")
    run("dashboard", "--port", "9100")
    assert server_module.TOKEN_ENV not in os.environ  # kernels never see it
    run("dashboard")
    run("dashboard")
    assert launched[0].Voila.token == "s3cret"
    assert launched[0].Voila.port == 9100
    assert len({call.Voila.token for call in launched[1:]}) == 2
    assert run("dashboard", "--token", "s3cret").exit_code == 2  # never on a command line


def test_dashboard_demo_serves_the_demo_store_and_makes_it_if_missing(launched, tmp_path, monkeypatch):
    demo_url = f"sqlite:///{tmp_path}/demo.sqlite"
    monkeypatch.setattr(demo_module, "default_demo_url", lambda: demo_url)
    result = CliRunner().invoke(main, ["dashboard", "--demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert launched[0].SafeKernelManager.kernel_env[config.DATABASE_URL_ENV] == demo_url
    assert len(Store(demo_url).find_clients()) == demo_module.DEFAULT_CLIENTS


def test_the_client_server_never_serves_the_coach_notebooks():
    assert (coach_notebooks_dir() / "dashboard.ipynb").is_file()
    assert not (config.workbooks_dir() / "dashboard.ipynb").exists()
    assert config.workbooks_dir() not in coach_notebooks_dir().parents
    assert coach_notebooks_dir() not in config.workbooks_dir().parents
