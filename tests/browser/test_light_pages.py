"""Light pages: every text response compressed, versioned files cached for a year, nothing fetched from
any other host, no listing or contents API, and every unknown path a plain 404 (never a 500).
"""

from __future__ import annotations

import gzip
import re
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from coachkit.web.directory import LOOK_SECONDS
from coachkit.web.signin import SESSION_COOKIE
from tests.browser.conftest import follow_link
from tests.browser.running import PAGE, WORKSHEET, Running, coachkit_server

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
YEAR = 365 * 24 * 3600
GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with coachkit_server(tmp_path_factory.mktemp("light")) as running:
        yield running


def client_page(served: Running, name: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """A new client's worksheet page, fetched as their browser would once signed in by their link."""
    code = served.store().add_client(name).code
    cookie = served.sign_in(served.link(code, WORKSHEET))
    return served.get(PAGE, headers={"Cookie": cookie, **(headers or {})})


@pytest.fixture(scope="module")
def loaded(served: Running, browser) -> Iterator[dict]:  # type: ignore[no-untyped-def]
    """One first visit in a fresh browser: every request and response, and what the console said."""
    code = served.store().add_client("Lu Light").code
    context = browser.new_context()
    page = context.new_page()
    seen: dict = {"requests": [], "responses": [], "console": [], "failed": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("requestfailed", lambda request: seen["failed"].append(request.url))
    page.on("console", lambda message: seen["console"].append(message.text))
    page.on("response", lambda response: seen["responses"].append(response))
    follow_link(page, served.link(code), LOAD_TIMEOUT_MS)
    page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    page.wait_for_timeout(1_500)
    seen["headers"] = {response.url: response.all_headers() for response in seen["responses"]}
    seen["page"] = page
    yield seen
    context.close()


def test_every_request_of_a_client_page_goes_to_coachkit_itself(served: Running, loaded: dict) -> None:
    origin = urlsplit(served.base_url).netloc
    elsewhere = [url for url in loaded["requests"] if urlsplit(url).netloc not in {origin, ""}]
    assert elsewhere == []
    assert loaded["failed"] == []
    assert not any("fontawesome" in url or "jsdelivr" in url for url in loaded["requests"])
    assert not [text for text in loaded["console"] if "Content Security Policy" in text]


def test_every_text_response_is_compressed(served: Running, loaded: dict) -> None:
    texts = {
        url: headers
        for url, headers in loaded["headers"].items()
        if re.match(r"(text/|application/(javascript|json))", headers.get("content-type", ""))
        and int(headers.get("content-length", "2000")) > 1024
        and "/api/kernels/" not in url
    }
    assert len(texts) >= 4  # the page and the widgets' scripts
    plain = {
        url: h.get("content-encoding")
        for url, h in texts.items()
        if h.get("content-encoding") not in {"gzip", "br"}
    }
    assert plain == {}


def test_the_page_itself_streams_compressed_and_is_never_cached(served: Running) -> None:
    status, headers, body = client_page(served, "Gus Gzip", GZIP)
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "no-store" in headers["cache-control"]
    html = gzip.decompress(body).decode()
    assert 'id="jupyter-config-data"' in html and 'id="ck-prepaint"' in html
    assert headers["referrer-policy"] == "no-referrer"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def max_age(headers: dict[str, str]) -> int:
    found = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
    return int(found.group(1)) if found else 0


def test_versioned_files_are_cached_for_a_year(loaded: dict) -> None:
    versioned = {
        url: headers
        for url, headers in loaded["headers"].items()
        if re.search(r"/coachkit/static/client/[\w-]+-[0-9A-Z]{8}\.js|[?&]v=", url)
    }
    assert len(versioned) >= 4  # the widgets' scripts, each named by its content
    short = {url: h.get("cache-control") for url, h in versioned.items() if max_age(h) < YEAR}
    assert short == {}


def test_a_second_visit_fetches_almost_nothing_again(served: Running, loaded: dict) -> None:
    page = loaded["page"]
    again: list[str] = []
    page.on("request", lambda request: again.append(request.url))
    page.reload()
    page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    fetched = [url for url in again if "/static/" in url]
    served_again = [
        url
        for url in fetched
        if page.evaluate("(u) => performance.getEntriesByName(u)[0]?.transferSize", url)
    ]
    assert served_again == []


def test_the_tab_title_is_the_coachs_neutral_one(served: Running, loaded: dict) -> None:
    assert loaded["page"].title() == "Notes"
    served.store().set_setting("page_title", "Shopping list")
    time.sleep(LOOK_SECONDS + 0.5)  # the server reads the coach's settings again after this long
    _, _, body = client_page(served, "Tia Title")
    assert re.search(r"<title>\s*Shopping list\s*</title>", body.decode())
    _, _, gate = served.get(PAGE)
    assert re.search(r"<title>\s*Shopping list\s*</title>", gate.decode())
    _, _, link_page = served.get(
        served.link(served.store().add_client("Lin Link").code).removeprefix(served.base_url)
    )
    assert re.search(r"<title>\s*Shopping list\s*</title>", link_page.decode())
    assert WORKSHEET not in re.search(r"<title>(.*?)</title>", body.decode(), re.S).group(1)
    served.store().set_setting("page_title", "Notes")


@pytest.mark.parametrize(
    "path",
    [
        "/voila/tree",
        "/voila/tree/fight-or-make-it-right.ipynb",
        "/voila/api/contents",
        "/voila/api/contents/fight-or-make-it-right.ipynb",
        "/voila/files/fight-or-make-it-right.ipynb",
        "/api/contents",
        "/api/sessions",
        "/api/kernels",
        "/login",
        "/logout",
        "/voila/templates/nothing/static/x.js",
        "/voila/templates/lab/x",
        "/voila/templates/lab/static/..%2F..%2Fconf.json",
        "/voila/render/x%00.ipynb?client=ZZZZ-ZZZZ-ZZZZ",
        "/voila/static/%00",
        "/voila/static/no-such.js",
        "/voila/labextensions/%00",
        "/voila/api/themes/%00",
        "/%00",
        "/no/such/page",
    ],
)
def test_no_listing_no_contents_and_unknown_paths_are_404(served: Running, path: str) -> None:
    status, _, body = served.get(path)
    assert status == 404, body[:200]
    assert b"Traceback" not in body
    assert b'"writable"' not in body


def test_the_home_page_lists_nothing(served: Running) -> None:
    status, _, body = served.get("/")
    assert status == 200
    assert b".ipynb" not in body
    assert b"Please open the link your coach gave you." in body


def test_cookies_are_http_only_strict_and_short_lived(loaded: dict) -> None:
    page: Page = loaded["page"]
    cookies = page.context.cookies()
    assert SESSION_COOKIE in {cookie["name"] for cookie in cookies}
    now = page.evaluate("Date.now() / 1000")
    for cookie in cookies:
        assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Strict")
        assert 0 < cookie["expires"] - now <= 8 * 3600 + 60


def test_the_page_names_every_script_it_needs_in_its_head_and_no_other(served: Running, loaded: dict) -> None:
    fetched = {urlsplit(url).path for url in loaded["requests"] if "/static/client/" in url}
    _, _, body = client_page(served, "Pia Preload")
    head = body.decode().split("</head>", 1)[0]
    named = re.findall(r'<script type="module" async src="([^"]+)"></script>', head)
    named += re.findall(r'<link rel="modulepreload" href="([^"]+)">', head)
    assert len(named) >= 3
    assert {urlsplit(link).path for link in named} == fetched  # all at once, and nothing else
    assert all(link.startswith("/coachkit/static/client/") for link in named)


def test_the_widgets_files_go_compressed_as_the_browser_accepts(served: Running, loaded: dict) -> None:
    script = next(url for url in loaded["requests"] if "/static/client/client-" in url)
    path = urlsplit(script).path
    status, headers, body = served.get(path, {"Accept-Encoding": "gzip, br"})
    assert (status, headers["content-encoding"]) == (200, "br")
    assert headers["content-type"].startswith("text/javascript")
    status, headers, gzipped = served.get(path, {"Accept-Encoding": "gzip"})
    assert (status, headers["content-encoding"]) == (200, "gzip")
    status, headers, plain = served.get(path, {"Accept-Encoding": "identity"})
    assert status == 200 and "content-encoding" not in headers
    assert gzip.decompress(gzipped) == plain and len(body) < len(gzipped) < len(plain)
    assert max_age(headers) >= YEAR and "immutable" in headers["cache-control"]
    assert served.get("/coachkit/static/client/no-such-ABCDEFGH.js")[0] == 404
    assert served.get("/coachkit/static/client/..%2Fpage.js")[0] == 404
