"""The small pages the client server answers itself, without a kernel: code, busy, wait, nothing here.

Each carries the coach's neutral tab title, the Quick exit bar and its script, and says nothing about
which codes or worksheets exist. The shared script and stylesheet (``static/``) are served with a
content hash in their link, so browsers may keep them for a year.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

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


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(PAGES_DIR), autoescape=True)


def render(name: str, look: Look, base_url: str = "/", **context: object) -> str:
    """One of ``pages/NAME.html`` as HTML."""
    template = _environment().get_template(f"{name}.html")
    return template.render(look=look, assets=assets(base_url), **context)


def client_top(look: Look, base_url: str, painted: str, widgets: dict[str, object], css: Path) -> str:
    """The top of a client's page (``pages/client.html``), sent before its kernel starts: the head
    (with the widgets' stylesheet ``css`` inline too), the Quick exit bar and ``painted``, the first
    screen (HTML escaped by ``prepaint``)."""
    style = Markup(asset_text(css))
    return render("client", look, base_url, widgets=widgets, painted=Markup(painted), widget_style=style)


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

    environment = fallback.overlay(loader=jinja2.ChoiceLoader([jinja2.FunctionLoader(ours), fallback.loader]))
    environment.globals.update(look=_Current(look), assets=assets(base_url))
    return environment


class _Current:
    """The look as it is when a page is drawn (the coach may change it while the server runs)."""

    def __init__(self, look: Callable[[], Look]) -> None:
        self._look = look

    def __getattr__(self, name: str) -> str:
        return getattr(self._look(), name)
