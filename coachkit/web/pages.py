"""The small pages the client server answers itself, without a kernel: code, busy, wait, nothing here.

Each carries the coach's neutral tab title, the Quick exit bar and its script, and says nothing about
which codes or worksheets exist. The shared script and stylesheet (``static/``) are served with a
content hash in their link, so browsers may keep them for a year.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGES_DIR = Path(__file__).resolve().parent / "pages"
STATIC_PREFIX = "coachkit/static/"


@dataclass(frozen=True)
class Look:
    """What every client page shows whatever its content: the tab title and where Quick exit goes."""

    page_title: str
    quick_exit_url: str


@cache
def asset_version(name: str) -> str:
    """A short hash of one of our static files, for its link (a new version gets a new link)."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:16]


def asset_url(base_url: str, name: str) -> str:
    return f"{base_url}{STATIC_PREFIX}{name}?v={asset_version(name)}"


def assets(base_url: str) -> dict[str, str]:
    """Links to the page script and stylesheet every client page loads."""
    return {"js": asset_url(base_url, "page.js"), "css": asset_url(base_url, "page.css")}


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(PAGES_DIR), autoescape=True)


def render(name: str, look: Look, base_url: str = "/", **context: str) -> str:
    """One of ``pages/NAME.html`` as HTML."""
    template = _environment().get_template(f"{name}.html")
    return template.render(
        page_title=look.page_title, quick_exit_url=look.quick_exit_url, assets=assets(base_url), **context
    )
