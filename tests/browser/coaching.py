"""The coach's dashboard (behind a password) beside the clients' server, on one store, for browser tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

from coachkit.coach import login
from coachkit.coach.server import TOKEN_ENV
from coachkit.store import Store
from tests.browser.conftest import running_coachkit

LOAD_TIMEOUT_MS = 90_000
PASSWORD = "a calm blue river at dawn"


@dataclass
class Servers:
    dashboard: str
    clients: str
    database_url: str
    logs: list[Path]

    def store(self) -> Store:
        return Store(self.database_url)


@contextmanager
def coach_and_clients(folder: Path) -> Iterator[Servers]:
    """The coach's dashboard (a password set) and the clients' server, on one store; both always stopped."""
    database_url = f"sqlite:///{folder / 'store.sqlite'}"
    store = Store(database_url)
    login.set_login(store, PASSWORD, PASSWORD)
    store.close()
    logs = [folder / "dashboard.log", folder / "serve.log"]
    env = {TOKEN_ENV: "unused-token-0123456789abcdef"}
    with (
        running_coachkit(["dashboard", "--database", database_url], logs[0], "/login", env) as dashboard,
        running_coachkit(["serve", "--database", database_url], logs[1]) as clients,
    ):
        yield Servers(dashboard, clients, database_url, logs)


def log_in(page: Page, servers: Servers) -> None:
    """Open the dashboard's address, refused once with a wrong password, then in with the right one."""
    page.goto(f"{servers.dashboard}/voila/render/dashboard.ipynb")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Password").fill("not it at all")
    page.get_by_role("button", name="Open the dashboard").click()
    expect(page.get_by_role("alert")).to_contain_text("not your dashboard's password")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Open the dashboard").click()
    page.locator(".ck-dash").first.wait_for(timeout=LOAD_TIMEOUT_MS)


def pick(page: Page, name: str) -> None:
    """Choose the client whose picker label starts with ``name`` (the widget shows no-break spaces)."""
    options = [
        " ".join(option.split()) for option in page.locator(".ck-picker select option").all_inner_texts()
    ]
    index = next(number for number, option in enumerate(options) if option.startswith(name))
    page.locator(".ck-picker select").select_option(index=index)
    expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=30_000)
