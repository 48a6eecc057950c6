"""The coach's way into ``coachkit dashboard``: a bookmarkable address and a login page for their password.

``CoachIdentityProvider`` is jupyter_server's password identity provider, reading the Argon2 hash from the
store (``coachkit.coach.login``) at each attempt, so a password set on the dashboard works at once; the
token of a server started before any login was set still opens it too. Its login page is ours
(``pages/login.html``), and wrong passwords count against the address as wrong client codes do
(``limiter``). The cookie secret is kept in the data folder (0600), so a login outlives a restart. In a
practice none of this runs: JupyterLab serves the dashboard behind the Hub's login.
"""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.identity import PasswordIdentityProvider, User
from jupyter_server.auth.login import LoginFormHandler
from tornado import web
from traitlets import Unicode

from coachkit import config
from coachkit.coach.login import check_login
from coachkit.private import private_folder, write_private_file
from coachkit.settings import QUICK_EXIT_URL
from coachkit.store import Store
from coachkit.web import pages
from coachkit.web.limiter import WrongCodes, client_address

LOOK = pages.Look("Coach dashboard", QUICK_EXIT_URL.default)
WRONG_PASSWORDS = WrongCodes("5/minute;30/hour")


def cookie_secret(folder: Path | None = None) -> bytes:
    """The dashboard's cookie secret, made once (0600 in the data folder) and kept."""
    path = (folder or config.data_dir()) / "dashboard-cookie-secret"
    if not path.exists():
        private_folder(path.parent)
        write_private_file(path, os.urandom(32))
    return path.read_bytes()


class CoachLoginHandler(LoginFormHandler):
    """``/login``: our plain page with one password box; slowed down after a few wrong tries."""

    def check_origin(self, origin_to_satisfy_tornado: str = "") -> bool:
        # Our pages send no referrer, so a browser posts this form with ``Origin: null``, which
        # jupyter_server would answer with a 404. The form's XSRF token (tornado's double-submit check,
        # its cookie SameSite=Strict) is what stops another site posting it.
        return True

    def _render(self, message: dict[str, str] | None = None) -> None:
        self.set_header("Cache-Control", "no-store")
        self.write(
            pages.render(
                "login",
                LOOK,
                self.base_url,
                message=(message or {}).get("error", ""),
                next=self.get_argument("next", default=self.base_url),
                xsrf=self.xsrf_token.decode("ascii"),
                action=self.request.path,
            )
        )

    @allow_unauthenticated
    def post(self) -> None:  # type: ignore[override]
        address = client_address(self.request, False)
        if WRONG_PASSWORDS.wait_seconds(address):
            self.set_status(429)
            self._render({"error": "Too many tries. Please wait a minute, then try again."})
            return
        user = self.identity_provider.process_login_form(self)
        if user is None:
            WRONG_PASSWORDS.wrong(address)
            self.set_status(401)
            self._render({"error": "That is not your dashboard's password."})
            return
        self.current_user = user
        self.identity_provider.set_login_cookie(self, user)
        self._redirect_safe(self.get_argument("next", default=self.base_url))


class CoachIdentityProvider(PasswordIdentityProvider):
    """Password (from the store) or the start's token; nothing else opens the dashboard."""

    database_url = Unicode("", config=True, help="The store whose settings hold the login's hash.")
    _store: Store | None = None

    def get_handlers(self) -> list[tuple[str, object]]:
        """Our login page only (Voila hands over a login handler of its own, which is not used)."""
        return [(r"/login", CoachLoginHandler)]

    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return True

    @property
    def logout_available(self) -> bool:
        return False

    def passwd_check(self, password: str) -> bool:
        if self._store is None:
            self._store = Store(self.database_url)
        return check_login(self._store, password)

    def process_login_form(self, handler: web.RequestHandler) -> User | None:
        typed = handler.get_argument("password", default="")
        if self.passwd_check(typed) or (self.token and typed == self.token):
            return self.generate_anonymous_user(handler)
        return None
