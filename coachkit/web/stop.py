"""``/coachkit/stop/KEY``: the stop link in every reminder. GET shows a Stop button (mail programs and link
checkers fetch links, and must not stop anything); POST (with its XSRF token) turns that client's reminders
off and forgets their address. The page names no one and no worksheet; an unknown key gets the same page
as a used one, so a guess learns nothing."""

from __future__ import annotations

import logging

from tornado import web

from coachkit.web.signin import CheckedForms

log = logging.getLogger("coachkit.web")


class StopHandler(CheckedForms, web.RequestHandler):
    async def get(self, key: str) -> None:
        xsrf = self.xsrf_token.decode()
        await self.plain("stop", 200, action=f"{self.base_url}coachkit/stop/{key}", xsrf=xsrf)

    async def post(self, key: str) -> None:
        try:
            await self.gate.directory.stop_reminders(key)
        except Exception:
            log.exception("The store could not stop reminders")
            return await self.plain("busy", 503, retry_after=60, again=self.request.uri or "")
        await self.plain("stop", 200, done="1")
