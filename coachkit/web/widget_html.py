"""Plain HTML shaped like ipywidgets' own views, so that a screen painted by the server looks, to the
pixel, like the widgets that take its place.

Each function mirrors the element a view of ``@jupyter-widgets/controls`` 5 (the version the client page
bundles, ``frontend/package.json``) draws for a model: the same tags, classes and inline layout, so the
same stylesheets lay both out the same way. Only what the eye cannot see differs: painted inputs carry
``data-ck-field`` (which field a tap belongs to), radio groups a ``name`` and ``role="radiogroup"``, and
ids of their own. ``tests/browser/test_fast_page.py`` compares the two, element by element.

Arguments named ``content`` or ``label`` are HTML the caller has escaped (``coachkit.ui.markup``); every
other text is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import quote

WIDGET = "lm-Widget jupyter-widgets"
BOX = "lm-Widget lm-Panel jupyter-widgets widget-container widget-box"
URI_SAFE = "!'()*"
"""What ``encodeURIComponent`` leaves as it is, beside letters, digits and ``-_.~``."""
HIDDEN_LABEL = '<label class="widget-label" style="display: none;"></label>'


def _classes(*parts: str) -> str:
    return escape(" ".join(part for part in parts if part))


def _style(width: str | None = None, display: str | None = None) -> str:
    """A Layout's inline style, in the order ipywidgets writes it."""
    rules = [f"display: {display};" if display else "", f"width: {width};" if width else ""]
    style = " ".join(rule for rule in rules if rule)
    return f' style="{escape(style)}"' if style else ""


def vbox(
    children: Iterable[str], classes: str = "", width: str | None = None, display: str | None = None
) -> str:
    style = _style(width, display)
    return f'<div class="{_classes(BOX, "widget-vbox", classes)}"{style}>{"".join(children)}</div>'


def hbox(children: Iterable[str], classes: str = "") -> str:
    return f'<div class="{_classes(BOX, "widget-hbox", classes)}">{"".join(children)}</div>'


def html(content: str = "", classes: str = "") -> str:
    """An ``HTML`` widget showing ``content``."""
    return (
        f'<div class="{_classes(WIDGET, "widget-inline-hbox widget-html", classes)}">{HIDDEN_LABEL}'
        f'<div class="widget-html-content">{content}</div></div>'
    )


def _field_label(label: str, for_id: str = "", label_id: str = "") -> str:
    attributes = f' for="{escape(for_id)}"' if for_id else ""
    attributes += f' id="{escape(label_id)}"' if label_id else ""
    return f'<label class="widget-label"{attributes} style="width: initial;">{label}</label>'


def radio_buttons(field: str, label: str, options: Iterable[str], classes: str) -> str:
    """``RadioButtons`` (full width) asking ``field``, with its options' labels, none chosen."""
    group = f"ck-p-{field}"
    radios = "".join(
        f'<label>{escape(option)}<input type="radio" name="{escape(group)}" value="{index}"></label>'
        for index, option in enumerate(options)
    )
    return (
        f'<div class="{_classes("lm-Widget widget-radio", classes)}" data-ck-field="{escape(field)}"'
        f' style="width: 100%;">{_field_label(label, label_id=group)}'
        f'<div class="widget-radio-box widget-radio-box-vertical" role="radiogroup" '
        f'aria-labelledby="{escape(group)}">{radios}</div></div>'
    )


def checkbox(option: str) -> str:
    """One ``Checkbox`` (full width, not indented, class ``ck-checkbox``), unticked."""
    return (
        f'<div class="{WIDGET} widget-inline-hbox widget-checkbox ck-checkbox" style="width: 100%;">'
        f'<label class="widget-label" style="display: none;">\u200b</label>'
        f'<label class="widget-label-basic"><input type="checkbox"><span title="{escape(option)}">'
        f"{escape(option)}</span></label></div>"
    )


def checklist(field: str, label: str, options: Iterable[str], classes: str) -> str:
    """A column of checkboxes under ``label``, as the renderer builds a multiple choice."""
    legend = html(f'<div class="ck-label" id="ck-p-{escape(field)}">{label}</div>')
    boxes = "".join(checkbox(option) for option in options)
    return (
        f'<div class="{_classes(BOX, "widget-vbox", classes)}" data-ck-field="{escape(field)}" role="group" '
        f'aria-labelledby="ck-p-{escape(field)}" style="width: 100%;">{legend}{boxes}</div>'
    )


def text(field: str, label: str, placeholder: str, classes: str, long: bool = False) -> str:
    """A ``Text`` or (``long``) ``Textarea`` (full width), empty."""
    box = f"ck-p-{field}"
    kind = "widget-textarea" if long else "widget-text"
    hint = escape(placeholder or "")
    control = (
        f'<textarea rows="" id="{box}" class="widget-input" placeholder="{hint}"></textarea>'
        if long
        else f'<input type="text" id="{box}" class="widget-input" placeholder="{hint}">'
    )
    return (
        f'<div class="{_classes(WIDGET, "widget-inline-hbox", kind, classes)}" '
        f'data-ck-field="{escape(field)}" style="width: 100%;">'
        f"{_field_label(label, for_id=box)}{control}</div>"
    )


def time_picker(field: str, label: str, classes: str) -> str:
    """A ``TimePicker`` (full width), empty."""
    box = f"ck-p-{field}"
    return (
        f'<div class="{_classes(WIDGET, "widget-inline-hbox widget-timepicker", classes)}" '
        f'data-ck-field="{escape(field)}" style="width: 100%;">{_field_label(label, for_id=box)}'
        f'<input type="time" id="{box}" step="60"></div>'
    )


def dropdown(label: str, options: Iterable[str], chosen: int, classes: str = "", width: str = "auto") -> str:
    """A ``Dropdown`` described by ``label`` (plain text, its tooltip too), option ``chosen`` selected."""
    box = f"ck-p-{classes or 'dropdown'}"
    listed = "".join(
        f'<option data-value="{escape(quote(option, safe=URI_SAFE))}" value="{escape(option)}"'
        f"{' selected' if index == chosen else ''}>{escape(option).replace(' ', '&nbsp;')}</option>"
        for index, option in enumerate(options)
    )
    return (
        f'<div class="{_classes(WIDGET, "widget-inline-hbox widget-dropdown", classes)}"{_style(width)}>'
        f'<label class="widget-label" for="{escape(box)}" title="{escape(label)}" style="width: initial;">'
        f'{escape(label)}</label><select id="{escape(box)}">{listed}</select></div>'
    )


def button(
    label: str, tooltip: str = "", primary: bool = False, classes: str = "", hidden: bool = False
) -> str:
    """A ``Button``; ``hidden``: laid out but invisible (``visibility: hidden``), as Back on a first step."""
    style = ' style="visibility: hidden;"' if hidden else ""
    kind = _classes(WIDGET, "jupyter-button widget-button", "mod-primary" if primary else "", classes)
    return (
        f'<button type="button" class="{kind}" title="{escape(tooltip or label)}"{style}>'
        f"{escape(label)}</button>"
    )
