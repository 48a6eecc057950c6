"""The practice file: what it names, what it derives, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from jupyterhub.utils import subdomain_hook_idna

from coachkit import config
from coachkit.practice.description import (
    Coach,
    PracticeError,
    add_coach_to_file,
    check_name,
    example_file,
    load,
    parse,
)

MINIMAL = """
[hub]
url = "{url}"
{extra}
[postgres]
dir = "/srv/pg"

[[coaches]]
name = "ana"
"""


def practice(url: str = "http://localhost:8000", extra: str = ""):  # type: ignore[no-untyped-def]
    return parse(Path("/etc/coachkit/practice.toml"), MINIMAL.format(url=url, extra=extra))


def test_the_example_practice_has_two_demo_coaches_on_localhost():
    example = load(example_file())
    assert [(coach.name, coach.demo) for coach in example.coaches] == [("ana", True), ("ben", True)]
    assert example.url == "http://localhost:8000"
    assert example.subdomains is True
    assert example.postgres_socket == Path("/var/lib/coachkit-practice/postgres/socket")


def test_addresses_follow_the_hubs_own_subdomains():
    """The links coachkit prints must be where JupyterHub routes the coach's server and service."""
    found = practice()
    ana = found.coach("ana")
    service_host = subdomain_hook_idna("ana", "localhost", "service")
    user_host = subdomain_hook_idna("ana", "localhost", "user")
    assert found.service_url(ana) == f"http://{service_host}:8000/services/ana/"
    assert found.server_url(ana) == f"http://{user_host}:8000/user/ana/"
    assert found.dashboard_url(ana) == f"http://{user_host}:8000/user/ana/voila/render/dashboard.ipynb"
    assert found.login_url() == "http://localhost:8000/hub/login"


def test_without_subdomains_everything_is_under_the_hubs_address():
    found = practice(extra="subdomains = false")
    ana = found.coach("ana")
    assert found.service_url(ana) == "http://localhost:8000/services/ana/"
    assert found.server_url(ana) == "http://localhost:8000/user/ana/"


def test_a_coach_reaches_their_own_database_as_their_own_role_with_no_password():
    found = practice()
    url = found.database_url(found.coach("ana"))
    assert url == "postgresql+psycopg://ana@/coachkit_ana?host=/srv/pg/socket"
    assert ":" not in url.split("@")[0].removeprefix("postgresql+psycopg://")


def test_the_hubs_state_is_in_the_data_folder_unless_the_file_names_another():
    assert practice().state_dir == config.data_dir() / "practice"
    named = practice(extra='[paths]\nstate = "/srv/hub-state"\n')
    assert named.state_dir == Path("/srv/hub-state")


def test_relative_paths_are_read_from_the_checkout_or_else_the_data_folder():
    found = practice(extra='[paths]\nstate = "practice-state"\n')
    assert found.state_dir == config.home_dir() / "practice-state"


@pytest.mark.parametrize("name", ["ana", "ben2", "mariajose"])
def test_coach_names_are_plain(name):
    assert check_name(name) == name


@pytest.mark.parametrize("name", ["a", "Ana", "2ana", "ana-b", "ana_b", "ana b", "x" * 32, "../root", ""])
def test_other_coach_names_are_refused(name):
    with pytest.raises(PracticeError, match="lowercase letters and digits"):
        check_name(name)


def test_beyond_this_machine_the_practice_is_https_only():
    with pytest.raises(PracticeError, match="HTTPS only"):
        practice("http://notes.example.org")
    with pytest.raises(PracticeError, match="HTTPS only"):
        practice("https://notes.example.org")  # https, but nothing terminates it
    certified = 'ssl_cert = "/etc/cert.pem"\nssl_key = "/etc/key.pem"'
    assert practice("https://notes.example.org", certified).ssl_cert == "/etc/cert.pem"
    assert practice("https://notes.example.org", "behind_proxy = true").behind_proxy


def test_a_certificate_needs_its_key_and_https():
    with pytest.raises(PracticeError, match="go together"):
        practice("https://notes.example.org", 'ssl_cert = "/etc/cert.pem"')
    with pytest.raises(PracticeError, match="https://"):
        practice("http://localhost:8000", 'ssl_cert = "/c.pem"\nssl_key = "/k.pem"')


def test_subdomains_need_a_name_not_an_address():
    with pytest.raises(PracticeError, match="subdomains"):
        practice("http://127.0.0.1:8000")
    assert practice("http://127.0.0.1:8000", "subdomains = false").host == "127.0.0.1"


def test_a_coach_listed_twice_is_refused():
    text = MINIMAL.format(url="http://localhost:8000", extra="") + '[[coaches]]\nname = "ana"\n'
    with pytest.raises(PracticeError, match="twice"):
        parse(Path("p.toml"), text)


def test_adding_a_coach_keeps_the_files_comments(tmp_path):
    path = tmp_path / "practice.toml"
    path.write_text(example_file().read_text())
    add_coach_to_file(path, "cleo")
    text = path.read_text()
    assert text.startswith(example_file().read_text().rstrip())
    assert "# The coaches." in text
    assert load(path).coaches[-1] == Coach("cleo")


def test_adding_a_coach_twice_or_with_a_bad_name_changes_nothing(tmp_path):
    path = tmp_path / "practice.toml"
    path.write_text(example_file().read_text())
    before = path.read_text()
    with pytest.raises(PracticeError, match="already a coach"):
        add_coach_to_file(path, "ana")
    with pytest.raises(PracticeError, match="lowercase"):
        add_coach_to_file(path, "Cleo")
    assert path.read_text() == before
