"""Static files compressed once, not for every request.

Tornado's ``compress_response`` compresses each response as it is written. For the ~95 static files of a
Voila page that is the same work again for every new visitor, on the two cores the clients' kernels and
pages share. Static handlers with ``Precompressed`` send a compressible file from a cache of compressed
copies instead (made at the highest level, once per file and version); the page itself, which streams
while its notebook runs, is still compressed on the fly.
"""

from __future__ import annotations

import gzip
import mimetypes
import os

GZIP_LEVEL = 9
_compressed: dict[tuple[str, int, int], bytes] = {}
"""Compressed static files by path, modification time and size: each is compressed once, not per request."""


def compressed(path: str) -> bytes:
    """The file at ``path``, gzip-compressed (once; kept while the file stays the same)."""
    info = os.stat(path)
    key = (path, info.st_mtime_ns, info.st_size)
    if key not in _compressed:
        with open(path, "rb") as file:
            _compressed[key] = gzip.compress(file.read(), compresslevel=GZIP_LEVEL, mtime=0)
    return _compressed[key]


def compressible(path: str) -> bool:
    kind = mimetypes.guess_type(path)[0] or ""
    return kind.startswith(("text/", "application/javascript", "application/json", "image/svg+xml"))


class Precompressed:
    """For a static file handler: compressible files go out compressed from ``compressed``'s cache.

    Tornado's ``compress_response`` compresses every response again; on a small server that is CPU taken
    from the clients' pages, for the same 95 files each first visit. Range requests are served as usual.
    """

    async def get(self, path: str, include_body: bool = True) -> None:
        headers = self.request.headers  # type: ignore[attr-defined]
        if "gzip" not in headers.get("Accept-Encoding", "") or "Range" in headers or not compressible(path):
            return await super().get(path, include_body)  # type: ignore[misc]
        self.path = self.parse_url_path(path)  # type: ignore[attr-defined]
        absolute_path = self.get_absolute_path(self.root, self.path)  # type: ignore[attr-defined]
        self.absolute_path = self.validate_absolute_path(self.root, absolute_path)  # type: ignore[attr-defined]
        if self.absolute_path is None:
            return None
        self.modified = self.get_modified_time()  # type: ignore[attr-defined]
        self.set_headers()  # type: ignore[attr-defined]
        if self.should_return_304():  # type: ignore[attr-defined]
            self.set_status(304)  # type: ignore[attr-defined]
            return None
        body = compressed(self.absolute_path)
        self.set_header("Content-Encoding", "gzip")  # type: ignore[attr-defined]
        if include_body:
            self.write(body)  # type: ignore[attr-defined]
        return None
