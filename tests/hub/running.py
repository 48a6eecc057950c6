"""A real practice for the hub tests: ``coachkit practice start`` on a file of the test's own.

Everything lives in one temporary folder (the PostgreSQL cluster, the Hub's state, the coaches'
homes), the coaches get names of their own (``ana…``, ``ben…``, never an existing account), and every
port is free. The runner is the very command a person types; it is stopped with SIGTERM at the end
(and gets SIGTERM from the kernel if the test process dies first: ``PR_SET_PDEATHSIG``). Then the
coaches' accounts are removed, and any process still running as one of them, or from the folder, is
reported and killed (PostgreSQL too, if a test left it running without its runner).
"""

from __future__ import annotations

import contextlib
import ctypes
import html
import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psutil

from coachkit.practice import accounts, coaches, hub, logins
from coachkit.practice.description import Coach, Practice, load
from coachkit.practice.postgres import Admin, Cluster, find_bin_dir
from tests.browser.conftest import free_port
from tests.browser.running import cookie_header

PROJECT = Path(__file__).resolve().parents[2]
PRACTICE_BIN = PROJECT / ".venv" / "practice" / "bin"
PROXY = PROJECT / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
READY_TIMEOUT = 300.0
STOP_TIMEOUT = 120.0
PR_SET_PDEATHSIG = 1
WORKSHEET_PAGE = b'<script id="jupyter-config-data"'
"""What only a worksheet's page holds (the page script, inline in every page, names the id too)."""
CODE_FORM = b'<form class="ck-code-form"'
"""The code page's form: "please type the code your coach gave you"."""

PRACTICE_FILE = """
[hub]
url = "http://localhost:{port}"
subdomains = true
api_port = {api_port}
proxy_api_port = {proxy_api_port}

[paths]
state = "{folder}/state"
homes = "{folder}/homes"

[postgres]
dir = "{folder}/postgres"

[services]
ready_kernels = 1
max_kernels = 6
"""


def missing() -> str | None:
    """Why a practice cannot run here, or None."""
    if os.geteuid() != 0:
        return "the hub tests need root (each coach gets a system account)"
    for tool in ("useradd", "userdel", "runuser"):
        if shutil.which(tool) is None:
            return f"{tool} is missing"
    try:
        find_bin_dir()
    except RuntimeError as error:
        return str(error)
    if not (PRACTICE_BIN / "coachkit").exists():
        return f"{PRACTICE_BIN}/coachkit is missing: `make practice-deps` (or make test-deps) makes it"
    if not PROXY.exists():
        return f"{PROXY} is missing: `make practice-deps` installs configurable-http-proxy"
    config = hub.server_config_file()
    reachable = [
        "runuser",
        "-u",
        "nobody",
        "--",
        "test",
        "-x",
        str(PRACTICE_BIN / "coachkit"),
        "-a",
        "-r",
        str(config),
    ]
    if subprocess.run(reachable, check=False).returncode != 0:
        return f"other accounts cannot reach {PROJECT} (coaches run its installation): make its folders 0755"
    return None


def _die_with_parent() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


