"""The links a coach hands to a client: one per worksheet, each carrying the client's code."""

from __future__ import annotations

from urllib.parse import urlencode

from coachkit.exercises import all_worksheets

DEFAULT_BASE_URL = "http://127.0.0.1:8866"


def worksheet_link(worksheet_id: str, code: str, base_url: str = DEFAULT_BASE_URL, token: str = "") -> str:
    """``…/voila/render/<worksheet>.ipynb?client=CODE`` (plus the server's token, if it has one)."""
    query = {"client": code, **({"token": token} if token else {})}
    return f"{base_url.rstrip('/')}/voila/render/{worksheet_id}.ipynb?{urlencode(query)}"


def client_links(code: str, base_url: str = DEFAULT_BASE_URL, token: str = "") -> dict[str, str]:
    """Every worksheet's link for this client, by worksheet title."""
    return {
        sheet.title: worksheet_link(sheet.id, code, base_url, token) for sheet in all_worksheets().values()
    }
