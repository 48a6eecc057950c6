"""Signing in over plain HTTP, against a real ``coachkit serve``: the link's page, Open, the code form,
leaving; their XSRF checks, cookies and answers to the page's script.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from coachkit.store import Store
from coachkit.web.signin import CODE_WRONG, LINK_USED, OPEN_HEADER, SESSION_COOKIE
from tests.browser.conftest import running_coachkit
from tests.browser.running import PAGE, WORKSHEET, Running, coachkit_server, cookie_header

pytestmark = pytest.mark.browser

ASKING = "Please type the code your coach gave you."
OPEN = {OPEN_HEADER: "1"}
SESSION_SECONDS = 8 * 3600


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with coachkit_server(tmp_path_factory.mktemp("routes")) as running:
        yield running


@pytest.fixture
def code(served: Running) -> str:
    return served.store().add_client("Rue Route").code


def path_of(served: Running, link: str) -> str:
    return link.removeprefix(served.base_url)


def cookies_set(headers: dict[str, str]) -> dict[str, SimpleCookie]:
    """Every cookie a response set, by name (each line parsed on its own, attributes kept)."""
    found = {}
    for line in headers.get("set-cookie", "").splitlines():
        jar: SimpleCookie = SimpleCookie()
        jar.load(line)
        found.update({name: jar for name in jar})
    return found


def live_session_set(headers: dict[str, str]) -> bool:
    jar = cookies_set(headers).get(SESSION_COOKIE)
    return jar is not None and bool(jar[SESSION_COOKIE].value)


def signed_in(served: Running, cookie: str) -> bool:
    """Whether this Cookie header opens the client's page (as the gate sees it; no kernel is needed
    to tell: the code page is answered without one)."""
    status, _, body = served.get(PAGE, headers={"Cookie": cookie})
    return status == 200 and ASKING not in body.decode()


# -- XSRF ---------------------------------------------------------------------------------------


def test_open_without_the_forms_token_is_refused_and_spends_nothing(served: Running, code: str) -> None:
    link = path_of(served, served.link(code))
    action, xsrf, cookie = served.form_of(link)
    _, other_xsrf, other_cookie = served.form_of(link)  # another browser's
    for form, headers in [
        ({}, {}),  # neither
        ({"_xsrf": xsrf}, {}),  # the form's token without its cookie
        ({}, {"Cookie": cookie}),  # the cookie without the form's token
        ({"_xsrf": "2|00000000|" + "0" * 32 + "|1"}, {"Cookie": cookie}),  # a forged token
        ({}, {"Cookie": cookie, **OPEN}),  # the script's header is no token
        ({"_xsrf": xsrf}, {"Cookie": other_cookie}),  # one browser's token with another's cookie
    ]:
        status, sent, body = served.post(action, form, headers)
        assert status == 403, (form, headers)
        assert not live_session_set(sent)
        assert b"Traceback" not in body and b"Quick exit" in body
    assert served.post(action, {"_xsrf": other_xsrf}, {"Cookie": other_cookie})[0] == 303  # still unspent


def test_a_typed_code_without_the_forms_token_is_refused(served: Running, code: str) -> None:
    status, sent, _ = served.post("/coachkit/code", {"code": code})
    assert status == 403
    assert not live_session_set(sent)
    assert served.type_code(code)[0] == 303


def test_leaving_needs_no_token_and_ends_the_browsers_session(served: Running, code: str) -> None:
    cookie = served.sign_in(served.link(code))
    assert signed_in(served, cookie)
    status, sent, _ = served.post("/coachkit/leave", headers={"Cookie": cookie})  # a beacon: no token
    assert status == 204
    assert not live_session_set(sent)
    assert cookies_set(sent)[SESSION_COOKIE][SESSION_COOKIE].value == ""  # and the browser forgets it
    assert not signed_in(served, cookie)
    assert served.post("/coachkit/leave")[0] == 204  # not signed in: nothing to end, nothing said


# -- cookies --------------------------------------------------------------------------------------


def test_the_session_cookie_is_http_only_strict_and_lasts_hours(served: Running, code: str) -> None:
    link = path_of(served, served.link(code))
    action, xsrf, cookie = served.form_of(link)
    status, sent, _ = served.post(action, {"_xsrf": xsrf}, {"Cookie": cookie})
    assert status == 303
    session = cookies_set(sent)[SESSION_COOKIE][SESSION_COOKIE]
    assert len(session.value) >= 22
    assert session["httponly"] is True
    assert session["samesite"] == "Strict"
    assert session["path"] == "/"
    assert int(session["max-age"]) == SESSION_SECONDS
    assert not session["secure"]  # plain HTTP on loopback; over HTTPS it is Secure (test_https)
    xsrf_cookie = cookies_set(served.get(link)[1])["_xsrf"]["_xsrf"]
    assert (xsrf_cookie["httponly"], xsrf_cookie["samesite"]) == (True, "Strict")


def test_the_session_cookie_never_comes_with_the_code_page(served: Running, code: str) -> None:
    link = path_of(served, served.link(code))
    answers = [
        served.get(PAGE),
        served.get(f"{PAGE}?client={code}"),  # an old link, with a real code
        served.get("/coachkit/code"),
        served.get(link),  # the link's page: Open has not been pressed
        served.type_code("ZZZZ-ZZZZ-ZZZZ"),
    ]
    served.sign_in(f"{served.base_url}{link}")
    action, xsrf, cookie = served.form_of(link)
    answers.append(served.post(action, {"_xsrf": xsrf}, {"Cookie": cookie}))  # spent
    for status, sent, _ in answers:
        assert status == 200
        assert not live_session_set(sent)


def test_the_link_page_spends_nothing_and_names_no_one(served: Running) -> None:
    """Mail and chat apps fetch links to preview them: only pressing Open spends one."""
    client = served.store().add_client("Lena Preview")
    link = path_of(served, served.link(client.code, WORKSHEET))
    for _ in range(3):
        status, sent, body = served.get(link)
        assert status == 200 and sent["cache-control"] == "no-store"
        text = body.decode()
        assert 'class="ck-open-form" method="post"' in text
        for secret in ("Lena", client.code, WORKSHEET, "Fight or make it right"):
            assert secret not in text
    assert signed_in(served, served.sign_in(served.base_url + link))


# -- answers to the page's script -----------------------------------------------------------------


def reply(answer: tuple[int, dict[str, str], bytes]) -> dict[str, str]:
    status, sent, body = answer
    assert sent["content-type"].startswith("application/json"), (status, body[:200])
    assert sent["cache-control"] == "no-store"
    return json.loads(body)


def test_open_from_the_script_answers_where_to_go_next(served: Running, code: str) -> None:
    link = path_of(served, served.link(code))
    action, xsrf, cookie = served.form_of(link)
    answer = served.post(action, {"_xsrf": xsrf}, {"Cookie": cookie, **OPEN})
    assert answer[0] == 200
    assert reply(answer) == {"next": PAGE}
    assert live_session_set(answer[1])
    session = cookie_header(answer[1], SESSION_COOKIE)
    assert signed_in(served, session)
    again = served.post(action, {"_xsrf": xsrf}, {"Cookie": cookie, **OPEN})  # spent now
    assert (again[0], reply(again)) == (200, {"next": "/coachkit/code?said=used"})
    assert not live_session_set(again[1])


def test_a_code_from_the_script_answers_where_to_go_next(served: Running, code: str) -> None:
    action, xsrf, cookie = served.form_of(PAGE)
    for typed, expected in [(code.lower(), PAGE), ("ZZZZ-ZZZZ-ZZZZ", "/coachkit/code?said=wrong")]:
        answer = served.post(action, {"_xsrf": xsrf, "code": typed}, {"Cookie": cookie, **OPEN})
        assert (answer[0], reply(answer)) == (200, {"next": expected})
        assert live_session_set(answer[1]) == (expected == PAGE)


@pytest.mark.parametrize(("said", "words"), [("used", LINK_USED), ("wrong", CODE_WRONG)])
def test_the_code_page_says_what_went_wrong_in_fixed_words(served: Running, said: str, words: str) -> None:
    status, sent, body = served.get(f"/coachkit/code?said={said}")
    assert status == 200 and not live_session_set(sent)
    text = body.decode()
    assert ASKING in text
    assert words.replace("'", "&#39;") in text or words in text


def test_the_code_page_shows_nothing_it_is_given(served: Running) -> None:
    _, _, plain = served.get("/coachkit/code")
    for said in ("<script>alert(1)</script>", "Your partner is reading this", "USED", "used2"):
        status, _, body = served.get(f"/coachkit/code?said={quote(said)}")
        assert status == 200
        assert re.sub(rb'value="[^"]*"', b"", body) == re.sub(rb'value="[^"]*"', b"", plain)


def test_too_many_wrong_tries_answer_429_and_the_code_page_waits_too(tmp_path: Path) -> None:
    with coachkit_server(tmp_path / "limited") as served:
        action, xsrf, cookie = served.form_of(PAGE, source="127.0.0.8")

        def try_code(typed: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
            form = {"_xsrf": xsrf, "code": typed}
            return served.post(action, form, {"Cookie": cookie, **headers}, source="127.0.0.8")

        for n in range(5):
            assert try_code(f"ZZZZ-ZZZZ-ZZ{n:02d}", OPEN)[0] == 200
        status, sent, body = try_code("ZZZZ-ZZZZ-ZZZZ", OPEN)
        assert status == 429
        assert 1 <= int(sent["retry-after"]) <= 60
        assert json.loads(body) == {"next": "/coachkit/code"}
        status, sent, body = served.get("/coachkit/code", source="127.0.0.8")  # where the script goes
        assert status == 429 and "Please wait a minute" in body.decode()
        assert try_code("ZZZZ-ZZZZ-ZZZZ", {})[0] == 429  # the plain form too
        assert served.get("/coachkit/code", source="127.0.0.9")[0] == 200  # another address is not held up


# -- under a base URL (a practice's service) --------------------------------------------------------


def test_under_a_base_url_everything_stays_under_it(tmp_path: Path) -> None:
    base = "/services/ana/"
    folder = tmp_path / "based"
    folder.mkdir()
    database_url = f"sqlite:///{folder / 'store.sqlite'}"
    code = Store(database_url).add_client("Ana Based").code
    arguments = ["serve", "--database", database_url, "--base-url", base, "--ready-kernels", "0"]
    with running_coachkit(arguments, folder / "server.log", ready_path=base) as root_url:
        served = Running(root_url + base.rstrip("/"), database_url, folder, folder / "server.log")
        link = served.link(code)
        assert link.startswith(f"{root_url}{base}link/")
        action, xsrf, cookie = served.form_of(urlsplit(link).path)
        assert action == urlsplit(link).path
        status, sent, _ = served.post(action, {"_xsrf": xsrf}, {"Cookie": cookie})
        assert status == 303
        assert sent["location"] == f"{base}voila/render/worksheet.ipynb"
        assert cookies_set(sent)[SESSION_COOKIE][SESSION_COOKIE]["path"] == base
        session = cookie_header(sent, SESSION_COOKIE)
        status, _, body = served.get(f"{base}voila/render/worksheet.ipynb", headers={"Cookie": session})
        assert status == 200 and ASKING not in body.decode()
        assert f'content="{base}coachkit/leave"' in body.decode()  # Quick exit signs out under the base too
