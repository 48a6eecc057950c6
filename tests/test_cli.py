"""The ``coachkit`` command: every command has help, and each is a thin shell over the store."""

import re
import socket

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine

from coachkit import config
from coachkit.cli import main
from coachkit.exercises import WORKSHEETS, all_worksheets
from coachkit.links import DEFAULT_BASE_URL, LINK_NOTE, LINKS_URL_ENV
from coachkit.practice.description import example_file
from coachkit.settings import SETTINGS
from coachkit.store import Store
from coachkit.store.database import HEAD_REVISION, schema_revision

KEY = r"[A-Za-z0-9_-]{22}"
"""A link's key: 128 random bits, URL-safe."""


def walk(command: click.Command, path: tuple[str, ...] = ()):
    """Every command and group under ``command``, with the words that invoke it."""
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))


COMMANDS = list(walk(main))
COMMAND_IDS = [" ".join(path) or "coachkit" for path, _ in COMMANDS]


@pytest.fixture
def database(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/cli.sqlite"


@pytest.fixture
def run(database):
    """Invoke ``coachkit`` with the given words, against this test's own database."""

    def invoke(*args: str, store: bool = True) -> click.testing.Result:
        words = [*args, "--database", database] if store else list(args)
        return CliRunner().invoke(main, words, catch_exceptions=False)

    return invoke


def added_code(output: str) -> str:
    found = re.search(r"code: (\S+)", output)
    assert found, output
    return found.group(1)


# -- help ----------------------------------------------------------------------------------


def test_the_walk_finds_every_command():
    expected = {
        "",
        "serve",
        "init",
        "worksheets",
        "client",
        "client add",
        "client list",
        "client links",
        "settings",
        "settings show",
        "settings safety-help",
        "practice",
        "practice start",
        "practice add-coach",
        "practice coaches",
        "practice backup",
    }
    assert {" ".join(path) for path, _ in COMMANDS} >= expected


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=COMMAND_IDS)
def test_every_command_has_help_text(path, command):
    assert (command.short_help or command.help or "").strip()


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=COMMAND_IDS)
def test_every_option_has_help_text(path, command):
    options = [param for param in command.params if isinstance(param, click.Option)]
    assert [option.name for option in options if not (option.help or "").strip()] == []


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=COMMAND_IDS)
def test_help_works_for_every_command(path, command):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage:")
    assert command.help.split("\n")[0].strip() in " ".join(result.output.split())


# -- client --------------------------------------------------------------------------------


def test_client_add_prints_the_code(run, database):
    result = run("client", "add", "Ann Lee")
    assert result.exit_code == 0, result.output
    store = Store(database)
    try:
        assert store.find_client_by_code(added_code(result.output)).name == "Ann Lee"
    finally:
        store.close()


def printed_links(output: str, base_url: str = DEFAULT_BASE_URL) -> dict[str, str]:
    """The links a command printed, by the label before them."""
    pattern = rf"^  (.+) \({re.escape(LINK_NOTE)}\): {re.escape(base_url.rstrip('/'))}/link/({KEY})$"
    return {m.group(1): m.group(2) for m in re.finditer(pattern, output, re.MULTILINE)}


def opened_by(database: str, key: str) -> tuple[str, str | None] | None:
    """Whose page (client name, worksheet id or None) a printed link opens: it is spent doing so."""
    store = Store(database)
    try:
        started = store.use_sign_in_link(key)
        if started is None:
            return None
        return store.get_client(started[0].client_id).name, started[0].sheet
    finally:
        store.close()


def test_client_add_prints_a_link_to_their_page(run, database):
    result = run("client", "add", "Ann Lee")
    links = printed_links(result.output)
    assert list(links) == ["Their page"]
    assert opened_by(database, links["Their page"]) == ("Ann Lee", None)


def test_client_links_carry_no_code_and_no_token(run, database):
    """A link is a key that opens once: it holds neither the client's code nor a lasting token."""
    result = run("client", "add", "Ann Lee")
    code = added_code(result.output)
    key = printed_links(result.output)["Their page"]
    assert code not in result.output.replace(f"code: {code}", "")
    assert "client=" not in result.output and "token" not in result.output
    assert opened_by(database, key) == ("Ann Lee", None)
    assert opened_by(database, key) is None  # spent
    assert run("client", "add", "Bo", "--token", "s3cret").exit_code == 2  # the option is gone


