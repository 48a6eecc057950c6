"""The check before private answers are shown again: the client types their code.

Someone who opens a worksheet from a phone's history sees no answer about safety or self-harm until they
type the client's code. It stops a person who simply opens the page; it cannot stop one who reads the code
out of the link, which is why the coach's guide suggests keeping links somewhere private.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from coachkit.codes import normalize_code
from coachkit.i18n import ENGLISH, N_, Words
from coachkit.ui import markup
from coachkit.widgets.guard import guarded

ASK = N_(
    "Some of your answers are private, so we don't show them again straight away. "
    "To see them, type your code."
)
WRONG = N_("That code doesn't match. Please check it and try again.")
TOO_MANY = N_(
    "For your privacy, this page has stopped asking. Your answers are kept; open your link again later, "
    "or ask your coach."
)
MAX_TRIES = 5
EXAMPLE_CODE = N_("e.g. K7QD-M2XP-9FRA")


class IdentityCheck:
    """A code box and a Show button; ``on_confirmed`` runs once the client's own code is typed."""

    def __init__(
        self,
        code: str,
        on_confirmed: Callable[[], None],
        on_error: Callable[[str], None],
        words: Words = ENGLISH,
    ) -> None:
        self.code = code
        self.on_confirmed = on_confirmed
        self.words = _ = words
        self.tries = 0
        self.box = w.Text(description=_("Your code"), placeholder=_(EXAMPLE_CODE))
        self.box.add_class("ck-field")
        self.box.style.description_width = "initial"
        self.button = w.Button(description=_("Show my answers"))
        self.button.add_class("ck-button")
        self.button.on_click(guarded(self.check, on_error))
        self.note = w.HTML()
        buttons = w.HBox([self.button])
        buttons.add_class("ck-buttons")
        self.view = w.VBox([w.HTML(markup.paragraph(_(ASK), "ck-private")), self.box, self.note, buttons])
        self.view.add_class("ck-identity")

    def check(self, _button: object = None) -> None:
        """Compare the typed code with the client's own (case, spaces and dashes don't matter)."""
        if self.tries >= MAX_TRIES:
            return
        if normalize_code(self.box.value or "") == self.code:
            self.box.value = ""
            self.on_confirmed()
            return
        self.tries += 1
        message = TOO_MANY if self.tries >= MAX_TRIES else WRONG
        self.button.disabled = self.tries >= MAX_TRIES
        self.note.value = f'<div class="ck-error" role="alert">{escape(self.words(message))}</div>'