@dataclass
class RunningPractice:
    """A practice started by ``coachkit practice start``, with two coaches whose passwords we know."""

    practice: Practice
    folder: Path
    passwords: dict[str, str]
    process: subprocess.Popen[bytes] = None  # type: ignore[assignment] (set by start)
    added: list[str] = field(default_factory=list)

    def start(self) -> None:
        """(Re)start the runner, its output added to ``runner.log``."""
        with self.runner_log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(PRACTICE_BIN / "coachkit"), "practice", "start", "--practice", str(self.practice.path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )

    @property
    def ana(self) -> Coach:
        return self.practice.coaches[0]

    @property
    def ben(self) -> Coach:
        return self.practice.coaches[1]

    @property
    def runner_log(self) -> Path:
        return self.folder / "runner.log"

    @property
    def hub_log(self) -> Path:
        return self.practice.log_dir / "hub.log"

    def admin(self) -> Admin:
        return Admin.of(self.practice)

    def as_coach(self, coach: Coach, *arguments: str, env: dict[str, str] | None = None) -> str:
        """``coachkit ARGUMENTS`` as ``coach`` would type it in their JupyterLab's terminal (their account,
        store, worksheets and links, unless ``env`` says otherwise), with the practice's own
        installation (this test's Python is not one every account can run); its output."""
        environment = {
            "COACHKIT_DATABASE_URL": self.practice.database_url(coach),
            "COACHKIT_WORKSHEETS": str(self.practice.worksheets_dir(coach)),
            "COACHKIT_LINKS_URL": self.practice.service_url(coach).rstrip("/"),
            **(env or {}),
        }
        return accounts.run_as(coach.name, [str(PRACTICE_BIN / "coachkit"), *arguments], environment).stdout

    def add_client(self, coach: Coach, name: str) -> str:
        """A new client of ``coach``, added as the coach would (``coachkit client add``): their code."""
        return self.as_coach(coach, "client", "add", name).split("code: ")[1].split()[0]

    def link(
        self,
        coach: Coach,
        code: str,
        worksheet: str = coaches.FIRST_WORKSHEET,
        env: dict[str, str] | None = None,
    ) -> str:
        """A new link (it opens once) to ``worksheet`` for the client with ``code``, made as the coach
        would (``coachkit client links``)."""
        output = self.as_coach(coach, "client", "links", code, "--worksheet", worksheet, env=env)
        return output.strip().splitlines()[-1].rsplit(" ", 1)[-1]

    def press_open(self, link: str) -> tuple[int, dict[str, str], bytes]:
        """Press Open on a link's page, over plain HTTP through the proxy: the server's answer (a 303
        with the session's cookie, or the code page)."""
        status, headers, body = self.get(link)
        assert status == 200, (status, body[:300])
        page = body.decode()
        action = html.unescape(re.search(r'<form[^>]* action="([^"]+)"', page).group(1))
        xsrf = html.unescape(re.search(r'name="_xsrf" value="([^"]+)"', page).group(1))
        parts = urlsplit(link)
        return self.get(
            f"{parts.scheme}://{parts.netloc}{action}",
            {"Cookie": cookie_header(headers), "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
            body=urlencode({"_xsrf": xsrf}).encode(),
        )

    def client_page(self, link: str) -> tuple[int, dict[str, str], bytes]:
        """Open a link as a client's browser would (Open, then the page it leads to): the page."""
        status, headers, body = self.press_open(link)
        assert status == 303, (status, body[:300])
        parts = urlsplit(link)
        page = f"{parts.scheme}://{parts.netloc}{headers['location']}"
        return self.get(page, {"Cookie": cookie_header(headers)})

    def query(self, coach: Coach, statement: str, database: str = "") -> str:
        """``statement`` on ``coach``'s database (or ``database``), as the superuser (rows as text)."""
        return self.admin().psql(statement, database=database or coach.database)

    def get(
        self, url: str, headers: dict[str, str] | None = None, method: str = "GET", body: bytes | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One request through the proxy (``*.localhost`` names need no resolving here)."""
        parts = urlsplit(url)
        connection = http.client.HTTPConnection("127.0.0.1", self.practice.port, timeout=60)
        try:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            connection.request(method, path, body=body, headers={"Host": parts.netloc, **(headers or {})})
            response = connection.getresponse()
            headers = {k.lower(): v for k, v in response.getheaders()}
            headers["set-cookie"] = "\n".join(response.msg.get_all("Set-Cookie") or [])  # every one
            return response.status, headers, response.read()
        finally:
            connection.close()


def _write_practice(folder: Path, names: list[str], demo: bool) -> Path:
    text = PRACTICE_FILE.format(
        folder=folder, port=free_port(), api_port=free_port(), proxy_api_port=free_port()
    )
    flag = "demo = true\n" if demo else ""
    text += "".join(f'\n[[coaches]]\nname = "{name}"\n{flag}' for name in names)
    path = folder / "practice.toml"
    path.write_text(text)
    return path


def _unused_names() -> list[str]:
    while True:
        suffix = secrets.token_hex(3)
        names = [f"ana{suffix}", f"ben{suffix}"]
        if not any(accounts.find_account(name) for name in names):
            return names


def wait_ready(running: RunningPractice, times: int = 1) -> None:
    """Until the runner said the practice is ready (for the ``times``-th time in its log)."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        text = running.runner_log.read_text(errors="replace")
        if text.count("The practice is ready") >= times:
            return
        if running.process.poll() is not None:
            raise RuntimeError(f"coachkit practice start exited:\n{text[-3000:]}")
        time.sleep(0.5)
    raise TimeoutError(f"the practice was not ready within {READY_TIMEOUT:.0f} s")


def _stop(running: RunningPractice) -> list[str]:
    """Stop the runner (it stops everything it started); return whatever was left to kill."""
    process = running.process
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    names = {coach.name for coach in running.practice.coaches} | set(running.added)
    left = []
    with contextlib.suppress(RuntimeError, OSError, subprocess.SubprocessError):
        cluster = Cluster.of(running.practice)
        if cluster is not None and cluster.running():  # its runner was killed: nobody stopped it
            left.append(f"PostgreSQL in {cluster.root}")
            cluster.stop()
    for found in psutil.process_iter(["username", "cmdline"]):
        with contextlib.suppress(psutil.Error):
            command = " ".join(found.info["cmdline"] or ())
            if found.info["username"] in names or str(running.folder) in command:
                left.append(f"{found.pid} {found.info['username']} {command[:120]}")
                found.kill()
    return left


@contextlib.contextmanager
def running_practice(demo: bool = False, ready: bool = True) -> Iterator[RunningPractice]:
    """Start a practice with two coaches (``demo``: with demo clients); always stopped, its accounts and
    folder removed. ``ready``: wait until the runner says it is ready."""
    folder = Path(tempfile.mkdtemp(prefix="ckhub-"))  # short: kernels' socket paths are kept short
    folder.chmod(0o755)  # the coaches' homes and PostgreSQL's socket are inside
    names = _unused_names()
    path = _write_practice(folder, names, demo)
    practice = load(path)
    passwords = {name: logins.new_password() for name in names}
    for name, password in passwords.items():
        logins.set_password(practice.passwords_file, name, password)
    running = None
    left: list[str] = []
    try:
        running = RunningPractice(practice, folder, passwords)
        running.start()
        if ready:
            wait_ready(running)
        yield running
    finally:
        left = _stop(running) if running is not None else []
        for name in [*names, *(running.added if running else [])]:
            with contextlib.suppress(accounts.AccountError):
                accounts.remove_account(name)
        shutil.rmtree(folder, ignore_errors=True)
    assert not left, f"processes outlived the practice (now killed): {left}"
