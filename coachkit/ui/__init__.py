"""The client's pages, built with ipywidgets. They never write SQL."""

from coachkit.ui.app import WorksheetApp, open_worksheet
from coachkit.ui.client import ClientApp, open_client_page

__all__ = ["ClientApp", "WorksheetApp", "open_client_page", "open_worksheet"]
