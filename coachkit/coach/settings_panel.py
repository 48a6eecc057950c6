"""The coach's settings on the dashboard: each one with its help, checked as the CLI checks it.

Every change goes through ``setting_checks.change_setting``, the function ``coachkit settings NAME`` calls,
so the page refuses what the terminal refuses, with the same words. Below them: the dashboard's login
and a backup of the store (``backup_now``, as ``coachkit backup``).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from coachkit.coach import login
from coachkit.setting_checks import SettingRefused, change_setting
from coachkit.settings import CHANGE_HELP, CRISIS_HELP, SAFETY_HELP, SETTINGS, Setting, read_settings
from coachkit.store import Store
from coachkit.store.backup import backup_now
from coachkit.widgets.guard import guarded

LONG = {SAFETY_HELP.key, CRISIS_HELP.key, CHANGE_HELP.key}
"""Settings edited in a box of several lines."""


class SettingRow:
    """One setting: its name, its help, a box with its value, and Save."""

    def __init__(
        self, setting: Setting, value: str, on_save: Callable[[Setting, str], None], on_error
    ) -> None:  # type: ignore[no-untyped-def]
        self.setting = setting
        kind = w.Textarea if setting.key in LONG else w.Text
        self.box = kind(
            value=value, layout=w.Layout(width="100%", height="6em" if kind is w.Textarea else None)
        )
        self.box.add_class(f"ck-setting-{setting.name}")
        self.button = w.Button(description="Save", tooltip=f"Save {setting.name}")
        self.button.add_class(f"ck-save-{setting.name}")
        self.button.on_click(guarded(lambda _: on_save(setting, self.box.value), on_error))
        label = w.HTML(f"<h3>{escape(setting.name)}</h3><p class='ck-muted'>{escape(setting.help)}</p>")
        self.view = w.VBox([label, self.box, self.button], layout=w.Layout(width="100%"))
        self.view.add_class("ck-setting")


class SettingsPanel:
    """Every setting, the login, and a backup; ``say`` reports what happened."""

    def __init__(self, store: Store, say: Callable[[str], None], on_error: Callable[[str], None]) -> None:
        self.store = store
        self.say = say
        values = read_settings(store)
        self.rows = {
            name: SettingRow(setting, values[setting.key], self.save, on_error)
            for name, setting in SETTINGS.items()
        }
        self.status = w.HTML()
        self.password = w.Password(
            description="Password", placeholder=f"at least {login.MIN_LENGTH} characters"
        )
        self.again = w.Password(description="Again")
        self.password.add_class("ck-password")
        self.again.add_class("ck-password-again")
        set_login = w.Button(description="Set the dashboard's login", icon="lock")
        set_login.layout.width = "auto"
        set_login.add_class("ck-set-login")
        set_login.on_click(guarded(lambda _: self.set_login(), on_error))
        backup = w.Button(description="Back up the store now", icon="save")
        backup.layout.width = "auto"
        backup.add_class("ck-backup")
        backup.on_click(guarded(lambda _: self.backup(), on_error))
        login_part = w.VBox(
            [
                w.HTML(
                    "<h3>Your login</h3><p class='ck-muted'>Set a password once: the dashboard's address "
                    "then stays the same, and asks for it (kept only as a hash). "
                    + ("A login is set; setting one again replaces it." if login.has_login(store) else "")
                    + "</p>"
                ),
                self.password,
                self.again,
                set_login,
            ]
        )
        backup_part = w.VBox(
            [
                w.HTML(
                    "<h3>Backup</h3><p class='ck-muted'>A full copy of the store, taken while clients keep "
                    "working (the same as <code>coachkit backup</code>).</p>"
                ),
                backup,
            ]
        )
        self.view = w.VBox(
            [self.status, *(row.view for row in self.rows.values()), login_part, backup_part],
            layout=w.Layout(width="100%"),
        )
        self.view.add_class("ck-settings")

    def _tell(self, text: str, problem: bool = False) -> None:
        css = "ck-note" if problem else "ck-message"
        self.status.value = f'<div class="{css}" role="status">{escape(text)}</div>'
        self.say(text)

    def save(self, setting: Setting, text: str) -> None:
        """Check and save one setting; a refusal says why and keeps the saved value."""
        try:
            kept = change_setting(self.store, setting, text)
        except SettingRefused as refused:
            self._tell(f"Not saved: {refused}.", problem=True)
            return
        self.rows[setting.name].box.value = kept
        self._tell(f"Saved {setting.name}. Client pages opened from now on show it.")

    def set_login(self) -> None:
        try:
            login.set_login(self.store, self.password.value, self.again.value)
        except login.LoginRefused as refused:
            self._tell(f"Login not set: {refused}.", problem=True)
            return
        finally:
            self.password.value = self.again.value = ""
        self._tell("Your login is set: from now on the dashboard asks for this password.")

    def backup(self) -> None:
        try:
            written = backup_now(self.store.url)
        except (ValueError, FileNotFoundError, FileExistsError, RuntimeError) as error:
            self._tell(f"No backup made: {error}", problem=True)
            return
        self._tell(f"Backed up to {written}")
