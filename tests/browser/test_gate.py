"""The gate: no kernel starts for a browser that is not signed in as a client, and guessing is slowed down.

A real ``coachkit serve``; kernels are counted as real processes (``running.Running.kernels``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from coachkit.web.signin import SESSION_COOKIE
from tests.browser.running import PAGE, WORKSHEET, Running, coachkit_server

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
RENDER = PAGE
ASKING = "Please type the code your coach gave you."
XSRF = re.compile(rb'name="_xsrf" value="[^"]*"')


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with coachkit_server(tmp_path_factory.mktemp("gate")) as running:
        yield running


def without_xsrf(body: bytes) -> bytes:
    """A page with its form's XSRF token (different on every response) blanked out."""
    return XSRF.sub(b'name="_xsrf" value=""', body)


def sets_no_session(headers: dict[str, str]) -> bool:
    """No live session cookie is set: at most an empty, expired one that clears it."""
    for line in headers.get("set-cookie", "").splitlines():
        jar: SimpleCookie = SimpleCookie()
        jar.load(line)
        if SESSION_COOKIE not in jar:
            continue
        morsel = jar[SESSION_COOKIE]
        expired = morsel["max-age"] == "0" or (
            bool(morsel["expires"]) and parsedate_to_datetime(morsel["expires"]) < dt.datetime.now(dt.UTC)
        )
        if morsel.value or not expired:
            return False
    return True


@pytest.mark.parametrize(
    ("query", "cookie"),
    [
        ("", ""),
        ("?client=", ""),
        ("?client=ZZZZ-ZZZZ-ZZZZ", ""),
        ("?client=hello", ""),
        ("?client=%00", ""),
        (f"?sheet={WORKSHEET}&client=A&client=B", ""),
        ("?resume=1", ""),
        ("?session=1", ""),
        ("", f"{SESSION_COOKIE}=forged-token"),
        ("", f"{SESSION_COOKIE}={'x' * 200}"),
    ],
    ids=[
        "nothing",
        "empty code",
        "unknown code",
        "malformed code",
        "nul byte",
        "two codes",
        "only resume",
        "a session id",
        "forged cookie",
        "long cookie",
    ],
)
def test_a_browser_that_is_not_signed_in_gets_the_same_code_page_and_no_kernel(
    served: Running, query: str, cookie: str
) -> None:
    headers = {"Cookie": cookie} if cookie else {}
    status, sent, body = served.get(RENDER + query, headers=headers, source="127.0.0.3")
    reference = served.get(RENDER, source="127.0.0.3")
    assert (status, without_xsrf(body)) == (reference[0], without_xsrf(reference[2]))  # identical
    assert status == 200
    assert sent["cache-control"] == "no-store"
    assert sets_no_session(sent)
    text = body.decode()
    assert ASKING in text
    assert "Quick exit" in text
    assert 'name="code"' in text
    assert WORKSHEET not in text  # the code page names no worksheet, whatever was asked for
    assert served.kernels() == []


def test_the_gate_checks_every_render_link_whatever_notebook_it_names(served: Running) -> None:
    cookie = {"Cookie": served.sign_in(served.link(served.store().add_client("Nico Notebook").code))}
    for path in ("/voila/render/anything.ipynb", "/voila/render/../coach/dashboard.ipynb", "/voila/render/"):
        status, _, body = served.get(path + "?client=ZZZZ-ZZZZ-ZZZZ", source="127.0.0.4")
        assert (status, ASKING in body.decode()) == (200, True)  # an old link: its code is in the history
        for headers in ({}, cookie):  # even signed in, nothing but the client's page is served
            status, _, body = served.get(path, headers=headers, source="127.0.0.4")
            assert status == 404
            assert ASKING not in body.decode() and "Quick exit" in body.decode()
    assert served.kernels() == []


