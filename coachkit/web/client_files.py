"""The client page's widget manager and stylesheet: built files, their links, and how they are sent.

``frontend/`` holds their source (ipywidgets' own models and views on a small kernel connection); ``make
client`` builds them with esbuild into ``static/client/``, checked in, so a coach's server never needs
Node. Each built file's name carries a hash of its content, so a link names one version for ever: it is
cached for a year and an upgrade brings new names, never a mix of old and new files. ``manifest.json``
names the current entry script, stylesheet and the chunks the entry imports at once (named in the page's
head, so the browser fetches them together). The build also writes each file compressed, once (``.br``,
``.gz``); the handler sends the smallest the browser accepts.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

from tornado import web

CLIENT_DIR = Path(
    os.environ.get("COACHKIT_CLIENT_FILES") or Path(__file__).resolve().parent / "static" / "client"
)
"""The built files; ``$COACHKIT_CLIENT_FILES`` names a folder built elsewhere (a test's next version)."""
CLIENT_PREFIX = "coachkit/static/client/"
YEAR_SECONDS = 365 * 24 * 3600
NAME = re.compile(r"[\w-]+\.(?:js|css|txt|woff2?|svg)")
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
"""Content codings the build writes, best first."""


@cache
def manifest() -> dict[str, object]:
    """What the build made: ``js`` (the entry), ``css``, ``preload`` (chunks the entry imports)."""
    return json.loads((CLIENT_DIR / "manifest.json").read_text())


def stylesheet() -> Path:
    """The built stylesheet (the client page carries it inline)."""
    return CLIENT_DIR / str(manifest()["css"])


def links(base_url: str) -> dict[str, object]:
    """Links to the current built files, for the page's head."""
    built = manifest()
    prefix = f"{base_url}{CLIENT_PREFIX}"
    return {
        "widgetsJs": prefix + str(built["js"]),
        "widgetsCss": prefix + str(built["css"]),
        "widgetsPreload": [prefix + str(name) for name in built.get("preload", [])],  # type: ignore[attr-defined]
    }


def accepted(header: str) -> set[str]:
    """The content codings an ``Accept-Encoding`` header accepts (``q=0`` refuses one)."""
    codings = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name and not re.search(r"q\s*=\s*0(?:\.0*)?\s*$", params):
            codings.add(name.strip().lower())
    return codings


class BuiltFileHandler(web.StaticFileHandler):
    """``static/client/NAME``: a built file, cached for a year, compressed as the browser accepts (tornado's
    compression adds ``Vary: Accept-Encoding`` and leaves a response that has its coding alone)."""

    encoding: str | None = None

    def parse_url_path(self, url_path: str) -> str:
        if not NAME.fullmatch(url_path):
            raise web.HTTPError(404)
        self.original = url_path
        codings = accepted(self.request.headers.get("Accept-Encoding", ""))
        for coding, suffix in ENCODINGS:
            if coding in codings and os.path.isfile(os.path.join(self.root, url_path + suffix)):
                self.encoding = coding
                return url_path + suffix
        return url_path

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        if not os.path.isfile(absolute_path):
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)

    def get_content_type(self) -> str:
        if self.original.endswith(".js"):
            return "text/javascript; charset=UTF-8"
        if self.original.endswith(".css"):
            return "text/css; charset=UTF-8"
        return super().get_content_type()

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", f"public, max-age={YEAR_SECONDS}, immutable")
        if self.encoding:
            self.set_header("Content-Encoding", self.encoding)
