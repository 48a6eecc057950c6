"""Closing a widget and all it holds, so their models leave the kernel and the browser."""

from __future__ import annotations

import ipywidgets as w


def close_tree(widget: w.Widget) -> None:
    """Close ``widget`` and every widget inside it, children first."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()
