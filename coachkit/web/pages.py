"""The small pages the client server answers itself, without a kernel: code, busy, wait, nothing here.

Each carries the coach's neutral tab title, the Quick exit bar and its script, and says nothing about
which codes or worksheets exist. The shared script and stylesheet (``static/``) are served with a
content hash in their link, so browsers may keep them for a year.

Each is written in the reader's language from its first byte (``<html lang dir>``, and every word through
Jinja's i18n extension and coachkit's catalog), and carries the page script's own words in that
language (``ck-words``, from ``PAGE_WORDS``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from coachkit.i18n import DEFAULT, ENGLISH, N_, Words, words_for

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGES_DIR = Path(__file__).resolve().parent / "pages"
STATIC_PREFIX = "coachkit/static/"


@dataclass(frozen=True)
class Look:
    """What every client page shows whatever its content: the tab title and where Quick exit goes."""

    page_title: str
    quick_exit_url: str
    idle_minutes: int = 30
    """How long a client's page stays open without use (the coach's ``session_minutes``)."""
    titles: tuple[tuple[str, str], ...] = ()
    """The tab title in each language other than English (``settings.said_in``)."""

    def title_in(self, language: str) -> str:
        """The tab title a page in ``language`` shows."""
        return dict(self.titles).get(language, self.page_title)


@cache
def asset_version(name: str) -> str:
    """A short hash of one of our static files, for its link (a new version gets a new link)."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:16]


@cache
def asset_text(path: Path) -> str:
    """A static file's text, read once (the client page carries its stylesheets and script inline)."""
    return path.read_text()


def asset_url(base_url: str, name: str) -> str:
    return f"{base_url}{STATIC_PREFIX}{name}?v={asset_version(name)}"


def assets(base_url: str) -> dict[str, str]:
    """The page script and stylesheet every client page has (their links, and their text, which the
    server's own pages carry inline: on a phone's first visit each file a page must wait for before it
    draws anything costs a round trip, more than their few compressed kilobytes cost inline), and where
    Quick exit signs out."""
    return {
        "js": asset_url(base_url, "page.js"),
        "css": asset_url(base_url, "page.css"),
        "script": Markup(asset_text(STATIC_DIR / "page.js")),
        "style": Markup(asset_text(STATIC_DIR / "page.css")),
        "leave": f"{base_url}coachkit/leave",
    }


PAGE_WORDS = {
    "quick_exit": N_("Quick exit"),
    "loading": N_("One moment…"),
    "lost": N_(
        "We've lost touch with the server. Please keep this page open: what you type stays here, and is "
        "saved once we're back in touch."
    ),
    "gave_way": N_(
        "Your page is now open in another tab or window, so this one has stopped here. Anything you typed "
        "here is still on this page, so you can copy it across."
    ),
    "carry_on": N_("Carry on here instead"),
    "not_saved": N_(
        "We couldn't save what you typed while we were out of touch. It is below, so you can copy it "
        "before going on."
    ),
    "go_on": N_("Go on to what was saved"),
    "you_typed": N_("What you typed"),
}
"""What the page's script (``static/page.js``) and the client page's template say, by name: written
into each page in its language (the script itself holds no words, so none escapes the catalog)."""


def page_words(words: Words) -> dict[str, str]:
    """``PAGE_WORDS`` in ``words``' language."""
    return {name: words(text) for name, text in PAGE_WORDS.items()}


def page_words_json(words: Words) -> str:
    """``page_words`` as the JSON the ``ck-words`` meta tag carries."""
    return json.dumps(page_words(words), ensure_ascii=False, separators=(",", ":"))


@cache
def _environment(language: str = DEFAULT) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGES_DIR), autoescape=True, extensions=["jinja2.ext.i18n"]
    )
    environment.install_gettext_translations(words_for(language).translations, newstyle=True)  # type: ignore[attr-defined]
    return environment


def render(name: str, look: Look, base_url: str = "/", words: Words = ENGLISH, **context: object) -> str:
    """One of ``pages/NAME.html`` as HTML, in ``words``' language."""
    template = _environment(words.language).get_template(f"{name}.html")
    language = {"code": words.language, "dir": words.direction, "words": page_words_json(words)}
    return template.render(look=look, assets=assets(base_url), language=language, **context)


def client_top(
    look: Look,
    base_url: str,
    painted: str,
    widgets: dict[str, object],
    css: Path,
    words: Words = ENGLISH,
) -> str:
    """The top of a client's page (``pages/client.html``), sent before its kernel starts, in ``words``'
    language: the head (with the widgets' stylesheet ``css`` inline too), the Quick exit bar and
    ``painted``, the first screen (HTML escaped by ``prepaint``, in the same language)."""
    style = Markup(asset_text(css))
    return render(
        "client", look, base_url, words, widgets=widgets, painted=Markup(painted), widget_style=style
    )


def error_environment(
    fallback: jinja2.Environment, look: Callable[[], Look], base_url: str
) -> jinja2.Environment:
    """jupyter_server's template environment, with its error pages (``404.html``, ``error.html``…)
    replaced by ours: the same bar and plain words, never an exception's message."""

    def ours(name: str) -> str | None:
        if name == "error.html" or re.fullmatch(r"\d{3}\.html", name):
            return (PAGES_DIR / "error.html").read_text()
        if name == "page.html":
            return (PAGES_DIR / "page.html").read_text()
        return None

    environment = fallback.overlay(
        loader=jinja2.ChoiceLoader([jinja2.FunctionLoader(ours), fallback.loader]),
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    language = {"code": DEFAULT, "dir": "ltr", "words": page_words_json(ENGLISH)}
    environment.globals.update(look=_Current(look), assets=assets(base_url), language=language)
    return environment


class _Current:
    """The look as it is when a page is drawn (the coach may change it while the server runs)."""

    def __init__(self, look: Callable[[], Look]) -> None:
        self._look = look

    def __getattr__(self, name: str) -> str:
        return getattr(self._look(), name)
