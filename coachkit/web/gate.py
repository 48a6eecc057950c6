"""The gate in front of every worksheet: no kernel starts unless the link carries a client's code.

Every ``/voila/render/…`` request passes here first, whatever notebook it names. A missing, malformed
or unknown code gets one and the same small page (asking for the code), so nothing tells which codes
exist; wrong codes count against the address they came from (``limiter``). A known code gets the
worksheet, unless ``max_kernels`` are already alive: then a kind "try again in a minute" page, and
nothing that is open is touched. Only then does Voila start a kernel and run the notebook.

The check runs here rather than in Voila's ``prelaunch_hook``: the hook is called synchronously, on
the event loop, after the notebook has been read, and cannot be used with pre-heated kernels; this
handler awaits the store on a worker thread and refuses before Voila does any work at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from jupyter_server.base.handlers import APIHandler
from tornado import web
from voila.tornado.handler import TornadoVoilaHandler

from coachkit.exercises import all_worksheets
from coachkit.links import SHEET_ID, SHEET_PARAMETER, WORKSHEET_NOTEBOOK
from coachkit.web import pages
from coachkit.web.directory import Directory
from coachkit.web.lifetimes import RENDERING, AtCapacity, ClientKernelManager
from coachkit.web.limiter import WrongCodes, client_address
from coachkit.web.static import is_worksheet

BUSY_RETRY_SECONDS = 60


@dataclass
class GateSettings:
    """What the gate needs, kept in the tornado settings under ``"coachkit"``."""

    directory: Directory
    wrong_codes: WrongCodes
    root_dir: str
    behind_proxy: bool = False


class PlainPages:
    """Writing one of the server's own small pages (``coachkit.web.pages``); never cached."""

    async def plain(  # type: ignore[misc]
        self: web.RequestHandler, name: str, status: int, retry_after: int = 0, **context: str
    ) -> None:
        gate: GateSettings = self.settings["coachkit"]
        look = await gate.directory.look()
        self.clear()
        self.set_status(status)
        if retry_after:
            self.set_header("Retry-After", str(retry_after))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(pages.render(name, look, self.settings.get("base_url", "/"), **context))


def moved_link(path: str, query: str) -> str:
    """Where a link from before every worksheet had one page (``<id>.ipynb?client=…``) now goes, or "".

    Only a worksheet's own id moves; any other notebook name is left to the gate.
    """
    match = re.fullmatch(r"([a-z][a-z0-9-]*)\.ipynb", path)
    if not match or match.group(1) not in all_worksheets():
        return ""
    kept = parse_qsl(query, keep_blank_values=True)
    return f"{WORKSHEET_NOTEBOOK}?{urlencode([(SHEET_PARAMETER, match.group(1)), *kept])}"


def names_a_worksheet(path: str | None, sheets: list[str]) -> bool:
    """The worksheets' notebook needs one known ``sheet``; any other page (the history) needs none."""
    if path != WORKSHEET_NOTEBOOK:
        return True
    return len(sheets) == 1 and sheets[0] in all_worksheets()


class GatedRenderHandler(PlainPages, TornadoVoilaHandler):
    """Voila's render handler, behind the gate."""

    kernel_id: str | None = None

    async def get(self, path: str | None = None) -> None:  # type: ignore[override]
        gate: GateSettings = self.settings["coachkit"]
        moved = moved_link(path or "", self.request.query)
        if moved:
            return self.redirect(f"{self.request.path.rsplit('/', 1)[0]}/{moved}")
        codes = self.get_query_arguments("client")
        sheets = self.get_query_arguments(SHEET_PARAMETER)
        sheet = sheets[0] if len(sheets) == 1 and SHEET_ID.fullmatch(sheets[0]) else ""
        if len(codes) != 1 or not codes[0].strip():
            return await self.plain("code", 200, action=self.request.path, sheet=sheet)
        address = client_address(self.request, gate.behind_proxy)
        wait = gate.wrong_codes.wait_seconds(address)
        if wait:
            return await self.plain("wait", 429, retry_after=wait)
        try:
            known = await gate.directory.is_client(codes[0])
        except Exception:
            self.log.exception("The store could not be asked about a client code")
            return await self.busy()
        if not known:
            gate.wrong_codes.wrong(address)
            return await self.plain("code", 200, action=self.request.path, sheet=sheet)
        if not is_worksheet(gate.root_dir, path) or not names_a_worksheet(path, sheets):
            return await self.plain("missing", 404)
        manager: ClientKernelManager = self.kernel_manager
        if not manager.can_open_page():
            return await self.busy()
        await gate.directory.look()  # fresh for the page's title and Quick exit
        rendering = RENDERING.set(self)
        try:
            await super().get(path)
        except AtCapacity:
            await self.busy()
        finally:
            RENDERING.reset(rendering)
            if self.kernel_id is not None:
                manager.page_sent(self.kernel_id)

    async def busy(self) -> None:
        await self.plain("busy", 503, retry_after=BUSY_RETRY_SECONDS, again=self.request.uri or "")

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
    """``/coachkit/kernel/<id>``: 204 while the page's kernel lives, 404 once it has gone."""

    def check_xsrf_cookie(self) -> None:
        pass  # GET only; nothing changes

    async def get(self, kernel_id: str) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_status(204 if kernel_id in self.kernel_manager else 404)
        self.finish()


class PageLeftHandler(APIHandler):
    """Voila's "the tab is closing" beacon (``voila/api/shutdown/<id>``): the kernel goes as soon as its
    page has disconnected. Voila sends it without the XSRF token its own server demands (voila#1458);
    it only speeds up what the reclaimer would do within ``reclaim_after`` seconds anyway."""

    def check_xsrf_cookie(self) -> None:
        pass

    async def post(self, kernel_id: str) -> None:
        manager = self.kernel_manager
        if isinstance(manager, ClientKernelManager):
            manager.page_left(kernel_id)
        self.set_status(204)
        self.finish()
