"""The client's worksheet pages, built with ipywidgets. They never write SQL."""

from coachkit.ui.app import WorksheetApp, open_linked_worksheet, open_worksheet

__all__ = ["WorksheetApp", "open_linked_worksheet", "open_worksheet"]
