"""The links a coach hands to a client: one per worksheet, each carrying the client's code."""

from __future__ import annotations

from urllib.parse import urlencode

from coachkit.exercises import all_worksheets

DEFAULT_BASE_URL = "http://127.0.0.1:8866"
LINKS_URL_ENV = "COACHKIT_LINKS_URL"
"""Environment variable holding the address clients reach the worksheets at, path included (a coach's
JupyterHub server sets it to their service's, e.g. ``https://ana--service.notes.example.org/services/ana``)."""


def worksheet_link(worksheet_id: str, code: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """``…/voila/render/<worksheet>.ipynb?client=CODE``: the code is the client's key, no token needed."""
    return f"{base_url.rstrip('/')}/voila/render/{worksheet_id}.ipynb?{urlencode({'client': code})}"


def client_links(code: str, base_url: str = DEFAULT_BASE_URL) -> dict[str, str]:
    """Every worksheet's link for this client, by worksheet title."""
    sheets = all_worksheets().values()
    return {sheet.title: worksheet_link(sheet.id, code, base_url) for sheet in sheets}
