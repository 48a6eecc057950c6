"""``CoachkitVoila``: Voila 0.5 with coachkit's routes, headers, compression, logs and TLS.

Voila builds its tornado Application in ``start()`` and applies ``Voila.tornado_settings`` only after,
so settings read at construction (``compress_response``, ``transforms``) never take effect there. Here
the Application is built with them. The routes are Voila's own, with these changes:

- ``/voila/render/…`` goes through the gate (``gate.py``), unless ``gate`` is off (the coach's dashboard);
- no folder listing (``/``, ``/voila/tree``), no contents API, no file downloads, no login pages
  without a token; any unknown path gets a plain 404 page, never a 500;
- every error, on every route and for any method, is our own plain page or a bare status (``errors.py``);
- the kernel websocket withholds printed text and errors, refuses a message over ``MAX_MESSAGE_BYTES``
  and holds back a page sending faster than its kernel's share (``sockets.py``);
- static files are cached by version (``static.py``), the page's own script and stylesheet are served
  from ``/coachkit/static/``, the client page's widget manager from ``/coachkit/static/client/``
  (``client_files.py``), and ``/coachkit/kernel/<id>`` tells a page whether its kernel lives;
- ``/coachkit/unsaved`` saves what a page kept while the server was away (``unsaved.py``).
"""

from __future__ import annotations

import logging
import os
import ssl
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import tornado.web
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop
from traitlets import Bool, Float, Unicode
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import AllowListFileHandler, MultiStaticFileHandler, TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from coachkit import logs
from coachkit.capped_logs import CountRepeats
from coachkit.i18n import DEFAULT, words_for
from coachkit.web import client_files, errors, gate, pages, signin, static, stop, unsaved
from coachkit.web.directory import Directory
from coachkit.web.lifetimes import RENDERING, ClientKernelManager
from coachkit.web.limiter import WrongCodes
from coachkit.web.mailer import Mailer
from coachkit.web.plain import GateSettings
from coachkit.web.sockets import MAX_MESSAGE_BYTES, QuietKernelWebsocketHandler

TEMPLATE = "coachkit"
TEMPLATES_ROOT = str(Path(__file__).resolve().parent / "share" / "jupyter")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
"""Sent with every response: nothing from other hosts, no link back to a worksheet (its link holds the
client's code), no framing."""
REPLACED = {
    TornadoVoilaHandler: gate.GatedRenderHandler,
    VoilaKernelWebsocketHandler: QuietKernelWebsocketHandler,
    TemplateStaticFileHandler: static.SafeTemplateStaticHandler,
    MultiStaticFileHandler: static.VoilaStaticHandler,
    FileFindHandler: static.HashedLabextensionHandler,
    VoilaShutdownKernelHandler: gate.PageLeftHandler,
}
DROPPED = (TornadoVoilaTreeHandler, VoilaContentsHandler, AllowListFileHandler)
PATH_LIMIT = 200
"""The access log keeps this many characters of a path: any longer is someone else's choice."""


class SecurityHeaders(tornado.web.OutputTransform):
    """Adds ``SECURITY_HEADERS`` to every response, whichever handler wrote it."""

    def transform_first_chunk(self, status_code, headers, chunk, finishing):  # type: ignore[no-untyped-def]
        for name, value in SECURITY_HEADERS.items():
            headers[name] = value
        return status_code, headers, chunk


