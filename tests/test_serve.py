"""Serving safely: the server's settings, the TLS rule for listening beyond loopback, client links."""

from __future__ import annotations

import dataclasses
import re

import pytest

from coachkit import config
from coachkit.capped_logs import LOG_CAP_BYTES
from coachkit.links import DEFAULT_BASE_URL, new_link, sign_in_link
from coachkit.logs import LOG_FILE_ENV
from coachkit.serve import (
    FORKED_PROVISIONER,
    KERNEL_LIMIT_MIB,
    KERNEL_MIB,
    ServeOptions,
    UnsafeBinding,
    check_binding,
    default_max_kernels,
    forking_installed,
    is_loopback,
    kernel_log_file,
    normalize_base_url,
    voila_config,
)

DATABASE = "sqlite:////srv/coach/store.sqlite"


@pytest.fixture
def options(tmp_path) -> ServeOptions:
    return ServeOptions(root=tmp_path, max_kernels=12)


def settings(options: ServeOptions):  # type: ignore[no-untyped-def]
    return voila_config(options, DATABASE)


# -- the server's settings -----------------------------------------------------------------


def test_the_server_serves_only_the_root_folder(options, tmp_path):
    assert settings(options).Voila.root_dir == str(tmp_path)


def test_tracebacks_never_reach_the_page_or_the_websocket(options):
    c = settings(options)
    assert c.VoilaConfiguration.show_tracebacks is False
    assert c.MappingKernelManager.allow_tracebacks is False
    assert c.MappingKernelManager.kernel_manager_class == "coachkit.kernels.SafeKernelManager"


def test_client_pages_use_the_coachkit_template_and_no_link_may_change_it(options):
    c = settings(options)
    assert c.VoilaConfiguration.template == "coachkit"
    assert c.VoilaConfiguration.allow_template_override == "NO"
    assert c.VoilaConfiguration.allow_theme_override == "NO"


def test_no_voila_config_file_is_read_from_wherever_the_server_starts(options):
    assert settings(options).Voila.config_file_paths == []


def test_no_file_is_served_and_the_list_is_a_real_list(options):
    # A string here made traitlets print a DeprecationWarning at every start.
    assert settings(options).VoilaConfiguration.file_allowlist == []


def test_kernels_have_a_ceiling_and_are_reclaimed(tmp_path):
    c = settings(ServeOptions(root=tmp_path, max_kernels=7, reclaim_after_seconds=20, cull_idle_seconds=90))
    assert c.VoilaConfiguration.multi_kernel_manager_class == "coachkit.web.presence.PresenceKernelManager"
    assert c.ClientKernelManager.max_kernels == 7
    assert c.ClientKernelManager.reclaim_after == 20
    assert c.MappingKernelManager.cull_idle_timeout == 90


def test_without_a_ceiling_the_machines_memory_sets_it(tmp_path):
    assert settings(ServeOptions(root=tmp_path)).ClientKernelManager.max_kernels == default_max_kernels()


def test_the_default_ceiling_leaves_half_the_memory_for_everything_else():
    assert default_max_kernels(24 * 1024) == 24 * 1024 // 2 // KERNEL_MIB
    assert default_max_kernels(1024) == 5
    assert default_max_kernels(100) == 2


def test_kernels_get_the_store_and_a_private_log_beside_it(options):
    c = settings(options)
    assert c.SafeKernelManager.kernel_env == {config.DATABASE_URL_ENV: DATABASE}
    assert c.SafeKernelManager.log_file == "/srv/coach/logs/kernels.log"
    assert LOG_FILE_ENV == "COACHKIT_LOG_FILE"


def test_the_log_folder_can_be_chosen(tmp_path):
    chosen = ServeOptions(root=tmp_path, log_dir=tmp_path / "elsewhere")
    assert kernel_log_file(chosen, DATABASE) == tmp_path / "elsewhere" / "kernels.log"


def test_each_client_has_a_share_of_kernels_each_with_a_memory_limit(tmp_path):
    c = settings(ServeOptions(root=tmp_path))
    assert c.ClientKernelManager.kernels_per_client == 2
    assert c.SafeKernelManager.memory_limit_bytes == KERNEL_LIMIT_MIB * 2**20
    c = settings(ServeOptions(root=tmp_path, pages_per_client=3, kernel_memory_mib=0))
    assert c.ClientKernelManager.kernels_per_client == 3
    assert c.SafeKernelManager.memory_limit_bytes == 0


def test_the_coachs_dashboard_kernels_have_no_memory_limit(tmp_path):
    assert settings(ServeOptions(root=tmp_path, gate=False)).SafeKernelManager.memory_limit_bytes == 0


def test_the_kernel_log_is_capped(options, tmp_path):
    assert settings(options).SafeKernelManager.log_cap_bytes == LOG_CAP_BYTES
    small = ServeOptions(root=tmp_path, log_cap_bytes=100_000)
    assert settings(small).SafeKernelManager.log_cap_bytes == 100_000


def test_kernels_use_unix_sockets_and_a_patient_iopub(options):
    c = settings(options)
    assert c.KernelManager.transport == "ipc"
    assert c.VoilaExecutor.iopub_timeout >= 60


