"""``coachkit dashboard``: the coach notebooks served by a Voila of their own, behind the coach's login.

It reuses the client server's safe settings (``coachkit.serve``: no tracebacks, no file downloads,
kernels reclaimed) but serves only the coach's notebooks (``coachkit/coach/notebooks/``), on its own
port, on loopback only, without the client code gate. Its address stays the same (bookmark it): once the
coach has set a password (on the dashboard, or ``coachkit dashboard --set-login``), its login page asks
for it (``coachkit.web.coach_login``). Until then, and as a way in besides, a token opens it:
``$COACHKIT_DASHBOARD_TOKEN``, else a fresh one each time, never on a command line (where other users of
the machine could read it). The client server never serves these notebooks.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlencode

from coachkit import config
from coachkit.serve import ServeOptions

TOKEN_ENV = "COACHKIT_DASHBOARD_TOKEN"
"""Environment variable holding a token of the coach's choosing (else each start makes a new one)."""

DASHBOARD_PORT = 8867
LOOPBACK = "127.0.0.1"
DASHBOARD_NOTEBOOK = "dashboard.ipynb"
DASHBOARD_TEMPLATE = "coachkit-coach"
"""Voila's "lab" page without its request to a CDN (``coachkit/web/share/jupyter/voila/templates``)."""


def coach_notebooks_dir() -> Path:
    """The folder of the coach's notebooks (the dashboard and the analysis notebook), in the package."""
    return config.coach_notebooks_dir()


def dashboard_token() -> str:
    """``$COACHKIT_DASHBOARD_TOKEN`` (taken out of the environment, so kernels don't see it), else a
    fresh unguessable one."""
    return os.environ.pop(TOKEN_ENV, "").strip() or secrets.token_urlsafe(24)


def dashboard_options(port: int = DASHBOARD_PORT, token: str = "") -> ServeOptions:
    """Server options for the dashboard: the coach's notebooks only, loopback only, no code gate, the
    coach's login and a token."""
    return ServeOptions(
        root=coach_notebooks_dir(),
        port=port,
        ip=LOOPBACK,
        token=token or dashboard_token(),
        gate=False,
        template=DASHBOARD_TEMPLATE,
        coach_login=True,
    )


def dashboard_address(options: ServeOptions) -> str:
    """The dashboard's address, the same at every start: bookmark it (its page asks for the password)."""
    return f"http://{options.ip}:{options.port}/voila/render/{DASHBOARD_NOTEBOOK}"


def dashboard_url(options: ServeOptions) -> str:
    """The link that opens the dashboard with this start's token (it logs the browser in)."""
    return f"{dashboard_address(options)}?{urlencode({'token': options.token})}"
