"""A client page: one styled container widget with a short text state, and what every page needs.

Pages read the link's query string (the client code and flags), replace their screen as the client moves
on (closing the widgets that left it), and give notebooks a plain-text form that nbval compares.
"""

from __future__ import annotations

import os
from importlib.resources import files
from urllib.parse import parse_qs

import ipywidgets as w

from coachkit.i18n import ENGLISH, Words
from coachkit.ui import markup
from coachkit.ui.screens import first_name as first_name  # the pages' shared helper, kept here too
from coachkit.widgets.tree import close_tree


def query_parameter(name: str, query_string: str | None = None) -> str | None:
    """A parameter of the page's link (Voila passes the query string to the kernel)."""
    query = os.environ.get("QUERY_STRING", "") if query_string is None else query_string
    values = parse_qs(query).get(name)
    return values[0] if values else None


def code_from_query(query_string: str | None = None) -> str | None:
    """The ``client`` code in the page's link."""
    return query_parameter("client", query_string)


def stylesheet() -> str:
    return "<style>" + files("coachkit.ui").joinpath("theme.css").read_text() + "</style>"


class Page:
    """A styled page in one container widget (``view``), with a short text ``state``.

    A notebook cell that ends with a page shows the widget; its plain-text form is the state
    ("Fight or make it right? · asking for the client's code"), which nbval compares.
    """

    def __init__(self, title: str) -> None:
        self.title = title
        self.state = ""
        self.screen = w.VBox(layout=w.Layout(width="100%"))
        self.view = w.VBox([w.HTML(stylesheet()), self.screen], layout=w.Layout(width="100%"))
        self.view.add_class("ck-app")

    def show(self, state: str, *children: w.Widget) -> None:
        """Replace the screen, closing the widgets that left it."""
        self.state = state
        old = self.screen.children
        self.screen.children = (*children, w.HTML(markup.SCROLL_TO_TOP))
        for widget in old:
            close_tree(widget)

    def _repr_mimebundle_(self, **kwargs: object) -> dict[str, object]:
        bundle = self.view._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"{self.title} · {self.state}"
        return bundle


def message_page(title: str, message: str, state: str, words: Words = ENGLISH) -> Page:
    """A page that only says something (``title`` and ``message`` as written: said in ``words``)."""
    page = Page(words(title))
    page.show(state, w.HTML(markup.heading(words(title), 1) + markup.paragraph(words(message))))
    return page
