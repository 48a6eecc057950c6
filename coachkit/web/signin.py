"""Signing a browser in as a client: a link that opens once, or the client's typed code.

A client link (``/link/KEY``) is a key that works once. Opening it shows a small page with an Open button
(link checkers in mail and chat apps fetch links, and must not spend them); pressing it spends the key,
starts a session for that browser and sends it on to the client's page, whose address carries no key, no
code and no worksheet name. The session lives in a cookie (HttpOnly, SameSite=Strict; the store keeps only
a hash of it) and ends at Quick exit, at finishing, after the coach's idle time, or after some hours. A
used or expired link, and a page opened from the history once its session has ended, show only the code
page, which names no worksheet; typing the code starts a new session. Wrong codes and spent links count
against the address they came from (``limiter``), like wrong codes always have.

Every page here is in the reader's language from its first byte: a link's Open page in the language of
the client it is for (their choice, else their coach's setting), else the one their browser asks for;
the code page in the browser's. Signing in keeps the browser's language for the client (their reminders
are written in it when nothing else says which).
"""

from __future__ import annotations

import logging
from typing import Any

from tornado import web

from coachkit.i18n import N_, resolve, words_for
from coachkit.links import WORKSHEET_NOTEBOOK
from coachkit.store import ClientSession
from coachkit.web.limiter import client_address
from coachkit.web.plain import GateSettings, PlainPages, browser_language, browser_words

log = logging.getLogger("coachkit.web")
SESSION_COOKIE = "ck_session"
LINK_USED = N_(
    "This link has already been used, or is too old: for your privacy, each link opens only once. "
    "Type your code to carry on, or ask your coach for a new link."
)
CODE_WRONG = N_("We don't recognize that code. Please check it with your coach and try again.")
IDLE = N_(
    "For your privacy, your page closed after a while without use. Your answers are saved: type your "
    "code to carry on."
)
SAID = {"used": LINK_USED, "wrong": CODE_WRONG, "idle": IDLE}
"""What the code page says after a refusal (``coachkit/code?said=KEY``): fixed words, nothing typed."""
OPEN_HEADER = "X-Coachkit-Open"
"""Sent by the page's script when it presses Open or Continue: whatever happens, it gets the next address
as JSON (``{"next": url}``) and replaces the page with it, so the browser's history keeps no link and no
code page behind the client's page, and a refused try is sent (and counted) once."""


def client_page_url(base_url: str) -> str:
    """The client's page: one neutral address for everyone, whatever it shows."""
    return f"{base_url}voila/render/{WORKSHEET_NOTEBOOK}"


class SignInPages(PlainPages):
    """The session cookie, the code page and signing in, for any handler of the client server."""

    settings: dict[str, Any]
    request: Any

    @property
    def gate(self) -> GateSettings:
        return self.settings["coachkit"]

    @property
    def base_url(self) -> str:
        return self.settings.get("base_url", "/")

    def session_token(self) -> str:
        return self.get_cookie(SESSION_COOKIE, "") or ""  # type: ignore[attr-defined]

    def forget_session(self) -> None:
        self.clear_cookie(SESSION_COOKIE, path=self.base_url)  # type: ignore[attr-defined]

    def address(self) -> str:
        return client_address(self.request, self.gate.behind_proxy)

    @property
    def wants_json(self) -> bool:
        return self.request.headers.get(OPEN_HEADER) == "1"

    def send_on(self, url: str, status: int = 200) -> None:
        """Answer the page's script: the address it should replace the page with."""
        self.set_status(status)  # type: ignore[attr-defined]
        self.set_header("Cache-Control", "no-store")  # type: ignore[attr-defined]
        self.finish({"next": url})  # type: ignore[attr-defined]

    async def code_page(self, message: str = "") -> None:
        """The one page anyone without a live session gets: type your code."""
        xsrf = self.xsrf_token.decode()  # type: ignore[attr-defined]
        words = browser_words(self)
        action = f"{self.base_url}coachkit/code"
        await self.plain("code", 200, words=words, action=action, xsrf=xsrf, message=words(message))

    async def must_wait(self) -> bool:
        """Too many wrong codes or links from this address lately: the wait page, and True."""
        wait = self.gate.wrong_codes.wait_seconds(self.address())
        if wait and self.wants_json:
            self.set_header("Retry-After", str(wait))  # type: ignore[attr-defined]
            self.send_on(f"{self.base_url}coachkit/code", 429)  # which shows the wait page
        elif wait:
            await self.plain("wait", 429, retry_after=wait)
        return bool(wait)

    async def refuse(self, said: str) -> None:
        """A wrong code or a spent link: counted against the address, then the code page saying so."""
        self.gate.wrong_codes.wrong(self.address())
        if self.wants_json:
            self.send_on(f"{self.base_url}coachkit/code?said={said}")
        else:
            await self.code_page(SAID[said])

    async def note_browser_language(self, started: tuple[ClientSession, str]) -> None:
        """Keep the language the browser asks for, for the client (their reminders' language)."""
        language = browser_language(self)
        if language:
            try:
                await self.gate.directory.note_browser_language(started[0].client_id, language)
            except Exception:
                log.exception("Could not keep a client's language")

    async def note_time_zone(self, started: tuple[ClientSession, str]) -> None:
        """Keep the time zone the page's script sent with the form (``tz``), for due days and reminders."""
        zone = self.get_body_argument("tz", "")[:64]  # type: ignore[attr-defined]
        if zone:
            try:
                await self.gate.directory.note_time_zone(started[0].client_id, zone)
            except Exception:
                log.exception("Could not keep a client's time zone")

    def signed_in(self, started: tuple[ClientSession, str]) -> None:
        """Set the new session's cookie and send the browser on to the client's page."""
        self.set_cookie(  # type: ignore[attr-defined]
            SESSION_COOKIE,
            started[1],
            path=self.base_url,
            httponly=True,
            samesite="Strict",
            secure=self.gate.secure,
            max_age=int(self.gate.session_hours * 3600),
        )
        page = client_page_url(self.base_url)
        if self.wants_json:
            self.send_on(page)
        else:
            self.set_header("Cache-Control", "no-store")  # type: ignore[attr-defined]
            self.redirect(page, status=303)  # type: ignore[attr-defined]


