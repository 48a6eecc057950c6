"""The dashboard's server: the coach notebooks only, on loopback, no code gate, always with a token."""

from __future__ import annotations

import os

from coachkit.coach import server
from coachkit.serve import voila_config


def test_dashboard_options_serve_the_coach_folder_on_loopback_with_a_fresh_token():
    first, second = server.dashboard_options(), server.dashboard_options()
    assert first.root == server.coach_notebooks_dir()
    assert (first.ip, first.port) == ("127.0.0.1", 8867)
    assert len(first.token) >= 32
    assert first.token != second.token
    assert first.gate is False


def test_a_given_token_is_kept():
    assert server.dashboard_options(9000, "mine").token == "mine"


def test_the_token_can_come_from_the_environment_and_leaves_it(monkeypatch):
    monkeypatch.setenv(server.TOKEN_ENV, "from-env")
    assert server.dashboard_options().token == "from-env"
    assert server.TOKEN_ENV not in os.environ


def test_the_dashboard_url_carries_the_token():
    options = server.dashboard_options(9000, "a b")
    assert server.dashboard_url(options) == "http://127.0.0.1:9000/voila/render/dashboard.ipynb?token=a+b"


def test_the_dashboard_gets_the_same_safety_settings_as_the_client_server():
    settings = voila_config(server.dashboard_options(token="t"), "sqlite:////tmp/x.sqlite")
    assert settings.VoilaConfiguration.show_tracebacks is False
    assert settings.MappingKernelManager.allow_tracebacks is False
    assert settings.Voila.token == "t"
    assert settings.Voila.ip == "127.0.0.1"
