"""Our answer to every error, whichever handler meets it: the plain error page, or a bare status.

Tornado calls a handler's ``write_error`` for every error it sends: a method the handler does not
have (TRACE, PROPFIND, any unknown word: refused before the handler runs), a path that is not UTF-8
(``%ff%fe.ipynb``), a missing XSRF token, an exception. jupyter_server's ``write_error`` renders a
template with the signed-in user in it, and for a request refused before ``prepare`` that lookup
raises ("Uncaught exception in write_error", a traceback in the log); Voila's handlers render their
own stock page instead (title "Voilà", a stylesheet from a CDN, no Quick exit).

``with_own_errors`` gives a handler class this module's ``write_error`` instead. The Application
(``coachkit.web.app``) applies it to every handler it runs, so no route, not even one added later,
answers with anyone else's page. Pages for people get ``pages/error.html`` with the coach's look;
APIs and websockets get the status alone. Neither says anything about the error itself.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jupyter_server.base.handlers import APIHandler
from tornado import web
from tornado.websocket import WebSocketHandler

from coachkit.web import pages
from coachkit.web.plain import browser_words

BARE = (APIHandler, WebSocketHandler)
"""Handlers that machines talk to: an error is the status code alone."""


class OwnErrorPages:
    """A handler mixin: ``write_error`` without templates, user lookups or exception messages."""

    def write_error(self: Any, status_code: int, **_: Any) -> None:  # type: ignore[misc]
        self.set_header("Cache-Control", "no-store")
        gate = self.settings.get("coachkit")
        if isinstance(self, BARE) or gate is None:
            self.clear_header("Content-Type")
            return
        look = gate.directory.current_look()
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        words = browser_words(self)
        base_url = self.settings.get("base_url", "/")
        self.finish(pages.render("error", look, base_url, words, status_code=status_code))


@cache
def with_own_errors(handler: type[web.RequestHandler]) -> type[web.RequestHandler]:
    """``handler`` with ``OwnErrorPages`` first: same name, same behaviour, our error pages."""
    if issubclass(handler, OwnErrorPages):
        return handler
    namespace = {"__module__": handler.__module__, "__qualname__": handler.__qualname__}
    return type(handler.__name__, (OwnErrorPages, handler), namespace)