def test_client_links_are_new_each_time(run, database):
    code = added_code(run("client", "add", "Ann Lee").output)
    first = printed_links(run("client", "links", code).output)["Their page"]
    second = printed_links(run("client", "links", code).output)["Their page"]
    assert first != second
    assert opened_by(database, second) == ("Ann Lee", None)
    assert opened_by(database, first) == ("Ann Lee", None)  # a new link does not spend an older one


def test_client_add_uses_the_base_url(run):
    result = run("client", "add", "Ann Lee", "--base-url", "https://coach.example/")
    assert list(printed_links(result.output, "https://coach.example")) == ["Their page"]


def test_client_links_use_the_address_from_the_environment(run, monkeypatch):
    """A coach's JupyterHub server sets $COACHKIT_LINKS_URL to their service, path and all."""
    monkeypatch.setenv("COACHKIT_LINKS_URL", "http://ana--service.localhost:8000/services/ana")
    code = added_code(run("client", "add", "Ann Lee").output)
    result = run("client", "links", code)
    service = "http://ana--service.localhost:8000/services/ana"
    assert list(printed_links(result.output, service)) == ["Their page"]


def test_client_links_to_worksheets(run, database):
    code = added_code(run("client", "add", "Ann Lee").output)
    sheets = ["fight-or-make-it-right", "my-anger-plan"]
    result = run("client", "links", code, "--worksheet", sheets[0], "--worksheet", sheets[1])
    assert result.exit_code == 0, result.output
    links = printed_links(result.output)
    assert list(links) == [WORKSHEETS[sheet].title for sheet in sheets]
    for sheet in sheets:
        assert opened_by(database, links[WORKSHEETS[sheet].title]) == ("Ann Lee", sheet)
    for sheet in sheets:  # the worksheet is in the store, not in the link
        assert sheet not in "".join(links.values())


def test_practice_coaches_say_where_their_clients_links_point(run):
    result = run("practice", "coaches", "--practice", str(example_file()), store=False)
    assert result.exit_code == 0, result.output
    assert "  client links:  http://ana--service.localhost:8000/services/ana/link/…" in result.output
    assert "client=" not in result.output and "sheet=" not in result.output


def test_client_links_refuse_an_unknown_worksheet(run):
    code = added_code(run("client", "add", "Ann Lee").output)
    result = run("client", "links", code, "--worksheet", "no-such-sheet")
    assert result.exit_code == 2
    assert "no worksheet no-such-sheet" in result.output
    assert "/link/" not in result.output


def test_serve_refuses_a_base_url_that_is_not_a_path(run):
    result = run("serve", "--base-url", "https://hub.example/services/ana")
    assert result.exit_code == 2
    assert "--base-url" in result.output


def test_client_add_refuses_a_blank_name(run):
    result = run("client", "add", "   ")
    assert result.exit_code == 2
    assert "NAME" in result.output


def test_client_list_shows_every_client_with_their_code(run):
    ann = added_code(run("client", "add", "Ann Lee").output)
    bo = added_code(run("client", "add", "Bo").output)
    lines = run("client", "list").output.splitlines()
    assert [line.split("  (added")[0] for line in lines] == [f"{ann}  Ann Lee", f"{bo}  Bo"]


def test_client_list_is_empty_without_clients(run):
    result = run("client", "list")
    assert (result.exit_code, result.output) == (0, "")


def test_client_links_by_name(run):
    code = added_code(run("client", "add", "Ann Lee").output)
    run("client", "add", "Bo")
    result = run("client", "links", "ann lee")
    assert result.exit_code == 0, result.output
    assert f"Ann Lee  code: {code}" in result.output
    assert list(printed_links(result.output)) == ["Their page"]


def test_client_links_by_code_as_typed(run):
    code = added_code(run("client", "add", "Ann Lee").output)
    result = run("client", "links", code.lower().replace("-", " "))
    assert result.exit_code == 0, result.output
    assert list(printed_links(result.output)) == ["Their page"]


def test_client_links_refuses_an_ambiguous_name(run):
    first = added_code(run("client", "add", "Ann Lee").output)
    second = added_code(run("client", "add", "Ann Lee").output)
    result = run("client", "links", "Ann Lee")
    assert result.exit_code == 1
    assert "several clients" in result.output
    assert first in result.output and second in result.output
    assert "/link/" not in result.output


