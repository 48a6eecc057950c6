"""The practice description: a small TOML file naming the coaches and where everything runs.

``deploy/practice.toml`` (in this package) is the example, with every setting explained. Relative paths
in a practice file are read from the checkout when coachkit runs from one, else from coachkit's data
folder (``config.home_dir``). Each coach's name is at once their Hub login, their system account, their
PostgreSQL role and the name in their links (``/services/<name>/``), so names are kept to lowercase
letters and digits. Everything else is derived here, in one place, so the Hub's configuration, the
commands and the tests agree on every name and address.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from coachkit import config

PRACTICE_ENV = "COACHKIT_PRACTICE"
"""Environment variable naming the practice file (``coachkit practice`` and the Hub's config read it)."""
NAME = re.compile(r"[a-z][a-z0-9]{1,30}")
DATABASE_PREFIX = "coachkit_"
COACHES_ROLE = "coachkit_coaches"
"""The PostgreSQL group role every coach's role belongs to (``pg_hba.conf`` lets its members in by peer)."""


class PracticeError(ValueError):
    """The practice file is missing, malformed, or asks for something unsafe."""


def example_file() -> Path:
    """``deploy/practice.toml``: the example practice, two demo coaches."""
    return config.deploy_dir() / "practice.toml"


def default_file() -> Path:
    """``$COACHKIT_PRACTICE``, else ``practice/practice.toml`` in the data folder (copied from the example
    when started)."""
    return Path(os.environ.get(PRACTICE_ENV) or default_state_dir() / "practice.toml")


def default_state_dir() -> Path:
    """``practice/`` in the data folder (``data/practice`` in a checkout)."""
    return config.data_dir() / "practice"


def check_name(name: str) -> str:
    """``name`` if it can be a coach's name (2–31 lowercase letters and digits, a letter first)."""
    if not NAME.fullmatch(name):
        raise PracticeError(
            f"a coach's name is 2 to 31 lowercase letters and digits, starting with a letter, not {name!r}"
        )
    return name


@dataclass(frozen=True)
class Coach:
    """One coach. ``demo``: ``coachkit practice start`` fills their new database with synthetic clients."""

    name: str
    demo: bool = False

    @property
    def database(self) -> str:
        return DATABASE_PREFIX + self.name

    @property
    def database_in_the_making(self) -> str:
        """Where a new coach's database is filled (demo clients and all) before it takes its name, so a
        set-up stopped half-way leaves no half-filled store under the real name. (Coaches' names have
        no ``_``: it is no other coach's database.)"""
        return f"{self.database}_new"

    @property
    def service_prefix(self) -> str:
        """The path of their client server behind the Hub's proxy."""
        return f"/services/{self.name}/"


@dataclass(frozen=True)
class Practice:
    """A practice file, read and checked (``load``)."""

    path: Path
    url: str = "http://localhost:8000"
    """Where coaches and clients reach the Hub (its proxy), scheme, host and port."""
    subdomains: bool = True
    """Each coach's server and service on a host of its own (``ana.…``, ``ana--service.…``)."""
    ssl_cert: str = ""
    ssl_key: str = ""
    behind_proxy: bool = False
    """A reverse proxy in front of the Hub's proxy terminates HTTPS."""
    hub_api_port: int = 8081
    proxy_api_port: int = 8001
    state_dir: Path = field(default_factory=default_state_dir)
    homes: Path = Path("/home")
    postgres_dir: Path | None = None
    """The practice's own PostgreSQL cluster (started and stopped with it), or None: a server running."""
    postgres_socket: Path = Path("/var/run/postgresql")
    ready_kernels: int = 1
    max_kernels: int = 0
    proxy_command: str = ""
    coaches: tuple[Coach, ...] = field(default_factory=tuple)

    # -- addresses ------------------------------------------------------------------------------

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int:
        parts = urlsplit(self.url)
        return parts.port or (443 if parts.scheme == "https" else 80)

    def _origin(self, subdomain: str) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{subdomain}.{parts.netloc}" if self.subdomains else self.url.rstrip("/")

    def service_url(self, coach: Coach) -> str:
        """Where ``coach``'s clients open their links (with a trailing slash)."""
        return self._origin(f"{coach.name}--service") + coach.service_prefix

    def server_url(self, coach: Coach) -> str:
        """``coach``'s own JupyterLab (their Hub server)."""
        return self._origin(coach.name) + f"/user/{coach.name}/"

    def dashboard_url(self, coach: Coach) -> str:
        return self.server_url(coach) + "voila/render/dashboard.ipynb"

    def login_url(self) -> str:
        return self.url.rstrip("/") + "/hub/login"

    def database_url(self, coach: Coach, database: str = "") -> str:
        """``coach``'s store (or their ``database`` of another name): their own role, over the unix
        socket, no password (peer authentication)."""
        return f"postgresql+psycopg://{coach.name}@/{database or coach.database}?host={self.postgres_socket}"

    # -- files ----------------------------------------------------------------------------------

    @property
    def passwords_file(self) -> Path:
        """The Hub logins' password hashes (FirstUseAuthenticator's dbm; root only)."""
        return self.state_dir / "passwords.dbm"

    @property
    def demo_logins_file(self) -> Path:
        """The demo coaches' passwords, kept so that each start can print them again (root only)."""
        return self.state_dir / "demo-logins.toml"

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "logs"

    def home(self, coach: Coach) -> Path:
        return self.homes / coach.name

    def worksheets_dir(self, coach: Coach) -> Path:
        """The coach's own worksheet files, in their home: their client server, their dashboard and
        ``coachkit worksheet new`` in their terminal all read ``$COACHKIT_WORKSHEETS``, set to this."""
        return self.home(coach) / "worksheets"

    @property
    def names(self) -> frozenset[str]:
        return frozenset(coach.name for coach in self.coaches)

    def coach(self, name: str) -> Coach:
        for coach in self.coaches:
            if coach.name == name:
                return coach
        raise PracticeError(f"no coach called {name!r} in {self.path}")


def _path(value: object, what: str) -> Path:
    if not isinstance(value, str) or not value:
        raise PracticeError(f"{what} must be a path")
    path = Path(value)
    return path if path.is_absolute() else config.home_dir() / path


def _int(table: dict, key: str, default: int, least: int = 0) -> int:
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise PracticeError(f"{key} must be a whole number of at least {least}")
    return value


def parse(path: Path, text: str) -> Practice:
    """The practice described by ``text`` (the contents of ``path``), checked."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PracticeError(f"{path} is not valid TOML: {error}") from error
    hub, paths, postgres = data.get("hub", {}), data.get("paths", {}), data.get("postgres", {})
    services = data.get("services", {})
    coaches = []
    for entry in data.get("coaches", []):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise PracticeError("each [[coaches]] entry needs a name")
        coaches.append(Coach(check_name(entry["name"]), bool(entry.get("demo", False))))
    names = [coach.name for coach in coaches]
    if len(set(names)) != len(names):
        raise PracticeError(f"a coach is listed twice in {path}")
    postgres_dir = _path(postgres["dir"], "postgres.dir") if "dir" in postgres else None
    socket = postgres.get("socket_dir")
    practice = Practice(
        path=path,
        url=str(hub.get("url", Practice.url)).rstrip("/"),
        subdomains=bool(hub.get("subdomains", True)),
        ssl_cert=str(hub.get("ssl_cert", "")),
        ssl_key=str(hub.get("ssl_key", "")),
        behind_proxy=bool(hub.get("behind_proxy", False)),
        hub_api_port=_int(hub, "api_port", Practice.hub_api_port, 1),
        proxy_api_port=_int(hub, "proxy_api_port", Practice.proxy_api_port, 1),
        proxy_command=str(hub.get("proxy_command", "")),
        state_dir=_path(paths["state"], "paths.state") if "state" in paths else default_state_dir(),
        homes=_path(paths.get("homes", "/home"), "paths.homes"),
        postgres_dir=postgres_dir,
        postgres_socket=_path(socket, "postgres.socket_dir")
        if socket
        else (postgres_dir / "socket" if postgres_dir else Practice.postgres_socket),
        ready_kernels=_int(services, "ready_kernels", Practice.ready_kernels),
        max_kernels=_int(services, "max_kernels", Practice.max_kernels),
        coaches=tuple(coaches),
    )
    check(practice)
    return practice


class Current:
    """The practice in ``path`` as the file is now: read again at each call, and parsed again when its
    text changed, so that the Hub lets in, and starts servers for, coaches added while it runs. A text
    that does not parse keeps the last practice that did (``coachkit practice add-coach`` never writes
    one that does not)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._text = path.read_text()
        self._practice = parse(path, self._text)

    def __call__(self) -> Practice:
        with contextlib.suppress(OSError, PracticeError):
            text = self.path.read_text()
            if text != self._text:
                self._practice, self._text = parse(self.path, text), text
        return self._practice


def load(path: Path | None = None) -> Practice:
    """The practice in ``path`` (default: ``default_file()``)."""
    path = path or default_file()
    try:
        text = path.read_text()
    except FileNotFoundError as error:
        raise PracticeError(f"there is no practice file at {path}") from error
    return parse(path, text)


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check(practice: Practice) -> None:
    """Refuse what would be unsafe or cannot work: answers in the clear beyond this machine, half a
    certificate, subdomains of an address."""
    parts = urlsplit(practice.url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path not in {"", "/"}:
        raise PracticeError(f"hub.url must be like https://notes.example.org, not {practice.url!r}")
    if bool(practice.ssl_cert) != bool(practice.ssl_key):
        raise PracticeError("hub.ssl_cert and hub.ssl_key go together")
    if practice.ssl_cert and parts.scheme != "https":
        raise PracticeError("with hub.ssl_cert, hub.url starts with https://")
    tls = parts.scheme == "https" and (practice.ssl_cert or practice.behind_proxy)
    if not tls and not _is_local(parts.hostname):
        raise PracticeError(
            "beyond this machine the practice is reached over HTTPS only (clients' answers would cross "
            "the network in the clear): set hub.ssl_cert and hub.ssl_key, or put a reverse proxy with "
            "HTTPS in front and set hub.behind_proxy = true, with an https:// hub.url"
        )
    if practice.subdomains:
        try:
            ipaddress.ip_address(parts.hostname)
        except ValueError:
            pass
        else:
            raise PracticeError("hub.subdomains needs a name in hub.url (such as localhost), not an address")


def add_coach_to_file(path: Path, name: str, demo: bool = False) -> None:
    """Append ``name`` to the coaches in ``path``, keeping its comments and layout (tomlkit)."""
    import tomlkit

    document = tomlkit.parse(path.read_text())
    coaches = document.get("coaches")
    if coaches is None:
        coaches = tomlkit.aot()
        document.append("coaches", coaches)
    if any(entry.get("name") == name for entry in coaches):
        raise PracticeError(f"{name!r} is already a coach in {path}")
    entry = tomlkit.table()
    entry.add("name", check_name(name))
    if demo:
        entry.add("demo", True)
    coaches.append(entry)
    text = tomlkit.dumps(document)
    parse(path, text)  # never write a file that would not load
    path.write_text(text)
