"""The dashboard's Voila: the coach notebooks only, on loopback, always with a token."""

from __future__ import annotations

from coachkit.coach import server
from coachkit.serve import ServeOptions, voila_arguments, with_token


def test_dashboard_options_serve_the_coach_folder_on_loopback_with_a_fresh_token():
    first, second = server.dashboard_options(), server.dashboard_options()
    assert first.root == server.coach_notebooks_dir()
    assert (first.ip, first.port) == ("127.0.0.1", 8867)
    assert len(first.token) >= 32
    assert first.token != second.token


def test_a_given_token_is_kept():
    assert server.dashboard_options(9000, "mine").token == "mine"
    assert with_token(ServeOptions(root=server.coach_notebooks_dir(), token="kept")).token == "kept"


def test_the_dashboard_url_carries_the_token():
    options = server.dashboard_options(9000, "a b")
    assert server.dashboard_url(options) == "http://127.0.0.1:9000/voila/render/dashboard.ipynb?token=a+b"


def test_voila_gets_the_same_safety_settings_as_the_client_server():
    argv = voila_arguments(server.dashboard_options(token="t"))
    assert "--VoilaConfiguration.show_tracebacks=False" in argv
    assert "--MappingKernelManager.allow_tracebacks=False" in argv
    assert "--Voila.token=t" in argv
    assert "--Voila.ip=127.0.0.1" in argv