def test_client_links_refuses_an_unknown_client(run):
    run("client", "add", "Ann Lee")
    result = run("client", "links", "Nobody")
    assert result.exit_code == 1
    assert "no client named or coded 'Nobody'" in result.output


# -- settings, init, worksheets ------------------------------------------------------------


def test_settings_show_gives_every_default(run):
    result = run("settings", "show")
    assert result.output == "".join(f"{s.name}: {s.default}\n" for s in SETTINGS.values())


GOOD_VALUES = {
    "quick-exit-url": "https://news.example.org/",
    "session-minutes": "45",
    "alert-email": "coach@example.org",
    "smtp-host": "smtp.example.org",
    "smtp-port": "465",
    "smtp-security": "tls",
    "smtp-from": "alerts@example.org",
    "time-zone": "Europe/Berlin",
    "quiet-days": "10",
    "coach-language": "es",
}
"""A value each setting with a shape of its own accepts (the others take any text: "Call 116 123")."""
BAD_VALUES = {
    "quick-exit-url": ("javascript:alert(1)", "must be a web address"),
    "quiet-days": ("soon", "whole number of days"),
    "session-minutes": ("2", "from 5 to 1440"),
    "alert-email": ("not an address", "must be an email address"),
    "smtp-port": ("seventy", "from 1 to 65535"),
    "smtp-security": ("ssl", "one of starttls, tls, none"),
    "time-zone": ("Mars/Olympus", "time zone name"),
    "page-title": ("", "cannot be empty"),
    "safety-help": ("x" * 2001, "at most 2000 characters"),
    "coach-language": ("klingon", "it must be one of en, es, ar"),
}


@pytest.mark.parametrize("name", list(SETTINGS))
def test_each_setting_is_saved_and_shown(run, name):
    value = GOOD_VALUES.get(name, "Call 116 123")
    assert run("settings", name, f"  {value}  ").output == "Saved.\n"
    shown = run("settings", "show").output.splitlines()
    assert f"{name}: {value}" in shown
    assert len(shown) == len(SETTINGS)


@pytest.mark.parametrize(("name", "bad"), list(BAD_VALUES.items()))
def test_a_setting_refuses_what_cannot_work_and_keeps_its_value(run, name, bad):
    text, why = bad
    result = run("settings", name, text)
    assert result.exit_code == 2
    assert why in result.output and "Traceback" not in result.output
    assert f"{name}: {SETTINGS[name].default}" in run("settings", "show").output.splitlines()


def revision_on_disk(database: str) -> str | None:
    """The schema revision, read without ``Store`` (which would create the schema itself)."""
    engine = create_engine(database)
    try:
        return schema_revision(engine)
    finally:
        engine.dispose()


def test_init_creates_the_store_at_head(run, database):
    result = run("init")
    assert result.output == f"Store ready: {database}\n"
    assert revision_on_disk(database) == HEAD_REVISION


def test_worksheets_lists_every_worksheet(run):
    result = run("worksheets", store=False)
    assert result.output.splitlines() == [  # read now: another test may have put one back at the end
        f"{sheet.id}  (v{sheet.version})  {sheet.title}" for sheet in all_worksheets().values()
    ]


def test_version_option_prints_the_version(run):
    result = run("--version", store=False)
    assert result.exit_code == 0
    assert "0.1.0" in result.output


# -- serve ---------------------------------------------------------------------------------


@pytest.fixture
def launched(monkeypatch):
    """Record the settings the server would start with, instead of starting it."""
    calls = []
    monkeypatch.setattr("coachkit.serve.launch", calls.append)
    return calls


def test_serve_refuses_a_network_address_without_tls(run, launched):
    result = run("serve", "--ip", "0.0.0.0")
    assert result.exit_code == 2
    assert "without TLS" in result.output
    assert launched == []


def test_serve_has_no_token_option(run, launched):
    result = run("serve", "--token", "s3cret")
    assert result.exit_code == 2
    assert launched == []


