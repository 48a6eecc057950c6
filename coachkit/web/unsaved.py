"""Words typed while the server was away, saved once it is back: ``POST /coachkit/unsaved``.

A page keeps what is typed in its text boxes while it cannot reach its kernel (in memory only: browser
storage would keep it on a phone someone else may read), and, once the server answers again, sends it
here before it reloads into the draft (``static/page.js``). The browser's session says whose it is; the
page names its draft and itself as the draft's writer (``ck-draft-<id>-<writer>``, ``ui/wizard.py``).
What is saved, and how, is ``typed.py``. Anything not saved comes back by field id, and the page shows
it, to be copied, with plain words that it was not saved.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from tornado import web

from coachkit.web.plain import GateSettings
from coachkit.web.signin import SESSION_COOKIE
from coachkit.web.typed import Outcome

log = logging.getLogger("coachkit.web")
HEADER = "X-Coachkit-Unsaved"
"""Sent by the page's script: a form on another site cannot send it (nor the session's cookie)."""
MAX_BODY_BYTES = 256 * 1024


class UnsavedHandler(web.RequestHandler):
    """``POST /coachkit/unsaved``: ``{"draft": "<id>-<writer>", "typed": {field id: text}}`` from a
    signed-in page's script; answers ``{"saved": [...], "unsaved": [...]}`` (field ids)."""

    def check_xsrf_cookie(self) -> None:
        pass  # the header, the Origin and the SameSite=Strict session cookie stand in for the token

    async def post(self) -> None:
        self.set_header("Cache-Control", "no-store")
        if self.request.headers.get(HEADER) != "1" or not self._same_origin():
            raise web.HTTPError(403)
        if len(self.request.body) > MAX_BODY_BYTES:
            raise web.HTTPError(413)
        draft, typed = self._read()
        gate: GateSettings = self.settings["coachkit"]
        try:
            token = self.get_cookie(SESSION_COOKIE) or ""
            outcome = await gate.directory.save_typed(token, draft, typed)
        except Exception:
            log.exception("Could not save what a page kept while the server was away")
            outcome = Outcome(unsaved=sorted(typed))
        self.finish({"saved": outcome.saved, "unsaved": outcome.unsaved})

    def _same_origin(self) -> bool:
        origin = self.request.headers.get("Origin")
        return origin is None or urlsplit(origin).netloc == self.request.host

    def _read(self) -> tuple[str, dict[str, str]]:
        try:
            body = json.loads(self.request.body)
        except ValueError as error:
            raise web.HTTPError(400) from error
        draft, typed = (body.get("draft"), body.get("typed")) if isinstance(body, dict) else (None, None)
        if not isinstance(draft, str) or not isinstance(typed, dict):
            raise web.HTTPError(400)
        return draft, {key: value for key, value in typed.items() if isinstance(value, str)}
