"""What every handler of the client server shares: the gate's settings and the server's own small pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tornado import web

from coachkit.i18n import DEFAULT, Words, negotiate, words_for
from coachkit.web import pages
from coachkit.web.directory import Directory
from coachkit.web.limiter import WrongCodes


@dataclass
class GateSettings:
    """What the gate needs, kept in the tornado settings under ``"coachkit"``."""

    directory: Directory
    wrong_codes: WrongCodes
    root_dir: str
    behind_proxy: bool = False
    secure: bool = False
    """Cookies only over HTTPS (the server has TLS, or a proxy in front of it does)."""
    session_hours: float = 8.0
    """The longest a client's browser stays signed in, however busy."""


def browser_language(handler: Any) -> str | None:
    """The language of ours the request's ``Accept-Language`` prefers, or None."""
    return negotiate(handler.request.headers.get("Accept-Language"))


def browser_words(handler: Any) -> Words:
    """The words a page for this request is written in, knowing nothing of the client: their browser's."""
    return words_for(browser_language(handler) or DEFAULT)


class PlainPages:
    """Writing one of the server's own small pages (``coachkit.web.pages``); never cached. Each is in
    ``words``' language, by default the browser's (``Accept-Language``)."""

    async def plain(  # type: ignore[misc]
        self: web.RequestHandler,
        name: str,
        status: int,
        retry_after: int = 0,
        words: Words | None = None,
        **context: str,
    ) -> None:
        gate: GateSettings = self.settings["coachkit"]
        look = await gate.directory.look()
        self.clear()
        self.set_status(status)
        if retry_after:
            self.set_header("Retry-After", str(retry_after))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Vary", "Accept-Language")
        said = words or browser_words(self)
        self.set_header("Content-Language", said.language)
        self.finish(pages.render(name, look, self.settings.get("base_url", "/"), said, **context))
