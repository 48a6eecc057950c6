"""Voila's static files (the dashboard's page): cached for a year when their link names their version,
never a 500. (A client's page loads none of them: see ``client_files.py``.)

Voila's own scripts (``voila/static``) are loaded by name only (``5764.voila.js``), so their link gets
the installed Voila's version in it (``voila/static/v<hash>/…``, see ``versioned_static_url``): a
browser keeps them until Voila changes. Labextension files carry a content hash in their names, which
jupyter_server ignores (it sends ``no-cache``). Template files carry ``?v=<hash>``. Everything else is
revalidated as before. A malformed path (an unknown template, a missing ``static/`` part) is a 404.
Compressible files are compressed once and kept (``compressed.Precompressed``).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from jupyter_server.base.handlers import FileFindHandler
from tornado import web
from voila import __version__ as voila_version
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler

from coachkit.web.compressed import Precompressed

YEAR_SECONDS = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR_SECONDS}, immutable"
CONTENT_HASH = re.compile(r"[.-][0-9a-f]{16,}\.(?:js|css|woff2?|ttf|svg)$")
"""A file name that changes whenever its content does (``remoteEntry.5cbb9d2323598fbda535.js``)."""


def static_version(paths: list[str]) -> str:
    """A short key for Voila's static files as installed: its version and every file's name and size."""
    digest = hashlib.sha256(voila_version.encode())
    for root in paths:
        if os.path.isdir(root):
            for name in sorted(os.listdir(root)):
                path = os.path.join(root, name)
                size = os.path.getsize(path) if os.path.isfile(path) else 0
                digest.update(f"{name}:{size};".encode())
    return digest.hexdigest()[:12]


def versioned_static_url(base_url: str, version: str) -> str:
    return f"{base_url}voila/static/v{version}"


class VoilaStaticHandler(Precompressed, MultiStaticFileHandler):
    """Voila's static folder; a file that is not there is a 404 (tornado says 403 for these)."""

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        if not os.path.isfile(absolute_path):
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)


class VersionedStaticHandler(VoilaStaticHandler):
    """Voila's static folder under a link that names its version: cached for a year."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", IMMUTABLE)


class HashedLabextensionHandler(Precompressed, FileFindHandler):
    """Labextension files: those named by their content hash are cached for a year."""

    def set_headers(self) -> None:
        super().set_headers()
        if CONTENT_HASH.search(self.request.path) or "v" in self.request.arguments:
            self.set_header("Cache-Control", IMMUTABLE)


class SafeTemplateStaticHandler(Precompressed, TemplateStaticFileHandler):
    """Voila's template static files; a malformed path is a 404, not a 500."""

    def parse_url_path(self, path: str) -> str:
        try:
            return super().parse_url_path(path)
        except (ValueError, AssertionError) as error:
            raise web.HTTPError(404) from error

    @classmethod
    def get_absolute_path(cls, root: str, path: str) -> str:
        try:
            return super().get_absolute_path(root, path)
        except (ValueError, AssertionError) as error:
            raise web.HTTPError(404) from error


class OwnStaticHandler(Precompressed, web.StaticFileHandler):
    """coachkit's own page script and stylesheet (``coachkit/web/static``), linked with ``?v=<hash>``."""


def is_worksheet(root_dir: str, path: str | None) -> bool:
    """Whether ``path`` names a notebook in the served folder (no hidden parts, no tricks)."""
    if not path or not re.fullmatch(r"[\w-]+(?:/[\w-]+)*\.ipynb", path):
        return False
    return (Path(root_dir) / path).is_file()
