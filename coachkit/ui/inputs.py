"""One widget factory per field kind: the renderer's dispatch table.

Each factory returns a ``FieldInput``: the widget to show and a way to read its raw value back.
Raw values are checked by ``Field.clean`` on the server before anything is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from coachkit.ui.markup import label_html
from coachkit.worksheet import (
    Field,
    LongText,
    MultiChoice,
    Rating,
    ShortText,
    SingleChoice,
    TimeOfDay,
    Value,
    YesNo,
)

LABEL_STYLE = {"description_width": "initial"}


TEXT_CLASS = "ck-text-"
"""A text box's class, with its field's id after it: what the page's script keeps while the server is away,
and sends back once it is (``coachkit.web.unsaved``)."""


def _labelled(widget_type: type[w.DescriptionWidget], item: Field, **kwargs: Any) -> Any:
    return widget_type(
        description=label_html(item),
        description_allow_html=True,
        style=LABEL_STYLE,
        layout=FULL_WIDTH,
        **kwargs,
    )


FULL_WIDTH = w.Layout(width="100%")


@dataclass
class FieldInput:
    """A field's widget, the function reading its raw value, and the widget to watch for changes."""

    widget: w.Widget
    read: Callable[[], Any]
    watched: tuple[w.Widget, ...]


def _choice(options: list[tuple[str, Any]], item: Field, value: Any, css: str) -> FieldInput:
    values = [option_value for _, option_value in options]
    index = values.index(value) if value in values else None
    radios = _labelled(w.RadioButtons, item, options=options, index=index)
    radios.add_class("ck-field")
    radios.add_class(css)
    return FieldInput(radios, lambda: radios.value, (radios,))


def single_choice(item: SingleChoice, value: Value) -> FieldInput:
    return _choice([(o.label, o.value) for o in item.options], item, value, "ck-single")


def yes_no(item: YesNo, value: Value) -> FieldInput:
    return _choice([(label, v) for v, label in item.labels().items()], item, value, "ck-yesno")


def rating(item: Rating, value: Value) -> FieldInput:
    return _choice(item.points(), item, value, "ck-rating")


def multi_choice(item: MultiChoice, value: Value) -> FieldInput:
    ticked = set(value or [])
    boxes = [
        w.Checkbox(value=o.value in ticked, description=o.label, indent=False, layout=FULL_WIDTH)
        for o in item.options
    ]
    for box in boxes:
        box.add_class("ck-checkbox")
    legend = w.HTML(f'<div class="ck-label">{label_html(item)}</div>')
    group = w.VBox([legend, *boxes], layout=FULL_WIDTH)
    group.add_class("ck-field")

    def read() -> list[str]:
        return [o.value for o, box in zip(item.options, boxes, strict=True) if box.value]

    return FieldInput(group, read, tuple(boxes))


def _text(widget_type: type[w.Text] | type[w.Textarea], item: ShortText, value: Value) -> FieldInput:
    box = _labelled(
        widget_type, item, value=value if isinstance(value, str) else "", placeholder=item.placeholder
    )
    box.add_class("ck-field")
    box.add_class(f"{TEXT_CLASS}{item.id}")  # the page's script finds the box by it (static/page.js)
    return FieldInput(box, lambda: box.value, (box,))


def short_text(item: ShortText, value: Value) -> FieldInput:
    return _text(w.Text, item, value)


def long_text(item: LongText, value: Value) -> FieldInput:
    return _text(w.Textarea, item, value)


def time_of_day(item: TimeOfDay, value: Value) -> FieldInput:
    initial = dt.time.fromisoformat(value) if isinstance(value, str) else None
    picker = _labelled(w.TimePicker, item, value=initial)
    picker.add_class("ck-field")
    return FieldInput(picker, lambda: picker.value, (picker,))


FACTORIES: dict[str, Callable[[Any, Value], FieldInput]] = {
    SingleChoice.kind: single_choice,
    MultiChoice.kind: multi_choice,
    Rating.kind: rating,
    YesNo.kind: yes_no,
    ShortText.kind: short_text,
    LongText.kind: long_text,
    TimeOfDay.kind: time_of_day,
}


def make_input(item: Field, value: Value) -> FieldInput:
    """The widget that asks ``item``, showing ``value`` if it was answered before. Its class
    ``ck-id-<field>`` lets the page hand it a tap made before the widgets were live (``frontend/``)."""
    made = FACTORIES[item.kind](item, value)
    made.widget.add_class(f"ck-id-{item.id}")
    return made
