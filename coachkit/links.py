"""The links a coach hands to a client: each opens once, and signs that browser in as the client.

A link is ``BASE/link/KEY``: KEY is a fresh random key, kept in the store as a hash, which starts a
session for the browser that opens it and is then spent (``coachkit.web.signin``). It names neither the
client nor a worksheet; a link made for one worksheet opens that worksheet, any other the client's own
page. A client who comes back later types their code, or gets a new link from their coach.
"""

from __future__ import annotations

import re

from coachkit.store import Client, Store

DEFAULT_BASE_URL = "http://127.0.0.1:8866"
LINKS_URL_ENV = "COACHKIT_LINKS_URL"
"""Environment variable holding the address clients reach the worksheets at, path included (a coach's
JupyterHub server sets it to their service's, e.g. ``https://ana--service.notes.example.org/services/ana``)."""
WORKSHEET_NOTEBOOK = "worksheet.ipynb"
"""The one notebook that serves every client page (their own page, and every worksheet)."""
SHEET_ID = re.compile(r"[a-z][a-z0-9-]{0,99}")
HISTORY_TITLE = "Everything you've done so far"
LINK_NOTE = "opens once, for up to 14 days"


def sign_in_link(key: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """The whole link for a sign-in key."""
    return f"{base_url.rstrip('/')}/link/{key}"


def new_link(store: Store, client: Client, sheet: str | None = None, base_url: str = DEFAULT_BASE_URL) -> str:
    """A fresh link for this client: to ``sheet`` (a worksheet's id), or to their own page."""
    return sign_in_link(store.add_sign_in_link(client.id, sheet), base_url)
