"""Scripts a worksheet page will need, named in its ``<head>`` so the browser fetches them at once.

Voila's page loads its ~90 scripts in waves: only after the notebook has run does the page ask for
``voila.js``, which asks for its chunks, which ask for the widget extensions, and so on. Over a phone's
link every wave costs round trips. The server notes every script a page has fetched from it (Voila's
static files and labextensions, by their exact link) and lists them as ``<link rel="preload">`` in
later pages, so a new visitor's browser fetches them while the notebook is still running. Browsers that
already have them cached (the links are versioned) fetch nothing. The first page after a start teaches
the server; the list holds at most ``LIMIT`` links and only what pages really asked for.
"""

from __future__ import annotations

LIMIT = 300


class ScriptsSeen:
    """The links of scripts pages have fetched, in the order first seen."""

    def __init__(self) -> None:
        self._links: dict[str, None] = {}

    def note(self, link: str) -> None:
        if link not in self._links and len(self._links) < LIMIT:
            self._links[link] = None

    def links(self) -> list[str]:
        return list(self._links)


SEEN = ScriptsSeen()


class Remembered:
    """For a static handler: a script it sends in full is noted in ``SEEN``."""

    def on_finish(self) -> None:
        request = self.request  # type: ignore[attr-defined]
        if self.get_status() == 200 and request.method == "GET" and request.path.endswith(".js"):  # type: ignore[attr-defined]
            SEEN.note(request.uri)
        super().on_finish()  # type: ignore[misc]
