"""The links a coach hands to a client: one per worksheet, each carrying the client's code.

Every worksheet is served by one notebook (``workbooks/worksheet.ipynb``) with the worksheet in the link
(``?sheet=ID&client=CODE``), so a new worksheet file needs no notebook. Links handed out before that
(``<id>.ipynb?client=CODE``) still work: the server sends them on to the new form.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from coachkit.exercises import all_worksheets

DEFAULT_BASE_URL = "http://127.0.0.1:8866"
LINKS_URL_ENV = "COACHKIT_LINKS_URL"
"""Environment variable holding the address clients reach the worksheets at, path included (a coach's
JupyterHub server sets it to their service's, e.g. ``https://ana--service.notes.example.org/services/ana``)."""
WORKSHEET_NOTEBOOK = "worksheet.ipynb"
SHEET_PARAMETER = "sheet"
SHEET_ID = re.compile(r"[a-z][a-z0-9-]{0,99}")


def worksheet_page(worksheet_id: str, code: str) -> str:
    """``worksheet.ipynb?sheet=ID&client=CODE``: a worksheet's page, relative to the pages beside it."""
    return f"{WORKSHEET_NOTEBOOK}?{urlencode({SHEET_PARAMETER: worksheet_id, 'client': code})}"


def worksheet_link(worksheet_id: str, code: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """The whole link: the code is the client's key, no token needed."""
    return f"{base_url.rstrip('/')}/voila/render/{worksheet_page(worksheet_id, code)}"


def client_links(code: str, base_url: str = DEFAULT_BASE_URL) -> dict[str, str]:
    """Every worksheet's link for this client, by worksheet title."""
    sheets = all_worksheets().values()
    return {sheet.title: worksheet_link(sheet.id, code, base_url) for sheet in sheets}


HISTORY_TITLE = "Everything you've done so far"


def history_link(code: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """The client's own page: every worksheet they finished, and their unfinished ones."""
    return f"{base_url.rstrip('/')}/voila/render/{history_page(code)}"


def history_page(code: str) -> str:
    """The client's own history page, relative to the pages beside it."""
    return f"history.ipynb?{urlencode({'client': code})}"