class Application(tornado.web.Application):
    """Tornado's Application, answering 404 for any path with a NUL byte before a handler sees it, and
    running every handler with our error pages (``errors.py``)."""

    def find_handler(self, request, **kwargs):  # type: ignore[no-untyped-def]
        if "\x00" in unquote(request.path):
            return self.get_handler_delegate(request, gate.MissingHandler)
        return super().find_handler(request, **kwargs)

    def get_handler_delegate(self, request, target_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        return super().get_handler_delegate(request, errors.with_own_errors(target_class), *args, **kwargs)


def log_request(handler: tornado.web.RequestHandler) -> None:
    """The access log: status, method, path (never the query string, which holds codes; cut short), time."""
    status = handler.get_status()
    log = logging.getLogger("tornado.access")
    level = logging.INFO if status < 400 else logging.WARNING if status < 500 else logging.ERROR
    request = handler.request
    milliseconds = 1000.0 * request.request_time()
    path = logs.shorten(logs.redact(request.path), PATH_LIMIT)
    log.log(level, "%d %s %s %.0fms", status, logs.shorten(request.method, 20), path, milliseconds)


class CoachkitVoila(Voila):
    """Voila serving coachkit's client pages (or, with ``gate`` off, the coach's dashboard)."""

    gate = Bool(True, config=True, help="Check the client's code before any kernel starts (off: dashboard).")
    database_url = Unicode("", config=True, help="The store's URL, for looking up client codes.")
    certfile = Unicode("", config=True, help="TLS certificate (PEM): serve HTTPS with it and keyfile.")
    keyfile = Unicode("", config=True, help="TLS private key (PEM) of certfile.")
    behind_proxy = Bool(
        False, config=True, help="A reverse proxy on this machine terminates TLS and adds X-Forwarded-For."
    )
    cookie_hours = Float(8.0, config=True, help="How long the browser keeps the server's cookies, in hours.")
    links_url = Unicode(
        "", config=True, help="The address clients reach this server at, for the links in reminders."
    )
    mail_every_seconds = Float(
        30.0, config=True, help="How often the outbox's due mail is sent (alerts, reminders); 0: never."
    )

    def initialize(self, argv: Any = None) -> None:
        jupyter_path = os.environ.get("JUPYTER_PATH", "")
        if TEMPLATES_ROOT not in jupyter_path.split(os.pathsep):
            os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [TEMPLATES_ROOT, jupyter_path]))
        super().initialize(argv)
        self.voila_configuration.page_config_hook = self.page_config
        self.static_version = static.static_version(self.static_paths)
        self.directory = Directory(self.database_url, self.cookie_hours)
        self._quiet_logs()

    def _quiet_logs(self) -> None:
        """Every log line redacted, repeats counted, known noise dropped; tornado's and stray loggers use
        the app's own handler."""
        for handler in self.log.handlers:
            if not any(isinstance(f, CountRepeats) for f in handler.filters):
                repeats = CountRepeats(handler, every_line_of=("tornado.access",))
                handler.filters.insert(0, repeats)  # before Redact formats the message
        logs.redact_handlers(self.log)
        for name in ("tornado", ""):
            logger = logging.getLogger(name)
            logger.handlers = list(self.log.handlers)
            logger.setLevel(logging.INFO)
        logging.getLogger("tornado").propagate = False
        logs.drop_known_noise(self.log, logging.getLogger("tornado.general"))

    @property
    def secure(self) -> bool:
        return bool(self.certfile) or self.behind_proxy

    def page_config(self, page_config: dict[str, Any], **_: Any) -> dict[str, Any]:
        """Voila's page config, with coachkit's look, the page's language and the versioned static link
        (the dashboard's page; a client's page has a top of its own, sent by the gate)."""
        look = self.directory.current_look()
        page = RENDERING.get()
        words = words_for(getattr(page, "language", DEFAULT))
        page_config["fullStaticUrl"] = static.versioned_static_url(self.base_url, self.static_version)
        page_config["coachkit"] = {
            "lang": words.language,
            "dir": words.direction,
            "words": pages.page_words(words),
            "wordsJson": pages.page_words_json(words),
            "title": look.title_in(words.language),
            "quickExitUrl": look.quick_exit_url,
            **pages.assets(self.base_url),
        }
        if self.gate:  # a client's page: signing out, and its idle time
            page_config["coachkit"]["idleMinutes"] = look.idle_minutes
        else:
            del page_config["coachkit"]["leave"]
        return page_config

    def init_settings(self) -> dict[str, Any]:
        settings = super().init_settings()
        max_age = int(self.cookie_hours * 3600)
        cookie = {"httponly": True, "samesite": "Strict", **({"secure": True} if self.secure else {})}
        self.identity_provider.cookie_options = {**cookie, "expires_days": self.cookie_hours / 24}
        self.identity_provider.get_secure_cookie_kwargs = {"max_age_days": self.cookie_hours / 24}
        if self.secure:
            self.identity_provider.secure_cookie = True
        settings.update(
            compress_response=True,
            transforms=[SecurityHeaders],
            xsrf_cookie_kwargs={**cookie, "max_age": max_age},
            log_function=log_request,
            default_handler_class=gate.MissingHandler,
            ws_ping_interval=20_000,
            websocket_max_message_size=MAX_MESSAGE_BYTES,
            coachkit=GateSettings(
                self.directory,
                WrongCodes(),
                self.root_dir,
                self.behind_proxy,
                secure=self.secure,
                session_hours=self.cookie_hours,
            ),
        )
        settings["jinja2_env"] = pages.error_environment(
            settings["jinja2_env"], self.directory.current_look, self.base_url
        )
        return settings

    def init_handlers(self) -> list[Any]:
        handlers = []
        for route in super().init_handlers():
            pattern, handler, *rest = route
            if handler in DROPPED or (handler is TornadoVoilaHandler and not self.gate):
                if handler is TornadoVoilaHandler:
                    handlers.append(route)
                continue
            if "logout" in pattern or ("login" in pattern and self.gate):
                continue  # the client server has no login page; the dashboard has the coach's own
            handlers.append((pattern, REPLACED.get(handler, handler), *rest))
        versioned = static.versioned_static_url(self.server_url, self.static_version)
        handlers[:0] = [
            (self.server_url, gate.HomeHandler),
            (versioned + "/(.*)", static.VersionedStaticHandler, {"paths": self.static_paths}),
            (
                url_path_join(self.server_url, r"/coachkit/static/client/(.*)"),
                client_files.BuiltFileHandler,
                {"path": str(client_files.CLIENT_DIR)},
            ),
            (
                url_path_join(self.server_url, r"/coachkit/static/(.*)"),
                tornado.web.StaticFileHandler,
                {"path": str(pages.STATIC_DIR)},
            ),
            (url_path_join(self.server_url, r"/coachkit/kernel/([\w-]+)"), gate.KernelStatusHandler),
        ]
        if self.gate:
            handlers[:0] = [
                (url_path_join(self.server_url, r"/link/([\w-]{1,64})"), signin.LinkHandler),
                (url_path_join(self.server_url, r"/coachkit/code"), signin.CodeHandler),
                (url_path_join(self.server_url, r"/coachkit/leave"), signin.LeaveHandler),
                (url_path_join(self.server_url, r"/coachkit/stop/([\w-]{1,64})"), stop.StopHandler),
                (url_path_join(self.server_url, r"/coachkit/unsaved"), unsaved.UnsavedHandler),
            ]
        return handlers

    def start(self) -> None:
        """Voila's start, with the Application built from our settings (see the module's docstring)."""
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        settings = self.init_settings()
        transforms = [*settings.pop("transforms"), tornado.web.GZipContentEncoding]
        self.app = Application(transforms=transforms, **settings)
        self.app.add_handlers(".*$", self.init_handlers())
        if isinstance(self.kernel_manager, ClientKernelManager):
            IOLoop.current().add_callback(self.kernel_manager.initialize_culler)
            IOLoop.current().add_callback(self.kernel_manager.ready.refill_soon)
        self.mailer = (
            Mailer(self.database_url, self.mail_every_seconds, self.links_url) if self._sends_mail() else None
        )
        if self.mailer is not None:
            IOLoop.current().add_callback(self.mailer.start)
        self.listen()

    def _sends_mail(self) -> bool:
        return self.gate and self.mail_every_seconds > 0 and bool(self.database_url)

    def ssl_context(self) -> ssl.SSLContext | None:
        if not self.certfile:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.certfile, self.keyfile or None)
        return context

    def listen(self) -> None:
        """Listen on exactly ``ip:port`` (never wander to another port), with TLS when configured."""
        try:
            self.app.listen(self.port, self.ip, ssl_options=self.ssl_context(), xheaders=False)
        except OSError as error:
            self.log.critical("Could not listen on %s:%s: %s", self.ip, self.port, error.strerror)
            sys.exit(1)
        scheme = "https" if self.certfile else "http"
        self.log.info("Serving on %s://%s:%s%s", scheme, self.ip, self.port, self.base_url)
        self.ioloop = IOLoop.current()
        try:
            self.ioloop.start()
        except KeyboardInterrupt:
            self.log.info("Stopping...")
        finally:
            self.stop()

    def stop(self) -> None:
        super().stop()
        self.directory.close()
        if getattr(self, "mailer", None) is not None:
            self.mailer.stop()
