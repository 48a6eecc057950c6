"""``coachkit dashboard``: the coach notebooks served by a Voila of their own, always behind a token.

It reuses the client server's safe settings (``coachkit.serve``: no tracebacks, no static files,
idle kernels culled) but serves only the ``coach/`` folder, on its own port, on loopback only, and
with a token (a fresh one unless given). The client server never serves ``coach/``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from coachkit import config
from coachkit.serve import ServeOptions, with_token

DASHBOARD_PORT = 8867
LOOPBACK = "127.0.0.1"
DASHBOARD_NOTEBOOK = "dashboard.ipynb"


def coach_notebooks_dir() -> Path:
    """The folder of the coach's notebooks (the dashboard and the analysis notebook)."""
    return config.project_dir() / "coach"


def dashboard_options(port: int = DASHBOARD_PORT, token: str = "") -> ServeOptions:
    """Voila options for the dashboard: ``coach/`` only, loopback only, a token always."""
    return with_token(ServeOptions(root=coach_notebooks_dir(), port=port, ip=LOOPBACK, token=token))


def dashboard_url(options: ServeOptions) -> str:
    """The link that opens the dashboard (the token in it logs the browser in)."""
    query = urlencode({"token": options.token})
    return f"http://{options.ip}:{options.port}/voila/render/{DASHBOARD_NOTEBOOK}?{query}"
