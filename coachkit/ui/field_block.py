"""One field on a wizard page: its input, the notices under it, its error line, or a private placeholder.

Notices appear as soon as an answer arrives (help when a client says a fight made them afraid, crisis
help when words of despair are typed in any box). A sensitive answer this page loaded, rather than was
given, is concealed: the field shows a short note and a button instead of the answer, and reads back
the stored answer until the client confirms it is them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import Any

import ipywidgets as w

from coachkit.i18n import ENGLISH, N_, Words
from coachkit.ui import markup
from coachkit.ui.inputs import FieldInput, label_html, make_input
from coachkit.worksheet import Field, ShortText
from coachkit.worksheet.safety_net import DANGER_WORDS_NOTICE, WORDS_NOTICE, sounds_at_risk, sounds_unsafe

CONCEALED = N_("You answered this before. To keep it private on a shared device, it isn't shown here.")
SHOW_OR_CHANGE = N_("Show or change my answer")


class FieldBlock:
    """One field on the page. ``on_reveal`` is called when a concealed field's button is pressed."""

    def __init__(
        self,
        item: Field,
        value: Any,
        context: Mapping[str, str],
        *,
        concealed: bool = False,
        on_reveal: Callable[[], None] | None = None,
        words: Words = ENGLISH,
    ) -> None:
        self.item = item
        self.context = context
        self.words = words
        self.stored = value
        self.concealed = concealed
        self.input: FieldInput = make_input(item, None if concealed else value)
        self.notice = w.HTML()
        self.error = w.HTML()
        parts: list[w.Widget] = [self.input.widget, self.notice, self.error]
        self.reveal_button: w.Button | None = None
        if concealed:
            self.reveal_button = w.Button(description=words(SHOW_OR_CHANGE))
            self.reveal_button.add_class("ck-button")
            if on_reveal is not None:
                self.reveal_button.on_click(lambda _: on_reveal())
            note = f'<div class="ck-label">{label_html(item)}</div>' + markup.paragraph(
                words(CONCEALED), "ck-private"
            )
            parts = [w.HTML(note), self.reveal_button, self.error]
        self.view = w.VBox(parts, layout=w.Layout(width="100%"))
        self.update_notice()

    def read(self) -> Any:
        """The raw answer: what the widget holds, or the stored answer while it is concealed."""
        return self.stored if self.concealed else self.input.read()

    def update_notice(self) -> None:
        self.show_notices(self.notice_texts())

    def notice_texts(self) -> list[str]:
        """The notices the answer now calls for, their ``{placeholders}`` not yet filled."""
        if self.concealed:
            return []
        value = self.read()
        texts = [notice.text for notice in self.item.notices if notice.applies(value)]
        if isinstance(self.item, ShortText) and sounds_at_risk(value):
            texts.append(self.words(WORDS_NOTICE))
        if isinstance(self.item, ShortText) and sounds_unsafe(value):
            texts.append(self.words(DANGER_WORDS_NOTICE))
        return texts

    def show_notices(self, texts: list[str]) -> None:
        self.notice.value = "".join(markup.notice(text, self.context, self.words) for text in texts)

    def show(self, visible: bool) -> None:
        self.view.layout.display = None if visible else "none"

    def close(self) -> None:
        """Close this block's widgets in the kernel once they have left the page."""
        for widget in (*self.input.watched, self.input.widget, self.notice, *self.view.children, self.view):
            widget.close()

    def set_error(self, message: str) -> None:
        said = escape(self.words(message))
        self.error.value = f'<div class="ck-error" role="alert">{said}</div>' if message else ""