class CheckedForms(SignInPages):
    """Forms that sign a browser in must carry their XSRF token: Voila's server does not ask tornado to
    check it (``xsrf_cookies``), so these handlers do, and another site cannot sign a browser in."""

    async def prepare(self) -> None:
        if self.request.method == "POST":
            try:
                self.check_xsrf_cookie()  # type: ignore[attr-defined]
            except web.HTTPError:
                await self.plain("error", 403, status_code=403)  # type: ignore[arg-type]


class LinkHandler(CheckedForms, web.RequestHandler):
    """``/link/KEY``: GET shows the Open button; POST spends the key and signs the browser in."""

    async def get(self, key: str) -> None:
        xsrf = self.xsrf_token.decode()
        words = browser_words(self)
        try:
            kept = await self.gate.directory.link_languages(key)
        except Exception:  # the store's trouble shows when Open is pressed; this page still opens
            log.warning("Could not read the languages of a link's client")
            kept = None
        if kept is not None:
            words = words_for(resolve(kept.chosen, kept.coach, words.language))
        await self.plain("open", 200, words=words, action=f"{self.base_url}link/{key}", xsrf=xsrf)

    async def post(self, key: str) -> None:
        if await self.must_wait():
            return
        try:
            started = await self.gate.directory.use_link(key)
        except Exception:
            log.exception("The store could not be asked about a link")
            return await self.plain("busy", 503, retry_after=60, again=self.request.uri or "")
        if started is None:
            return await self.refuse("used")
        await self.note_time_zone(started)
        await self.note_browser_language(started)
        self.signed_in(started)


class CodeHandler(CheckedForms, web.RequestHandler):
    """``/coachkit/code``: the code form's target; a known code signs the browser in."""

    async def get(self) -> None:
        if await self.must_wait():
            return
        await self.code_page(SAID.get(self.get_query_argument("said", ""), ""))

    async def post(self) -> None:
        if await self.must_wait():
            return
        code = self.get_body_argument("code", "")[:100]
        try:
            started = await self.gate.directory.sign_in_with_code(code)
        except Exception:
            log.exception("The store could not be asked about a code")
            return await self.plain("busy", 503, retry_after=60, again=self.request.uri or "")
        if started is None:
            return await self.refuse("wrong")
        await self.note_time_zone(started)
        await self.note_browser_language(started)
        self.signed_in(started)


class LeaveHandler(SignInPages, web.RequestHandler):
    """``/coachkit/leave``: Quick exit (and the idle timer) end this browser's session at once.

    The page's script sends it as a beacon, which carries no XSRF token; the session cookie is
    SameSite=Strict, so another site cannot end it, and ending a session harms no one.
    """

    def check_xsrf_cookie(self) -> None:
        pass

    async def post(self) -> None:
        token = self.session_token()
        self.forget_session()
        if token:
            try:
                await self.gate.directory.end_session(token)
            except Exception:
                log.exception("Could not end a session")
        self.set_status(204)
        self.finish()
