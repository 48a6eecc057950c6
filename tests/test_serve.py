"""Serving safely: Voila's arguments, the loopback check, and the links handed to clients."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from coachkit.exercises import WORKSHEETS
from coachkit.links import DEFAULT_BASE_URL, client_links, worksheet_link
from coachkit.serve import (
    NO_STATIC_FILES,
    ServeOptions,
    UnsafeBinding,
    check_binding,
    is_loopback,
    voila_arguments,
)


@pytest.fixture
def options(tmp_path) -> ServeOptions:
    return ServeOptions(root=tmp_path)


def setting(arguments: list[str], name: str) -> str:
    """The value given to ``--name=`` in a command line."""
    values = [arg.split("=", 1)[1] for arg in arguments if arg.startswith(f"--{name}=")]
    assert len(values) == 1, f"--{name} given {len(values)} times"
    return values[0]


# -- voila_arguments -----------------------------------------------------------------------


def test_voila_serves_only_the_root_folder(options, tmp_path):
    assert voila_arguments(options)[0] == str(tmp_path)


def test_voila_hides_tracebacks_from_the_page(options):
    assert setting(voila_arguments(options), "VoilaConfiguration.show_tracebacks") == "False"


def test_voila_keeps_tracebacks_out_of_kernel_messages(options):
    assert setting(voila_arguments(options), "MappingKernelManager.allow_tracebacks") == "False"


def test_voila_culls_idle_kernels(tmp_path):
    arguments = voila_arguments(ServeOptions(root=tmp_path, cull_idle_seconds=90))
    assert setting(arguments, "MappingKernelManager.cull_idle_timeout") == "90"
    assert int(setting(arguments, "MappingKernelManager.cull_interval")) > 0


def test_voila_listens_where_asked(tmp_path):
    arguments = voila_arguments(ServeOptions(root=tmp_path, port=9001, ip="10.0.0.2"))
    assert setting(arguments, "port") == "9001"
    assert setting(arguments, "Voila.ip") == "10.0.0.2"


def test_voila_never_opens_a_browser(options):
    assert "--no-browser" in voila_arguments(options)


def test_voila_serves_no_static_files(options):
    assert setting(voila_arguments(options), "VoilaConfiguration.file_allowlist") == NO_STATIC_FILES


@pytest.mark.parametrize(
    "name", ["photo.png", "x.svg", "notes.txt", "fight-or-make-it-right.ipynb", "", "../etc/passwd"]
)
def test_the_file_allowlist_pattern_matches_no_file_name(name):
    assert re.search(NO_STATIC_FILES, name) is None
    assert re.fullmatch(NO_STATIC_FILES, name) is None


def test_voila_gets_the_token_when_given(tmp_path):
    arguments = voila_arguments(ServeOptions(root=tmp_path, token="s3cret"))
    assert setting(arguments, "Voila.token") == "s3cret"


def test_voila_gets_no_token_argument_without_one(options):
    assert not any(arg.startswith("--Voila.token") for arg in voila_arguments(options))


# -- is_loopback and check_binding ---------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host", ["0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "8.8.8.8", "no-such-host.invalid"]
)
def test_non_loopback_hosts(host):
    assert not is_loopback(host)


@pytest.mark.parametrize("ip", ["0.0.0.0", "192.168.1.5", "::"])
def test_check_binding_refuses_a_network_address_without_a_token(ip):
    with pytest.raises(UnsafeBinding, match="token"):
        check_binding(ip, "")


@pytest.mark.parametrize("ip", ["0.0.0.0", "192.168.1.5"])
def test_check_binding_allows_a_network_address_with_a_token(ip):
    assert check_binding(ip, "s3cret") is None


@pytest.mark.parametrize("ip", ["127.0.0.1", "::1", "localhost"])
def test_check_binding_allows_loopback_without_a_token(ip):
    assert check_binding(ip, "") is None


# -- links ---------------------------------------------------------------------------------


def test_worksheet_link_points_at_the_rendered_notebook():
    link = worksheet_link("fight-or-make-it-right", "K7QD-M2XP-9FRA")
    expected = f"{DEFAULT_BASE_URL}/voila/render/fight-or-make-it-right.ipynb?client=K7QD-M2XP-9FRA"
    assert link == expected


def test_worksheet_link_ignores_a_trailing_slash_in_the_base_url():
    link = worksheet_link("sheet", "CODE", base_url="https://coach.example/")
    assert link == "https://coach.example/voila/render/sheet.ipynb?client=CODE"


def test_worksheet_link_appends_the_token():
    link = worksheet_link("sheet", "K7QD-M2XP-9FRA", token="s3cret")
    assert parse_qs(urlsplit(link).query) == {"client": ["K7QD-M2XP-9FRA"], "token": ["s3cret"]}
    assert link.endswith("?client=K7QD-M2XP-9FRA&token=s3cret")


def test_worksheet_link_url_encodes_code_and_token():
    link = worksheet_link("sheet", "a b&c=d", token="t/k+n&x=1")
    query = urlsplit(link).query
    assert " " not in query and "+n" not in query
    assert parse_qs(query) == {"client": ["a b&c=d"], "token": ["t/k+n&x=1"]}


def test_client_links_gives_one_link_per_worksheet_by_title():
    links = client_links("K7QD-M2XP-9FRA", "https://coach.example", token="s3cret")
    assert links == {
        sheet.title: worksheet_link(sheet.id, "K7QD-M2XP-9FRA", "https://coach.example", "s3cret")
        for sheet in WORKSHEETS.values()
    }
    assert all("token=s3cret" in link for link in links.values())