def test_the_server_listens_where_asked_and_never_opens_a_browser(tmp_path):
    c = settings(ServeOptions(root=tmp_path, port=9001, ip="10.0.0.2", certfile="c.pem", keyfile="k.pem"))
    assert (c.Voila.port, c.Voila.ip, c.Voila.open_browser) == (9001, "10.0.0.2", False)
    assert (c.CoachkitVoila.certfile, c.CoachkitVoila.keyfile) == ("c.pem", "k.pem")


def test_the_server_is_at_the_root_unless_given_a_base_url(tmp_path):
    assert settings(ServeOptions(root=tmp_path)).Voila.base_url == "/"
    c = settings(ServeOptions(root=tmp_path, base_url="/services/ana/"))
    assert c.Voila.base_url == "/services/ana/"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("/", "/"), ("", "/"), ("services/ana", "/services/ana/"), ("/services/ana/", "/services/ana/")],
)
def test_a_base_url_is_one_path_with_slashes_around_it(given, expected):
    assert normalize_base_url(given) == expected


@pytest.mark.parametrize("given", ["https://hub.example/services/ana", "/a//b", "/a?b=1", "/a b/"])
def test_a_base_url_is_only_a_path(given):
    with pytest.raises(ValueError, match="a path such as"):
        normalize_base_url(given)


def test_client_servers_check_codes_and_need_no_token(options):
    c = settings(options)
    assert c.CoachkitVoila.gate is True
    assert "token" not in c.Voila


def test_the_dashboard_has_a_token_and_no_code_gate(tmp_path):
    c = settings(ServeOptions(root=tmp_path, token="s3cret", gate=False, template="lab"))
    assert c.Voila.token == "s3cret"
    assert c.CoachkitVoila.gate is False


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
def test_check_binding_refuses_a_network_address_without_tls(ip):
    with pytest.raises(UnsafeBinding, match="without TLS"):
        check_binding(ip, tls=False, behind_proxy=False)


@pytest.mark.parametrize("ip", ["0.0.0.0", "192.168.1.5"])
def test_check_binding_allows_a_network_address_with_tls_or_behind_a_proxy(ip):
    assert check_binding(ip, tls=True, behind_proxy=False) is None
    assert check_binding(ip, tls=False, behind_proxy=True) is None


@pytest.mark.parametrize("ip", ["127.0.0.1", "::1", "localhost"])
def test_check_binding_allows_loopback_without_tls(ip):
    assert check_binding(ip, tls=False, behind_proxy=False) is None


# -- links ---------------------------------------------------------------------------------


def test_sign_in_link_points_at_the_link_route():
    assert sign_in_link("aBc-_12") == f"{DEFAULT_BASE_URL}/link/aBc-_12"


def test_sign_in_link_ignores_a_trailing_slash_in_the_base_url():
    assert sign_in_link("KEY", base_url="https://coach.example/") == "https://coach.example/link/KEY"


def test_sign_in_link_keeps_the_path_of_a_jupyterhub_service():
    link = sign_in_link("KEY", base_url="https://ana--service.hub.example/services/ana/")
    assert link == "https://ana--service.hub.example/services/ana/link/KEY"


def test_new_link_is_a_fresh_url_safe_key_naming_neither_client_nor_worksheet(store):
    client = store.add_client("Ann Lee")
    links = [new_link(store, client, sheet, "https://coach.example") for sheet in (None, "my-anger-plan")]
    for link in links:
        key = re.fullmatch(r"https://coach\.example/link/([A-Za-z0-9_-]{22})", link)
        assert key, link
        assert client.code not in link and "Ann" not in link and "anger" not in link
    assert links[0] != links[1]


def test_new_link_opens_once_the_page_it_was_made_for(store):
    client = store.add_client("Ann Lee")
    key = new_link(store, client, "my-anger-plan").rsplit("/", 1)[1]
    session, token = store.use_sign_in_link(key)
    assert (session.client_id, session.sheet, session.code_typed) == (client.id, "my-anger-plan", False)
    assert token != key
    assert store.use_sign_in_link(key) is None


def test_the_client_server_notes_open_pages_in_its_store_and_the_dashboard_none(tmp_path):
    assert settings(ServeOptions(root=tmp_path)).PresenceKernelManager.database_url == DATABASE
    assert settings(ServeOptions(root=tmp_path, gate=False)).PresenceKernelManager.database_url == ""


def test_client_kernels_are_forked_and_the_dashboard_s_are_not(options):
    assert forking_installed()  # this installation registers the provisioner
    assert settings(options).KernelProvisionerFactory.default_provisioner_name == FORKED_PROVISIONER
    dashboard = voila_config(dataclasses.replace(options, gate=False), DATABASE)
    assert "default_provisioner_name" not in dashboard.KernelProvisionerFactory


def test_an_install_without_the_forked_provisioner_starts_kernels_as_before(options, monkeypatch):
    monkeypatch.setattr("coachkit.serve.FORKED_PROVISIONER", "coachkit-not-registered")
    assert not forking_installed()
    assert "default_provisioner_name" not in settings(options).KernelProvisionerFactory
