"""Every method on every route family, on the client server and on the coach's dashboard: our page or
a bare status, never Voila's stock page, nothing loaded from another host, nothing alarming in the log.

Real servers (``coachkit serve`` and ``coachkit dashboard``), plain HTTP over a socket: methods a
browser never sends (TRACE, PROPFIND, a made-up one), paths that are not UTF-8 or hold a NUL byte, a
path longer than the server reads, odd query strings and websocket upgrades where none belongs.
"""

from __future__ import annotations

import http.client
import re
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from coachkit.coach.server import TOKEN_ENV
from coachkit.settings import QUICK_EXIT_URL
from coachkit.store import Store
from tests.browser.conftest import running_coachkit
from tests.browser.running import PAGE, coachkit_server

pytestmark = pytest.mark.browser

METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "CONNECT", "BREW"]
TOKEN = "every-method-token-0123456789abcdef"
KERNEL = str(uuid.uuid4())
"""A kernel id of the right shape that no kernel has."""
LONG = "a" * 20_000
ROUTES = {
    "home": ["/"],
    "render": [
        "/voila/render/",
        PAGE,
        PAGE + "&client=ZZZZ-ZZZZ-ZZZZ",
        "/voila/render/fight-or-make-it-right.ipynb?client=ZZZZ-ZZZZ-ZZZZ",
        "/voila/render/no-such.ipynb",
        "/voila/render/..%2F..%2Fetc%2Fpasswd",
    ],
    "render, malformed": [
        "/voila/render/%ff%fe.ipynb",
        "/voila/render/x%00.ipynb",
        f"/voila/render/{LONG}.ipynb",
        PAGE + "&client=%00&sheet=%ff",
        "/voila/render/worksheet.ipynb?%ff=%fe&&&=;;&client=&client=",
        "/voila/render/worksheet.ipynb?" + "client=x&" * 500,
    ],
    "static": [
        "/voila/static/no-such.js",
        "/voila/static/",
        "/voila/static/%ff",
        "/voila/templates/lab/static/no-such.css",
        "/voila/templates/lab/static/..%2F..%2Fconf.json",
        "/voila/labextensions/no-such.js",
        "/voila/api/themes/no-such",
        "/coachkit/static/page.js",
        "/coachkit/static/%ff",
        "/coachkit/static/../pages/page.html",
    ],
    "coachkit": [
        f"/coachkit/kernel/{KERNEL}",
        "/coachkit/kernel/x",
        "/coachkit/",
        "/coachkit/nothing",
        "/coachkit/code",
        "/coachkit/leave",
        "/link/no-such-link",
        "/link/" + "x" * 100,
        "/coachkit/stop/no-such-key",
        "/coachkit/stop/" + "x" * 100,
    ],
    "api": [
        "/api",
        "/api/kernels",
        f"/api/kernels/{KERNEL}",
        "/api/contents",
        "/api/sessions",
        "/api/status",
        f"/voila/api/shutdown/{KERNEL}",
        "/voila/api/contents",
    ],
    "kernel websockets": [f"/api/kernels/{KERNEL}/channels", f"/voila/api/kernels/{KERNEL}/channels"],
    "unknown": [
        "/no/such/page",
        "/login",
        "/logout",
        "/voila/tree",
        "/voila/files/worksheet.ipynb",
        "/%ff%fe.ipynb",
        "/%00",
        f"/{LONG}",
        "/?%ff",
        "//evil.example/",
    ],
}
REQUESTED = re.compile(
    r"""<(?:script|link|img|iframe|source|embed|object|video|audio)\b[^>]*?\s(?:src|href|data)\s*=\s*["']?"""
    r"""(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+["'](?:https?:)?//|import\(\s*["'](?:https?:)?//""",
    re.I,
)
"""What makes a browser ask another host for something (a plain link to follow, like Quick exit, does not)."""
ALARMING = re.compile(r"Traceback|Uncaught|Exception|\b\w+Error\b")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def ask(base_url: str, method: str, path: str, headers: dict[str, str] | None = None) -> Answer:
    connection = http.client.HTTPConnection(urlsplit(base_url).netloc, timeout=120)
    try:
        connection.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        body = b"{}" if method in {"POST", "PUT", "PATCH", "PROPFIND", "BREW"} else None
        for name, value in {**(headers or {}), **({"Content-Length": "2"} if body else {})}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def raw(base_url: str, request: bytes) -> bytes:
    """Whatever the server sends back to these bytes, until it closes the connection or falls silent."""
    parts = urlsplit(base_url)
    received = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as sock:
        sock.sendall(request)
        try:
            while chunk := sock.recv(65536):
                received += chunk
                sock.settimeout(2)  # an answer has begun: the rest comes at once, or not at all
        except (TimeoutError, ConnectionResetError):
            pass
    return received


def problems(method: str, path: str, answer: Answer) -> list[str]:
    """What is wrong with one answer: a server error, someone else's page, a request to another host."""
    where = f"{method} {path[:80]}"
    text = answer.body.decode("utf-8", "replace")
    found = []
    if answer.status >= 500:
        found.append(f"{where}: {answer.status}")
    if answer.status >= 400 and text and "ck-quick-exit" not in text:
        found.append(f"{where}: {answer.status} with a body that is not our page: {text[:120]!r}")
    if re.search(r"<title>\s*Voil", text) or (answer.status >= 400 and "Voil" in text):
        found.append(f"{where}: Voila's own page")
    if REQUESTED.search(text):
        found.append(f"{where}: asks another host for {REQUESTED.search(text).group(0)!r}")
    if "Traceback" in text or 'File "' in text:
        found.append(f"{where}: a traceback in the page")
    return found


