"""A ``coachkit serve`` of a test's own, whose kernels can be counted as real processes.

Every server here keeps its store, and so its kernels' log file, in a folder of its own; a kernel is
an ``ipykernel_launcher`` process whose ``$COACHKIT_LOG_FILE`` lies in that folder. So the count never
mixes up two servers, and needs neither the server's word nor its log.
"""

from __future__ import annotations

import html
import http.client
import re
import ssl
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import psutil

from coachkit.store import Store
from coachkit.web.signin import SESSION_COOKIE
from tests.browser.conftest import CLIENT_PAGE, mint_link, running_coachkit

WORKSHEET = "fight-or-make-it-right"
PAGE = CLIENT_PAGE
"""Every client's page (their own page, or a worksheet): one address. Without a session's cookie it is
the code page."""


@dataclass
class HttpClient:
    """Plain HTTP(S) requests to one server, as a script (or a link checker) would send them, and signing
    in as a client's browser does: the link's page, then Open; or the code page's form."""

    base_url: str

    def get(
        self, path: str, headers: dict[str, str] | None = None, source: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One plain HTTP(S) GET (no redirects followed, body as sent): status, headers, body."""
        return self.request("GET", path, headers=headers, source=source)

    def post(
        self,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        source: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """One plain HTTP(S) POST of a form (no redirects followed): status, headers, body."""
        body = urllib.parse.urlencode(form or {}).encode()
        sent = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, headers=sent, body=body, source=source)

    def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        source: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """One plain HTTP(S) request. Headers come back by lower-case name; several ``Set-Cookie``
        headers are joined by newlines."""
        parts = urllib.parse.urlsplit(self.base_url)
        address = (source, 0) if source else None
        if parts.scheme == "https":
            context = ssl._create_unverified_context()
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.netloc, timeout=60, context=context, source_address=address
            )
        else:
            connection = http.client.HTTPConnection(parts.netloc, timeout=60, source_address=address)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            found = {k.lower(): v for k, v in response.getheaders()}
            cookies = response.msg.get_all("Set-Cookie") or []
            if cookies:
                found["set-cookie"] = "\n".join(cookies)
            return response.status, found, response.read()
        finally:
            connection.close()

    def form_of(self, path: str, source: str | None = None) -> tuple[str, str, str]:
        """GET a page with a form (a link's Open page, the code page): its action, its XSRF field, and
        the cookie header that goes with it."""
        status, headers, body = self.get(path, source=source)
        assert status == 200, (status, body[:300])
        page = body.decode()
        action = html.unescape(re.search(r'<form[^>]* action="([^"]+)"', page).group(1))
        xsrf = html.unescape(re.search(r'name="_xsrf" value="([^"]+)"', page).group(1))
        return action, xsrf, cookie_header(headers)

    def sign_in(self, link: str, source: str | None = None) -> str:
        """Press Open on a link's page, over plain HTTP: the ``Cookie`` header of the session it starts."""
        action, xsrf, cookie = self.form_of(urllib.parse.urlsplit(link).path, source)
        status, headers, body = self.post(action, {"_xsrf": xsrf}, {"Cookie": cookie}, source)
        assert status == 303, (status, body[:300])
        return "; ".join(filter(None, (cookie, cookie_header(headers, SESSION_COOKIE))))

    def type_code(self, code: str, source: str | None = None) -> tuple[int, dict[str, str], bytes]:
        """Type a code on the code page, over plain HTTP: the server's answer to the form."""
        action, xsrf, cookie = self.form_of(PAGE, source)
        return self.post(action, {"_xsrf": xsrf, "code": code}, {"Cookie": cookie}, source)


@dataclass
class Running(HttpClient):
    database_url: str
    folder: Path
    log_path: Path

    def store(self) -> Store:
        return Store(self.database_url)

    def link(self, code: str, worksheet_id: str | None = WORKSHEET) -> str:
        """A new link (it opens once) for the client with this code: to a worksheet, or (None) their page."""
        return mint_link(self.store(), code, worksheet_id, self.base_url)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    @property
    def kernel_log(self) -> Path:
        return self.folder / "logs" / "kernels.log"

    def kernels(self) -> list[psutil.Process]:
        """This server's kernels alive now: one process each (a kernel's own short-lived helper
        process, forked with the same command line, is not another kernel)."""
        found = []
        for process in psutil.process_iter(["cmdline"]):
            try:
                if not any("ipykernel_launcher" in part for part in process.info["cmdline"] or ()):
                    continue
                if process.environ().get("COACHKIT_LOG_FILE", "").startswith(str(self.folder)):
                    found.append(process)
            except psutil.Error:
                continue
        return one_per_kernel(found)

    def wait_for_kernels(self, count: int, timeout: float) -> float:
        """Seconds until exactly ``count`` kernels are alive; fails after ``timeout``."""
        started = time.monotonic()
        while len(self.kernels()) != count:
            assert time.monotonic() - started < timeout, f"{len(self.kernels())} kernels, not {count}"
            time.sleep(0.25)
        return time.monotonic() - started


def cookie_header(headers: dict[str, str], name: str | None = None) -> str:
    """The cookies a response set (or only ``name``), as a ``Cookie`` request header sends them back."""
    jar: SimpleCookie = SimpleCookie()
    for line in headers.get("set-cookie", "").splitlines():
        jar.load(line)
    return "; ".join(f"{key}={morsel.value}" for key, morsel in jar.items() if name in (None, key))


def one_per_kernel(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Of processes with the same kernel command line, the one whose parent is not among them."""
    pids = {process.pid for process in processes}
    kept = []
    for process in processes:
        try:
            if process.ppid() not in pids:
                kept.append(process)
        except psutil.Error:
            continue
    return kept


@contextmanager
def coachkit_server(
    folder: Path,
    *arguments: str,
    env: dict[str, str] | None = None,
    scheme: str = "http",
    settings: dict[str, str] | None = None,
    database_url: str | None = None,
    port: int | None = None,
) -> Iterator[Running]:
    """``coachkit serve ARGUMENTS`` on a free port with a store in ``folder`` (with the coach's
    ``settings``, by key), or the one at ``database_url``; on ``port`` if given; always stopped. No
    kernels are started ahead unless ``--ready-kernels`` is given, so that every kernel counted belongs
    to a page."""
    if "--ready-kernels" not in arguments:
        arguments = (*arguments, "--ready-kernels", "0")
    folder.mkdir(parents=True, exist_ok=True)
    if database_url is None:
        database_url = f"sqlite:///{folder / 'store.sqlite'}"
        store = Store(database_url)
        for key, value in (settings or {}).items():
            store.set_setting(key, value)
        store.close()
    log_path = folder / "server.log"
    command = ["serve", "--database", database_url, *arguments]
    with running_coachkit(command, log_path, env=env, scheme=scheme, port=port) as base_url:
        yield Running(base_url, database_url, folder, log_path)