def test_a_client_who_types_their_code_gets_their_own_page(served: Running, phone: Page) -> None:
    client = served.store().add_client("Gale Gate")
    phone.goto(served.base_url + RENDER)
    expect(phone.get_by_text(ASKING)).to_be_visible()
    assert served.kernels() == []
    entries = phone.evaluate("history.length")
    phone.get_by_label("Your code").fill(client.code.lower().replace("-", " "))
    phone.get_by_role("button", name="Continue").click()
    phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(phone.get_by_text("Hello Gale.")).to_be_visible()
    assert len(served.kernels()) == 1
    assert phone.evaluate("history.length") == entries  # the code page was replaced, not kept behind
    assert phone.url == served.base_url + RENDER  # the address names nothing
    assert client.code not in phone.url


def test_wrong_codes_from_one_address_are_slowed_down_and_then_not_even_checked(tmp_path: Path) -> None:
    with coachkit_server(tmp_path / "limited") as served:
        client = served.store().add_client("Rae Right")
        for n in range(5):
            status, _, body = served.type_code(f"ZZZZ-ZZZZ-ZZ{n:02d}", source="127.0.0.5")
            assert (status, ASKING in body.decode()) == (200, True)
        status, headers, body = served.type_code("ZZZZ-ZZZZ-ZZZZ", source="127.0.0.5")
        assert status == 429
        assert 1 <= int(headers["retry-after"]) <= 60
        assert "Please wait a minute" in body.decode()
        # Past the limit even the right code goes unchecked from that address, and no link opens either.
        status, headers, _ = served.type_code(client.code, source="127.0.0.5")
        assert status == 429
        assert sets_no_session(headers)
        key = served.link(client.code).rsplit("/", 1)[1]
        action, xsrf, cookie = served.form_of(f"/link/{key}", source="127.0.0.5")
        assert served.post(action, {"_xsrf": xsrf}, {"Cookie": cookie}, source="127.0.0.5")[0] == 429
        assert served.kernels() == []
        # Another address is not held up by someone else's guesses.
        status, headers, _ = served.type_code(client.code, source="127.0.0.6")
        assert status == 303
        assert f"{SESSION_COOKIE}=" in headers["set-cookie"]
        log = served.log()
        assert client.code not in log and key not in log
        assert not re.search(r"client=(?!\[hidden\])", log)


def test_spent_links_count_as_wrong_tries(tmp_path: Path) -> None:
    with coachkit_server(tmp_path / "spent") as served:
        client = served.store().add_client("Sol Spent")
        link = served.link(client.code)
        served.sign_in(link, source="127.0.0.7")
        for _ in range(5):
            action, xsrf, cookie = served.form_of(link.removeprefix(served.base_url), source="127.0.0.7")
            status, _, body = served.post(action, {"_xsrf": xsrf}, {"Cookie": cookie}, source="127.0.0.7")
            assert (status, ASKING in body.decode()) == (200, True)
            assert "already been used" in body.decode()
        assert served.post(action, {"_xsrf": xsrf}, {"Cookie": cookie}, source="127.0.0.7")[0] == 429


def test_behind_a_proxy_the_forwarded_address_counts_and_a_forged_one_does_not_help(tmp_path: Path) -> None:
    with coachkit_server(tmp_path / "proxied", "--behind-proxy") as served:
        client = served.store().add_client("Pat Proxy")
        action, xsrf, cookie = served.form_of(RENDER)

        def type_code(code: str, forwarded: dict[str, str]) -> int:
            form = {"_xsrf": xsrf, "code": code}
            return served.post(action, form, {"Cookie": cookie, **forwarded})[0]

        for n in range(5):
            # The proxy appends the address it saw; whatever the client put before it is ignored.
            forged = {"X-Forwarded-For": f"10.9.9.{n}, 203.0.113.7", "X-Real-Ip": f"10.8.8.{n}"}
            assert type_code(f"ZZZZ-ZZZZ-ZZ{n:02d}", forged) == 200
        assert type_code("ZZZZ-ZZZZ-ZZZZ", {"X-Forwarded-For": "10.1.1.1, 203.0.113.7"}) == 429
        assert type_code(client.code, {"X-Forwarded-For": "198.51.100.2"}) == 303


