"""The dashboard's two actions: export files for download, and delete a client after typing their name."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from coachkit.coach import exports
from coachkit.coach.panels import download_links
from coachkit.store import Client
from coachkit.widgets.guard import guarded


class ExportBox:
    """A button that prepares the CSV, Excel and JSON files of one client (or everyone) as download links."""

    def __init__(
        self, make_files: Callable[[], dict[str, bytes]], label: str, on_error: Callable[[str], None]
    ) -> None:
        self.make_files = make_files
        self.button = w.Button(description=label, icon="download", tooltip="CSV, Excel and JSON files")
        self.button.layout.width = "auto"
        self.button.add_class("ck-export")
        self.links = w.HTML()
        self.button.on_click(guarded(lambda _: self.prepare(), on_error))
        self.view = w.VBox([self.button, self.links], layout=w.Layout(align_items="flex-start"))

    def prepare(self) -> None:
        files = self.make_files()
        typed = {
            name: (exports.MIME_TYPES[name.rsplit(".", 1)[-1]], content) for name, content in files.items()
        }
        self.links.value = (
            '<p class="ck-muted">Ready. Each link saves one file; times are in your time zone, answers '
            "in the words your client saw (the stored value beside them). The CSV files and the "
            "Excel workbook hold the same tables: answers (a row per answer), responses, flags, and one "
            "table per worksheet.</p>" + download_links(typed)
        )


def same_name(typed: str, name: str) -> bool:
    """Whether what was typed is the client's name (spaces tidied, letters exactly as stored)."""
    return " ".join(typed.split()) == name


class DeleteBox:
    """Delete the client and every one of their answers, only once their name has been typed."""

    def __init__(
        self, client: Client, on_delete: Callable[[Client], None], on_error: Callable[[str], None]
    ) -> None:
        self.client = client
        self.on_delete = on_delete
        intro = w.HTML(
            "<h2>Delete this client</h2>"
            f"<p>This deletes {escape(client.name)} and every one of their answers, drafts and flags "
            "from the store. There is no undo: export their files first if you may need them.</p>"
            f"<p>To confirm, type their name: <strong>{escape(client.name)}</strong></p>"
        )
        self.confirm = w.Text(placeholder="Their name, exactly", description="Name")
        self.confirm.add_class("ck-confirm")
        self.button = w.Button(
            description="Delete client and all answers", button_style="danger", disabled=True
        )
        self.button.layout.width = "auto"
        self.confirm.observe(lambda change: self._typed(change["new"]), names="value")
        self.button.on_click(guarded(lambda _: self.delete(), on_error))
        self.view = w.VBox([intro, self.confirm, self.button], layout=w.Layout(align_items="flex-start"))
        self.view.add_class("ck-danger-zone")

    def _typed(self, value: str) -> None:
        self.button.disabled = not same_name(value, self.client.name)

    def delete(self) -> None:
        if same_name(self.confirm.value, self.client.name):  # checked again on the server side
            self.on_delete(self.client)
