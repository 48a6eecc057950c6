"""deploy/jupyterhub_config.py read as the Hub reads it: who may log in, what a coach may do, and what
each coach's server and service run, as whom, on which database."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from jupyterhub import orm
from jupyterhub.scopes import expand_scopes
from traitlets.config import Config, PyFileConfigLoader

from coachkit import config
from coachkit.practice import hub
from coachkit.practice.description import PRACTICE_ENV, example_file, load

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


def test_only_the_coaches_log_in_with_the_passwords_set_for_them_and_nobody_is_admin(hub_config):
    assert hub_config.JupyterHub.authenticator_class == "firstuseauthenticator.FirstUseAuthenticator"
    assert hub_config.FirstUseAuthenticator.create_users is False
    assert hub_config.Authenticator.allowed_users == {"ana", "ben"}
    assert hub_config.Authenticator.allow_existing_users is False
    assert hub_config.Authenticator.admin_users == set()


def test_a_coach_may_only_use_their_own_server_and_tokens(hub_config):
    (role,) = hub_config.JupyterHub.load_roles
    assert role["name"] == "user"
    ana = orm.User(name="ana")
    granted = expand_scopes(role["scopes"], owner=ana)
    assert granted <= expand_scopes(["self"], owner=ana)  # never more than JupyterHub's default
    assert all("!user=ana" in scope or "!server=ana" in scope for scope in granted), granted
    assert not any("shares" in scope for scope in granted)
    assert not any(scope.startswith(("access:services", "list:", "admin")) for scope in granted)


def test_each_coach_has_a_client_server_under_their_name_run_as_their_account(hub_config, practice_file):
    practice = load(practice_file)
    services = {service["name"]: service for service in hub_config.JupyterHub.services}
    assert set(services) == {"ana", "ben"}
    for name, service in services.items():
        coach = practice.coach(name)
        command = service["command"]
        assert service["user"] == name
        assert service["display"] is False
        assert command[:2] == [str(hub.runtime_bin() / "coachkit"), "serve"]
        assert command[command.index("--base-url") + 1] == f"/services/{name}/"
        assert "--behind-proxy" in command
        port = command[command.index("--port") + 1]
        assert service["url"] == f"http://127.0.0.1:{port}"
        assert service["environment"][config.DATABASE_URL_ENV] == practice.database_url(coach)
        assert service["environment"]["COACHKIT_LINKS_URL"] == practice.service_url(coach).rstrip("/")
        assert command[command.index("--log-dir") + 1].startswith(str(practice.home(coach)))
    assert services["ana"]["url"] != services["ben"]["url"]


def test_each_coachs_jupyterlab_opens_their_dashboard_on_their_own_store(hub_config, practice_file):
    practice = load(practice_file)
    assert hub_config.Spawner.default_url == "/voila/render/dashboard.ipynb"
    assert hub_config.Spawner.disable_user_config is True
    environment = hub_config.Spawner.environment
    for name in ("ana", "ben"):
        coach = practice.coach(name)
        assert environment[config.DATABASE_URL_ENV](spawner(name)) == practice.database_url(coach)
        assert environment["COACHKIT_LINKS_URL"](spawner(name)) == practice.service_url(coach).rstrip("/")


def test_a_hub_user_who_is_not_a_coach_gets_no_store(hub_config):
    with pytest.raises(ValueError, match="no coach called"):
        hub_config.Spawner.environment[config.DATABASE_URL_ENV](spawner("mallory"))
