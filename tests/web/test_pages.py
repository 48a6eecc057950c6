"""The server's own pages: plain, the same whatever went wrong, with the Quick exit bar."""

from __future__ import annotations

import jinja2

from coachkit.web.directory import safe_exit_url
from coachkit.web.pages import Look, error_environment, render

LOOK = Look("Shopping list", "https://weather.example/")


def test_every_page_has_the_neutral_title_and_the_quick_exit_bar():
    for name in ("code", "busy", "wait", "missing"):
        html = render(name, LOOK, "/", action="/voila/render/x.ipynb", again="")
        assert "<title>Shopping list</title>" in html
        assert 'class="ck-quick-exit" href="https://weather.example/"' in html
        assert '<meta name="ck-quick-exit" content="https://weather.example/">' in html
        assert 'role="banner"' in html and "<main" in html


def test_the_coachs_words_are_escaped():
    html = render("missing", Look("<b>Notes</b>", "https://x.example/?a=1&b=2"))
    assert "<title>&lt;b&gt;Notes&lt;/b&gt;</title>" in html
    assert "a=1&amp;b=2" in html


def test_only_a_web_address_may_be_the_quick_exit():
    assert safe_exit_url("https://weather.example/") == "https://weather.example/"
    for unsafe in ("javascript:alert(1)", "data:text/html,x", "/relative", ""):
        assert safe_exit_url(unsafe) == "https://www.google.com/"


def test_jupyter_error_pages_become_ours_and_never_show_the_exception():
    fallback = jinja2.Environment(loader=jinja2.DictLoader({"login.html": "login"}), autoescape=True)
    environment = error_environment(fallback, lambda: LOOK, "/")
    for status in (404, 403, 500):
        html = environment.get_template(f"{status}.html").render(
            status_code=status, message="KeyError: 'secret'", exception="boom"
        )
        assert "<title>Shopping list</title>" in html
        assert "secret" not in html and "boom" not in html
    assert environment.get_template("login.html").render() == "login"


def test_the_error_page_says_what_the_client_can_do_and_nothing_about_the_error():
    words = {
        404: "Nothing here",
        403: "This needs the right link",
        400: "This link does not work",
        405: "This link does not work",
        500: "Something went wrong",
        503: "Something went wrong",
    }
    for status, heading in words.items():
        html = render("error", LOOK, "/", status_code=status)
        assert f"<h1>{heading}</h1>" in html
        assert str(status) not in html.split("<main", 1)[1]
