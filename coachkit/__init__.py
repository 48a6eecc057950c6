"""coachkit: widget-driven coaching worksheets, served by Voila, saved per client.

In a coach's own notebook (JupyterLab), run any worksheet for a client, beside them in a session::

    import coachkit

    coachkit.open_worksheet("fight-or-make-it-right", client="Sam")   # a client's name, or their code
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coachkit.store import Store
    from coachkit.ui.inline import InlineWorksheet
    from coachkit.ui.page import Page

__version__ = "0.1.0"


def open_worksheet(
    worksheet_id: str, client: str, *, language: str | None = None, store: Store | None = None
) -> InlineWorksheet | Page:
    """A worksheet run for a client in this notebook: the same steps, checks and saving as the page their
    link opens, saved to the configured store (``$COACHKIT_DATABASE_URL``, or ``store``). ``client`` is their
    name as on the dashboard, or their code. It is in the client's language (as their page would be), or in
    ``language`` (``"es"``, ``"ar"``, ``"en"``). An unknown worksheet, client or language shows what to give
    instead. See ``coachkit.ui.inline``."""
    from coachkit.ui.inline import open_for_client

    return open_for_client(worksheet_id, client, store, language)
