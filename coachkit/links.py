"""The links a coach hands to a client: each opens once, and signs that browser in as the client.

A link is ``BASE/link/KEY``: KEY is a fresh random key, kept in the store as a hash, which starts a
session for the browser that opens it and is then spent (``coachkit.web.signin``). It names neither the
client nor a worksheet; a link made for one worksheet opens that worksheet, any other the client's own
page. A client who comes back later types their code, or gets a new link from their coach.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket

from coachkit.store import Client, Store, StoreUnavailable

DEFAULT_BASE_URL = "http://127.0.0.1:8866"
SERVED_URL_KEY = "served_url"
"""The store setting where ``coachkit serve`` records the address it serves on, as clients reach it."""
LINKS_URL_ENV = "COACHKIT_LINKS_URL"
"""Environment variable holding the address clients reach the worksheets at, path included (a coach's
JupyterHub server sets it to their service's, e.g. ``https://ana--service.notes.example.org/services/ana``)."""
WORKSHEET_NOTEBOOK = "worksheet.ipynb"
"""The one notebook that serves every client page (their own page, and every worksheet)."""
SHEET_ID = re.compile(r"[a-z][a-z0-9-]{0,99}")
HISTORY_TITLE = "Everything you've done so far"  # said on the client's page: ui.app marks it
LINK_NOTE = "opens once, for up to 14 days"


def sign_in_link(key: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """The whole link for a sign-in key."""
    return f"{base_url.rstrip('/')}/link/{key}"


def served_url(ip: str, port: int, base_url: str = "/", secure: bool = False) -> str:
    """The address a server on ``ip:port`` serves clients at: ``https`` when it (or a proxy) has TLS, and
    this machine's name when it listens on every address (``0.0.0.0``), which names none."""
    host = ip
    try:
        if ipaddress.ip_address(ip).is_unspecified:
            host = socket.getfqdn()
    except ValueError:
        pass
    if ":" in host:
        host = f"[{host}]"
    return f"{'https' if secure else 'http'}://{host}:{port}{base_url}".rstrip("/")


def record_served_url(store: Store, url: str) -> bool:
    """Keep the address the server serves on, so links made later (CLI, dashboard) point there.

    False when the store cannot be written (a read-only store still serves what it holds)."""
    try:
        store.set_setting(SERVED_URL_KEY, url.rstrip("/"))
    except StoreUnavailable:
        return False
    return True


def links_base_url(store: Store, given: str | None = None) -> str:
    """Where links point: the address given (an option), else ``$COACHKIT_LINKS_URL`` (a practice sets
    it), else the one ``coachkit serve`` last recorded, else ``DEFAULT_BASE_URL``."""
    for candidate in (given, os.environ.get(LINKS_URL_ENV), store.get_setting(SERVED_URL_KEY)):
        if candidate and candidate.strip():
            return candidate.strip().rstrip("/")
    return DEFAULT_BASE_URL


def new_link(store: Store, client: Client, sheet: str | None = None, base_url: str = DEFAULT_BASE_URL) -> str:
    """A fresh link for this client: to ``sheet`` (a worksheet's id), or to their own page."""
    return sign_in_link(store.add_sign_in_link(client.id, sheet), base_url)
