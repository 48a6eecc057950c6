"""Adding a client and renaming one, on the dashboard (the store's own checks apply: 1 to 200 characters)."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from coachkit.store import Client
from coachkit.widgets.guard import guarded


class AddClientBox:
    """A name and an "Add client" button; ``on_add(name)`` adds them and says so (or why not)."""

    def __init__(self, on_add: Callable[[str], None], on_error: Callable[[str], None]) -> None:
        self.name = w.Text(placeholder="Their name, as you call them", description="New client")
        self.name.add_class("ck-new-name")
        self.button = w.Button(description="Add client", icon="user-plus", button_style="primary")
        self.button.add_class("ck-add-client")
        self.button.on_click(guarded(lambda _: self._add(), on_error))
        self.on_add = on_add
        self.view = w.HBox([self.name, self.button], layout=w.Layout(flex_flow="row wrap"))
        self.view.add_class("ck-add")

    def _add(self) -> None:
        if self.name.value.strip():
            self.on_add(self.name.value)
            self.name.value = ""


class RenameBox:
    """The client's name, editable; ``on_rename(client, name)`` saves it."""

    def __init__(
        self,
        client: Client,
        on_rename: Callable[[Client, str], None],
        on_error: Callable[[str], None],
    ) -> None:
        self.name = w.Text(value=client.name, description="Name")
        self.name.add_class("ck-rename-text")
        self.button = w.Button(description="Rename", icon="pencil")
        self.button.add_class("ck-rename")
        self.button.on_click(guarded(lambda _: on_rename(client, self.name.value), on_error))
        self.view = w.HBox([self.name, self.button], layout=w.Layout(flex_flow="row wrap"))