def every_method(base_url: str, paths: list[str], headers: dict[str, str] | None = None) -> list[str]:
    found = []
    for path in paths:
        for method in METHODS:
            found += problems(method, path, ask(base_url, method, path, headers))
    return found


def alarming_lines(log: str) -> list[str]:
    return [line[:200] for line in log.splitlines() if ALARMING.search(line)]


@dataclass
class Served:
    base_url: str
    log_path: Path
    own_link: str = ""
    """A client's own link (path and query), as the coach hands it out."""

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def client_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with coachkit_server(tmp_path_factory.mktemp("methods")) as running:
        store = running.store()
        code = store.add_client("Mo Methods").code
        store.close()
        link = urlsplit(running.link(code))
        yield Served(running.base_url, running.log_path, f"{link.path}?{link.query}")


@pytest.fixture(scope="module")
def dashboard_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("methods-dashboard")
    database_url = f"sqlite:///{folder / 'store.sqlite'}"
    Store(database_url).close()
    log_path = folder / "server.log"
    arguments = ["dashboard", "--database", database_url]
    env = {TOKEN_ENV: TOKEN}
    with running_coachkit(arguments, log_path, ready_path=f"/?token={TOKEN}", env=env) as base_url:
        yield Served(base_url, log_path)


@pytest.mark.parametrize("family", list(ROUTES))
def test_every_method_on_the_client_server(client_server: Served, family: str) -> None:
    found = every_method(client_server.base_url, ROUTES[family])
    assert not found, "\n".join(found)
    assert alarming_lines(client_server.log()) == []


def test_every_method_on_a_clients_own_worksheet_link(client_server: Served) -> None:
    """A real code: GET opens the worksheet (our template); anything else is refused with our page."""
    found = every_method(client_server.base_url, [client_server.own_link])
    assert not found, "\n".join(found)
    assert alarming_lines(client_server.log()) == []


@pytest.mark.parametrize("family", list(ROUTES))
def test_every_method_on_the_dashboard(dashboard_server: Served, family: str) -> None:
    found = every_method(dashboard_server.base_url, ROUTES[family])
    assert not found, "\n".join(found)
    signed_in = {"Authorization": f"token {TOKEN}"}  # the coach's browser, past the token
    found = every_method(dashboard_server.base_url, ROUTES[family], signed_in)
    assert not found, "\n".join(found)
    assert alarming_lines(dashboard_server.log()) == []


def test_every_method_on_the_dashboard_page_itself(dashboard_server: Served) -> None:
    found = every_method(dashboard_server.base_url, [f"/voila/render/dashboard.ipynb?token={TOKEN}"])
    assert not found, "\n".join(found)
    assert alarming_lines(dashboard_server.log()) == []


def test_a_long_path_is_one_short_line_in_the_log(client_server: Served) -> None:
    for method in ("GET", "TRACE"):
        ask(client_server.base_url, method, f"/{LONG}?client={LONG}")
        ask(client_server.base_url, method, f"/voila/render/%ff{LONG}")
    lines = client_server.log().splitlines()
    assert any("more characters" in line for line in lines)
    assert max(len(line) for line in lines) < 1_200


def test_error_pages_are_ours_with_the_coachs_look(client_server: Served) -> None:
    for method, path in [("TRACE", PAGE), ("POST", PAGE), ("GET", "/voila/render/%ff%fe.ipynb")]:
        answer = ask(client_server.base_url, method, path)
        text = answer.body.decode()
        assert answer.status in (400, 403, 405)
        assert re.search(r"<title>\s*Notes\s*</title>", text)
        assert f'class="ck-quick-exit" href="{QUICK_EXIT_URL.default}"' in text
        assert "no-store" in answer.headers["cache-control"]


@pytest.mark.parametrize("server", ["client_server", "dashboard_server"])
def test_what_is_not_http_gets_a_bare_answer_and_no_traceback(
    server: str, request: pytest.FixtureRequest
) -> None:
    served: Served = request.getfixturevalue(server)
    upgrade = (
        b"Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    )
    answers = {
        "a path longer than the server reads": raw(
            served.base_url, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n"
        ),
        "no request line": raw(served.base_url, b"GARBAGE\r\n\r\n"),
        "raw bytes in the path": raw(
            served.base_url, b"GET /voila/render/\xff\x00 HTTP/1.1\r\nConnection: close\r\n\r\n"
        ),
        "a body that never fits": raw(
            served.base_url, b"POST / HTTP/1.1\r\nContent-Length: 99999999999\r\nConnection: close\r\n\r\n"
        ),
        "a broken chunk": raw(
            served.base_url,
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n",
        ),
        "a websocket to a page": raw(
            served.base_url,
            b"GET " + PAGE.encode() + b" HTTP/1.1\r\n" + upgrade + b"Connection: close\r\n\r\n",
        ),
        "a websocket to no kernel": raw(
            served.base_url, f"GET /api/kernels/{KERNEL}/channels HTTP/1.1\r\n".encode() + upgrade + b"\r\n"
        ),
    }
    for what, answer in answers.items():
        head = answer.split(b"\r\n\r\n", 1)[0]
        status = int(head.split()[1]) if head.startswith(b"HTTP/1.1 ") else 0
        assert status < 500, what
        assert b"Traceback" not in answer and "Voilà".encode() not in answer, what
    assert alarming_lines(served.log()) == []