def pids(served: Running) -> set[int]:
    return {kernel.pid for kernel in served.kernels()}


def test_a_link_handed_out_before_opens_only_the_code_page(served: Running, phone: Page) -> None:
    """Old links carry the client's code, and sit in browsers' histories: they open nothing now."""
    client = served.store().add_client("Olly Oldlink")
    before = pids(served)
    old_links = [
        f"/voila/render/{WORKSHEET}.ipynb?client={client.code}",
        f"/voila/render/worksheet.ipynb?sheet={WORKSHEET}&client={client.code}",
        f"/voila/render/history.ipynb?client={client.code}",
    ]
    for old in old_links:
        status, headers, body = served.get(old)
        assert status == 200
        assert ASKING in body.decode() and "Olly" not in body.decode()
        assert sets_no_session(headers)
    assert pids(served) == before  # no kernel
    phone.goto(served.base_url + old_links[0])
    expect(phone.get_by_text(ASKING)).to_be_visible()
    expect(phone.get_by_text("Olly")).to_have_count(0)


def test_a_signed_in_browser_gets_the_clients_page_and_no_other(served: Running) -> None:
    ana, bo = (served.store().add_client(name) for name in ("Ana Own", "Bo Other"))
    cookie = served.sign_in(served.link(ana.code, WORKSHEET))
    # The page's address carries nothing: another client's code in it changes nothing.
    for query in ("", f"?client={bo.code}", f"?session=1&sheet={WORKSHEET}"):
        status, _, body = served.get(RENDER + query, headers={"Cookie": cookie})
        assert status == 200
        page = body.decode()
        assert "<h1>Fight or make it right?</h1><p>Hello Ana.</p>" in page  # Ana's first step, painted
        assert 'id="ck-view"' in page  # and the kernel's widgets, for her
        assert "Hello Bo" not in page and "Bo Other" not in page and bo.code not in page  # never Bo's
    store = served.store()
    assert [r.worksheet_id for r in store.find_responses(ana.id)] == [WORKSHEET]  # one draft, Ana's
    assert store.find_responses(bo.id) == []
    store.close()


def test_open_on_a_spent_link_is_counted_once_and_leaves_the_code_page_saying_so(
    tmp_path: Path, browser
) -> None:  # type: ignore[no-untyped-def]
    """The page's script sends Open once, and whatever the answer, replaces the link's page with the next
    one. (It used to send it again as a plain form when the answer was not the client's page, so each
    press on a spent link counted twice, and the third locked the client out of typing their code.)"""
    with coachkit_server(tmp_path / "pressed") as served:
        client = served.store().add_client("Pia Pressed")
        link = served.link(client.code)
        served.sign_in(link)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        try:
            page = context.new_page()
            posts: list[str] = []
            page.on(
                "request", lambda request: posts.append(request.url) if request.method == "POST" else None
            )
            for _ in range(4):
                page.goto(link)
                page.get_by_role("button", name="Open").click()
                expect(page.get_by_text("This link has already been used")).to_be_visible()
                assert page.url == f"{served.base_url}/coachkit/code?said=used"  # the link left the history
            assert posts == [link] * 4
            # Four spent links, then the right code: still welcome (five wrong tries are allowed).
            page.get_by_label("Your code").fill(client.code)
            page.get_by_role("button", name="Continue").click()
            page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
            expect(page.get_by_text("Hello Pia.")).to_be_visible()
        finally:
            context.close()


def test_a_wrong_code_typed_in_the_page_says_so_and_keeps_no_code_page_behind(
    served: Running, phone: Page
) -> None:
    phone.goto(served.base_url + RENDER)
    entries = phone.evaluate("history.length")
    phone.get_by_label("Your code").fill("ZZZZ-ZZZZ-ZZZZ")
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_text("We don't recognize that code")).to_be_visible()
    assert phone.url == f"{served.base_url}/coachkit/code?said=wrong"
    assert phone.evaluate("history.length") == entries
    assert "ZZZZ" not in phone.url
