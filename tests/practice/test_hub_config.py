"""deploy/jupyterhub_config.py read as the Hub reads it: who may log in, what a coach and the runner
may do, and what each coach's server runs, on which database and worksheets; what each coach's client
server runs, as whom; and the terminal of a coach's JupyterLab (deploy/jupyter_server_config.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from jupyterhub import orm
from jupyterhub.scopes import expand_scopes
from traitlets.config import Config, PyFileConfigLoader

from coachkit import config
from coachkit.practice import clientservers, hub
from coachkit.practice.description import PRACTICE_ENV, add_coach_to_file, example_file, load

DEPLOY = config.deploy_dir()


@pytest.fixture
def practice_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "practice.toml"
    text = example_file().read_text().replace("[paths]\n", f'[paths]\nstate = "{tmp_path / "state"}"\n')
    path.write_text(text)
    monkeypatch.setenv(PRACTICE_ENV, str(path))
    return path


@pytest.fixture
def hub_config(practice_file) -> Config:
    return PyFileConfigLoader("jupyterhub_config.py", str(DEPLOY)).load_config()


def spawner(name: str) -> SimpleNamespace:
    return SimpleNamespace(user=SimpleNamespace(name=name))


def test_the_hub_listens_on_the_practice_address_and_keeps_its_api_on_loopback(hub_config):
    assert hub_config.JupyterHub.bind_url == "http://localhost:8000"
    assert hub_config.JupyterHub.subdomain_host == "http://localhost:8000"
    assert hub_config.JupyterHub.hub_bind_url == "http://127.0.0.1:8081"
    assert hub_config.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:8001"


def test_the_hubs_files_are_in_the_practice_state_folder(hub_config, tmp_path):
    state = tmp_path / "state"
    assert hub_config.JupyterHub.db_url == f"sqlite:///{state / 'jupyterhub.sqlite'}"
    assert hub_config.JupyterHub.cookie_secret_file == str(state / "jupyterhub_cookie_secret")
    assert hub_config.FirstUseAuthenticator.dbm_path == str(state / "passwords.dbm")


def test_only_the_coaches_log_in_with_the_passwords_set_for_them_and_nobody_is_admin(
    hub_config, practice_file
):
    assert (
        hub_config.JupyterHub.authenticator_class == "coachkit.practice.authenticator.PracticeAuthenticator"
    )
    assert hub_config.PracticeAuthenticator.practice_file == str(practice_file)  # read at each login
    assert hub_config.FirstUseAuthenticator.create_users is False
    assert hub_config.Authenticator.allowed_users == {"ana", "ben"}
    assert hub_config.Authenticator.allow_existing_users is False
    assert hub_config.Authenticator.admin_users == set()


def test_a_coach_may_only_use_their_own_server_and_tokens(hub_config):
    role = next(role for role in hub_config.JupyterHub.load_roles if role["name"] == "user")
    ana = orm.User(name="ana")
    granted = expand_scopes(role["scopes"], owner=ana)
    assert granted <= expand_scopes(["self"], owner=ana)  # never more than JupyterHub's default
    assert all("!user=ana" in scope or "!server=ana" in scope for scope in granted), granted
    assert not any("shares" in scope for scope in granted)
    assert not any(scope.startswith(("access:services", "list:", "admin")) for scope in granted)


def test_the_runner_may_only_add_services_and_route_the_proxy_with_a_private_token(hub_config, tmp_path):
    role = next(role for role in hub_config.JupyterHub.load_roles if role["name"] == hub.RUNNER)
    assert role["services"] == [hub.RUNNER]
    granted = expand_scopes(role["scopes"])
    assert "proxy" in granted and "admin:services" in granted
    assert not any(
        scope.startswith(("admin:users", "admin:servers", "servers", "access:", "tokens", "users"))
        for scope in granted
    )
    (service,) = hub_config.JupyterHub.services  # no coach's client server: the runner adds those
    token = tmp_path / "state" / hub.RUNNER_TOKEN_FILE
    assert service == {"name": hub.RUNNER, "api_token": token.read_text(), "display": False}
    assert len(token.read_text()) == 64 and token.stat().st_mode & 0o777 == 0o600


def test_each_coach_has_a_client_server_under_their_name_run_as_their_account(practice_file):
    practice = load(practice_file)
    commands = {}
    for coach in practice.coaches:
        command = commands[coach.name] = clientservers.command(practice, coach, 8123)
        assert command[:2] == [str(hub.runtime_bin() / "coachkit"), "serve"]
        assert command[command.index("--base-url") + 1] == f"/services/{coach.name}/"
        assert command[command.index("--port") + 1] == "8123"
        assert "--behind-proxy" in command and "--leave-out-broken" in command
        assert command[command.index("--log-dir") + 1].startswith(str(practice.home(coach)))
        environment = clientservers.environment(practice, coach)
        assert environment[config.DATABASE_URL_ENV] == practice.database_url(coach)
        assert environment[config.WORKSHEETS_ENV] == str(practice.home(coach) / "worksheets")
        assert environment["COACHKIT_LINKS_URL"] == practice.service_url(coach).rstrip("/")  # reminders
        assert environment["HOME"] == str(practice.home(coach)) and environment["USER"] == coach.name


def test_each_coachs_jupyterlab_opens_their_dashboard_on_their_own_store_and_worksheets(
    hub_config, practice_file
):
    practice = load(practice_file)
    assert hub_config.Spawner.default_url == "/voila/render/dashboard.ipynb"
    assert hub_config.Spawner.disable_user_config is True
    environment = hub_config.Spawner.environment
    for name in ("ana", "ben"):
        coach = practice.coach(name)
        assert environment[config.DATABASE_URL_ENV](spawner(name)) == practice.database_url(coach)
        assert environment["COACHKIT_LINKS_URL"](spawner(name)) == practice.service_url(coach).rstrip("/")
        assert environment[config.WORKSHEETS_ENV](spawner(name)) == str(practice.home(coach) / "worksheets")


def test_a_coach_added_while_the_hub_runs_gets_their_own_store_without_a_restart(hub_config, practice_file):
    environment = hub_config.Spawner.environment
    with pytest.raises(ValueError, match="no coach called"):
        environment[config.DATABASE_URL_ENV](spawner("cleo"))
    add_coach_to_file(practice_file, "cleo")
    cleo = load(practice_file).coach("cleo")
    assert environment[config.DATABASE_URL_ENV](spawner("cleo")) == load(practice_file).database_url(cleo)


def test_a_hub_user_who_is_not_a_coach_gets_no_store(hub_config):
    with pytest.raises(ValueError, match="no coach called"):
        hub_config.Spawner.environment[config.DATABASE_URL_ENV](spawner("mallory"))


def test_a_coachs_terminal_is_a_login_shell_that_puts_this_installations_programs_first():
    server = PyFileConfigLoader("jupyter_server_config.py", str(DEPLOY)).load_config()
    shell = server.ServerApp.terminado_settings["shell_command"]
    assert shell[:3] == ["/bin/bash", "-l", "-c"]
    assert shell[3].startswith(f"PATH={hub.runtime_bin()}:") and shell[3].endswith("exec /bin/bash -i")
