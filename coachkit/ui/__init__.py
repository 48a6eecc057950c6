"""The client's pages, built with ipywidgets. They never write SQL.

The pages are imported on first use, so the pure parts (``markup``, ``screens``: what a screen says, as
HTML) can be imported without ipywidgets: the server paints a page's first screen with them
(``coachkit.web.prepaint``) before the kernel has drawn a widget.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_PAGES = {
    "ClientApp": "coachkit.ui.client",
    "open_client_page": "coachkit.ui.client",
    "WorksheetApp": "coachkit.ui.app",
    "open_worksheet": "coachkit.ui.app",
}

__all__ = ["ClientApp", "WorksheetApp", "open_client_page", "open_worksheet"]


def __getattr__(name: str) -> Any:
    if name in _PAGES:
        return getattr(import_module(_PAGES[name]), name)
    raise AttributeError(f"module 'coachkit.ui' has no attribute {name!r}")
