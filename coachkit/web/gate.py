"""The gate in front of every client page: no kernel starts unless the browser is signed in as a client.

Every ``/voila/render/…`` request passes here first. A browser signs in with a link that opens once, or
with the client's typed code (``signin``); its session cookie is all the client's page needs, so the
page's address (``worksheet.ipynb``, the same for everyone) carries no key, no code and no worksheet name.
A browser without a live session gets one and the same code page, whatever it asked for; a link from
before sign-in links (``?client=CODE``) too, since its code sits in the browser's history. A live session
gets the client's page, unless ``max_kernels`` are already alive: then a kind "try again in a minute" page,
and nothing that is open is touched. The session names the client, so that one client's pages never take
more than their share (``shares.py``): past ``kernels_per_client``, or at the ceiling, their newest page
takes over their oldest. Only then does Voila start a kernel and run the notebook, which learns
whose page it is from the session's id, set here in the kernel's ``QUERY_STRING`` (never in the page).

The page is in the client's language from its first byte: the gate reads their choice and their coach's
setting with the session, falls back on the browser's ``Accept-Language``, writes ``<html lang dir>``
in the top it sends at once (``pages/client.html``), paints the first screen in that language
(``prepaint``), and passes the browser's language to the kernel beside the session
(``lang=CODE``), which decides the same way (``coachkit.ui.client``).

The check runs here rather than in Voila's ``prelaunch_hook``: the hook is called synchronously, on
the event loop, after the notebook has been read, and cannot be used with pre-heated kernels; this
handler awaits the store on a worker thread and refuses before Voila does any work at all.
"""

from __future__ import annotations

from urllib.parse import urlencode

from jupyter_server.base.handlers import APIHandler
from tornado import web
from voila.tornado.handler import TornadoVoilaHandler

from coachkit.i18n import DEFAULT, resolve, words_for
from coachkit.links import WORKSHEET_NOTEBOOK
from coachkit.web import client_files, pages
from coachkit.web.lifetimes import RENDERING, AtCapacity, ClientKernelManager
from coachkit.web.plain import GateSettings, PlainPages, browser_language
from coachkit.web.shares import ClientBusy
from coachkit.web.signin import SignInPages
from coachkit.web.static import is_worksheet

BUSY_RETRY_SECONDS = 60
SESSION_PARAMETER = "session"
RESUME_PARAMETER = "resume"
LANGUAGE_PARAMETER = "lang"


def kernel_query(session_id: int, resume: bool, language: str | None = None) -> str:
    """What the page's kernel reads as its link: the session it serves (whether to resume, and the
    language the browser asks for)."""
    query: dict[str, object] = {SESSION_PARAMETER: session_id}
    if resume:
        query[RESUME_PARAMETER] = "1"
    if language:
        query[LANGUAGE_PARAMETER] = language
    return urlencode(query)