def test_serve_with_a_certificate_listens_beyond_loopback_safely(run, launched, database, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("certificate")
    key.write_text("key")
    result = run("serve", "--ip", "0.0.0.0", "--port", "9001", "--certfile", str(cert), "--keyfile", str(key))
    assert result.exit_code == 0, result.output
    [settings] = launched
    assert (settings.Voila.ip, settings.Voila.port) == ("0.0.0.0", 9001)
    assert (settings.CoachkitVoila.certfile, settings.CoachkitVoila.keyfile) == (str(cert), str(key))
    assert settings.Voila.root_dir == str(config.workbooks_dir())
    assert settings.MappingKernelManager.allow_tracebacks is False
    assert settings.VoilaConfiguration.show_tracebacks is False
    assert settings.SafeKernelManager.kernel_env[config.DATABASE_URL_ENV] == database
    assert f"https://{socket.getfqdn()}:9001/" in result.output  # 0.0.0.0 names no host: this one's name


def test_serve_wants_both_certificate_and_key(run, launched, tmp_path):
    cert = tmp_path / "cert.pem"
    cert.write_text("certificate")
    result = run("serve", "--certfile", str(cert))
    assert result.exit_code == 2
    assert launched == []


def test_serve_behind_a_proxy_may_listen_beyond_loopback(run, launched):
    result = run("serve", "--ip", "0.0.0.0", "--behind-proxy")
    assert result.exit_code == 0, result.output
    assert launched[0].CoachkitVoila.behind_proxy is True


def test_serve_on_loopback_needs_nothing_more(run, launched):
    result = run("serve")
    assert result.exit_code == 0, result.output
    assert launched[0].Voila.ip == "127.0.0.1"


def test_serve_takes_the_ceiling_and_kernel_lifetimes(run, launched):
    result = run("serve", "--max-kernels", "9", "--reclaim-after-seconds", "45", "--cull-idle-seconds", "600")
    assert result.exit_code == 0, result.output
    [settings] = launched
    assert settings.ClientKernelManager.max_kernels == 9
    assert settings.ClientKernelManager.reclaim_after == 45
    assert settings.MappingKernelManager.cull_idle_timeout == 600
    assert "At most 9 pages open at once" in result.output


def test_links_point_where_the_server_last_served(run, launched, monkeypatch):
    monkeypatch.delenv(LINKS_URL_ENV, raising=False)
    assert run("serve", "--port", "9123").exit_code == 0
    added = run("client", "add", "Ann Lee").output
    assert printed_links(added, "http://127.0.0.1:9123")["Their page"]
    run("serve", "--ip", "0.0.0.0", "--behind-proxy", "--public-url", "https://notes.example.org/")
    again = run("client", "links", added_code(added)).output
    assert printed_links(again, "https://notes.example.org")["Their page"]


def test_an_address_given_for_links_comes_before_the_recorded_one(run, launched, monkeypatch):
    monkeypatch.delenv(LINKS_URL_ENV, raising=False)
    run("serve", "--port", "9123")
    given = run("client", "add", "Ann Lee", "--base-url", "https://coach.example/").output
    assert printed_links(given, "https://coach.example")["Their page"]
    monkeypatch.setenv(LINKS_URL_ENV, "https://hub.example/services/ana")
    from_env = run("client", "links", added_code(given)).output
    assert printed_links(from_env, "https://hub.example/services/ana")["Their page"]


def test_serve_takes_each_clients_share_and_their_kernels_memory(run, launched):
    result = run("serve", "--pages-per-client", "3", "--kernel-memory-mb", "400")
    assert result.exit_code == 0, result.output
    [settings] = launched
    assert settings.ClientKernelManager.kernels_per_client == 3
    assert settings.SafeKernelManager.memory_limit_bytes == 400 * 2**20
    assert "3 for one client" in result.output


def test_serve_creates_the_store(run, launched, database):
    run("serve")
    assert revision_on_disk(database) == HEAD_REVISION


def test_client_links_reach_every_worksheet_and_the_clients_own_page(run, database):
    """One link to the client's own page (which lists every worksheet), or one per worksheet asked for."""
    code = added_code(run("client", "add", "Ann Lee").output)
    sheets = list(all_worksheets().values())
    options = [word for sheet in sheets for word in ("--worksheet", sheet.id)]
    links = printed_links(run("client", "links", code, *options).output)
    assert list(links) == [sheet.title for sheet in sheets]
    for sheet in sheets:
        assert opened_by(database, links[sheet.title]) == ("Ann Lee", sheet.id)
    assert opened_by(database, printed_links(run("client", "links", code).output)["Their page"]) == (
        "Ann Lee",
        None,
    )