class GatedRenderHandler(SignInPages, TornadoVoilaHandler):
    """Voila's render handler, behind the gate."""

    kernel_id: str | None = None
    language: str = DEFAULT
    """The language this page is written in (read by ``CoachkitVoila.page_config``)."""
    client_id: int | None = None
    """Whose page this is: its kernel counts toward that client's share."""

    async def get(self, path: str | None = None) -> None:  # type: ignore[override]
        gate: GateSettings = self.settings["coachkit"]
        if path != WORKSHEET_NOTEBOOK or not is_worksheet(gate.root_dir, path):
            if self.get_query_arguments("client"):  # a link from before: its code is in the history
                return await self.code_page()
            return await self.plain("missing", 404)
        try:
            session = await gate.directory.session(self.session_token())
        except Exception:
            self.log.exception("The store could not be asked about a session")
            return await self.busy()
        if session is None:
            self.forget_session()
            return await self.code_page()
        manager: ClientKernelManager = self.kernel_manager
        if not manager.can_open_page(session.client_id):
            return await self.busy()
        self.client_id = session.client_id
        resume = self.get_query_argument(RESUME_PARAMETER, "") == "1"
        browser = browser_language(self)
        self.language = await self._client_language(session.client_id, browser)
        await self.send_top(await gate.directory.first_screen(session, resume, self.language))
        self.request.query = kernel_query(session.id, resume, browser)
        rendering = RENDERING.set(self)
        try:
            await super().get(path)
        except (AtCapacity, ClientBusy):
            await self.busy_below_top()
        finally:
            RENDERING.reset(rendering)
            if self.kernel_id is not None:
                manager.page_sent(self.kernel_id)

    async def _client_language(self, client_id: int, browser: str | None) -> str:
        gate: GateSettings = self.settings["coachkit"]
        try:
            kept = await gate.directory.languages(client_id)
        except Exception:  # the page still opens; the kernel reads the store again
            self.log.warning("Could not read a client's languages")
            return resolve(None, None, browser)
        return resolve(kept.chosen, kept.coach, browser)

    async def busy(self) -> None:
        await self.plain("busy", 503, retry_after=BUSY_RETRY_SECONDS, again=self.request.uri or "")

    async def send_top(self, painted: str) -> None:
        """Send the page's top at once (head, bar, first screen), before its kernel starts; Voila's
        template sends the rest (``templates/coachkit``)."""
        gate: GateSettings = self.settings["coachkit"]
        base_url = self.settings.get("base_url", "/")
        look = await gate.directory.look()
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        built = client_files.links(base_url)
        words = words_for(self.language)
        self.write(pages.client_top(look, base_url, painted, built, client_files.stylesheet(), words))
        await self.flush()

    async def busy_below_top(self) -> None:
        """Every kernel was taken between the check and the start (the top is sent): say so in the page."""
        gate: GateSettings = self.settings["coachkit"]
        look = await gate.directory.look()
        words = pages.render("busy_words", look, words=words_for(self.language), again=self.request.uri or "")
        self.finish(
            f'<style>#ck-prepaint {{ display: none; }}</style><div class="ck-plain" role="alert">{words}'
            "</div></main></body></html>"
        )

    def on_connection_close(self) -> None:
        if self.kernel_id is not None:
            self.kernel_manager.page_sent(self.kernel_id)
        super().on_connection_close()


class HomeHandler(PlainPages, web.RequestHandler):
    """``/``: no listing of worksheets, just a line pointing to the coach's link."""

    async def get(self) -> None:
        await self.plain("missing", 200)


class MissingHandler(PlainPages, web.RequestHandler):
    """Every unknown path: the same plain "nothing here" page, as a 404."""

    async def prepare(self) -> None:
        await self.plain("missing", 404)


class RefusedHandler(PlainPages, web.RequestHandler):
    """Where a page that needs a token sends a browser without one (the dashboard): a plain 403."""

    async def prepare(self) -> None:
        await self.plain("error", 403, status_code=403)  # type: ignore[arg-type]


class KernelStatusHandler(APIHandler):
    """``/coachkit/kernel/<id>``: 204 while the page's kernel lives, 404 once it has gone, 409 if it gave
    way to a newer page of its client (the page then says so rather than reload, see ``shares.py``)."""

    def check_xsrf_cookie(self) -> None:
        pass  # GET only; nothing changes

    async def get(self, kernel_id: str) -> None:
        self.set_header("Cache-Control", "no-store")
        manager = self.kernel_manager
        if kernel_id in manager:
            self.set_status(204)
        elif isinstance(manager, ClientKernelManager) and manager.shares.gave_way(kernel_id):
            self.set_status(409)
        else:
            self.set_status(404)
        self.finish()


class PageLeftHandler(APIHandler):
    """Voila's "the tab is closing" address (``voila/api/shutdown/<id>``), where a client's page sends a
    beacon as it hides (``frontend/src/main.js``; the dashboard's Voila page, as it unloads): the kernel
    goes as soon as its page has disconnected. A beacon carries no XSRF token (Voila's own page sends
    none either, voila#1458); it only speeds up what the reclaimer would do within ``reclaim_after``
    seconds anyway."""

    def check_xsrf_cookie(self) -> None:
        pass

    async def post(self, kernel_id: str) -> None:
        manager = self.kernel_manager
        if isinstance(manager, ClientKernelManager):
            manager.page_left(kernel_id)
        self.set_status(204)
        self.finish()
