"""The coach's dashboard in a real browser, served by ``coachkit dashboard`` on its own port with a token."""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from coachkit.coach.demo import build_demo
from coachkit.coach.server import TOKEN_ENV
from coachkit.store import Client, Store, tables
from tests.browser.conftest import SCREENSHOTS, running_coachkit
from tests.coach.conftest import FIGHT, FORMULA, HOSTILE, fight, fill

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
TOKEN = "coach-test-token-0123456789abcdef"


@dataclass
class DashboardServer:
    base_url: str
    database_url: str
    log_path: Path

    @property
    def link(self) -> str:
        return f"{self.base_url}/voila/render/dashboard.ipynb?token={TOKEN}"

    def store(self) -> Store:
        return Store(self.database_url)


@pytest.fixture(scope="module")
def dashboard_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DashboardServer]:
    """``coachkit dashboard`` on a free port, over seeded demo clients and one hostile one; always stopped."""
    folder = tmp_path_factory.mktemp("dashboard")
    database_url = f"sqlite:///{folder / 'store.sqlite'}"
    build_demo(Store(database_url), clients=3, seed=7, today=dt.date(2026, 11, 20))
    log_path = folder / "server.log"
    arguments = ["dashboard", "--database", database_url]
    env = {TOKEN_ENV: TOKEN}  # never on the command line
    with running_coachkit(arguments, log_path, ready_path=f"/?token={TOKEN}", env=env) as base_url:
        yield DashboardServer(base_url, database_url, log_path)


def add_hostile_client(store: Store) -> Client:
    """A client whose name is markup, whose answer is a formula, and who raised a safety flag."""
    client = store.add_client(HOSTILE)
    fill(store, client, FIGHT, fight(self_check=4, frequency="daily"))
    fill(
        store,
        client,
        FIGHT,
        fight(self_check=2, been_hurt="yes", recent_fight=FORMULA, making_it_right=HOSTILE),
    )
    return client


def open_dashboard(page: Page, server: DashboardServer) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.link)
    page.locator(".ck-dash").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    return dialogs


def pick(page: Page, label: str) -> None:
    """Choose the client whose picker label is ``label`` (the widget shows spaces as no-break spaces)."""
    options = page.locator(".ck-picker select option").all_inner_texts()
    index = [" ".join(option.split()) for option in options].index(" ".join(label.split()))
    page.locator(".ck-picker select").select_option(index=index)


def screenshot_top(page: Page, name: str, height: int = 1500) -> Path:
    """Save the top of the dashboard for the docs (docs/screenshots/NAME.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": height})
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def rows_of(store: Store, client_id: int, response_ids: list[int]) -> dict[str, int]:
    with store.engine.connect() as connection:

        def count(table, where) -> int:  # type: ignore[no-untyped-def]
            return connection.execute(select(func.count()).select_from(table).where(where)).scalar_one()

        return {
            "clients": count(tables.clients, tables.clients.c.id == client_id),
            "responses": count(tables.responses, tables.responses.c.client_id == client_id),
            "answers": count(tables.answers, tables.answers.c.response_id.in_(response_ids)),
            "flags": count(tables.response_flags, tables.response_flags.c.response_id.in_(response_ids)),
        }


def test_the_dashboard_needs_its_token(dashboard_server: DashboardServer) -> None:
    url = f"{dashboard_server.base_url}/voila/render/dashboard.ipynb"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            landed = response.geturl()
    except urllib.error.HTTPError as error:
        assert error.code in (401, 403)
    else:
        assert "/login" in landed


def test_the_dashboard_loads_nothing_from_any_other_host(
    dashboard_server: DashboardServer, desktop: Page
) -> None:
    """Recorded as the client pages are (test_light_pages): every request, and any that failed."""
    requests: list[str] = []
    failed: list[str] = []
    desktop.on("request", lambda request: requests.append(request.url))
    desktop.on("requestfailed", lambda request: failed.append(request.url))
    open_dashboard(desktop, dashboard_server)
    desktop.wait_for_timeout(1_500)
    origin = urlsplit(dashboard_server.base_url).netloc
    assert [url for url in requests if urlsplit(url).netloc not in {origin, ""}] == []
    assert failed == []
    # Its icons come from the Font Awesome in Voila's own stylesheet, not from a CDN.
    expect(desktop.locator(".ck-dash i.fa-refresh").first).to_be_visible()
    loaded = "[...document.fonts].some(f => f.family.includes('Font Awesome') && f.status === 'loaded')"
    assert desktop.evaluate(loaded)


def test_coach_picks_a_client_reads_exports_and_deletes(
    dashboard_server: DashboardServer, desktop: Page, tmp_path: Path
) -> None:
    store = dashboard_server.store()
    hostile = add_hostile_client(store)
    demo_client = next(client for client in store.find_clients() if client.name != HOSTILE)
    dialogs = open_dashboard(desktop, dashboard_server)
    expect(desktop.get_by_role("heading", name="Coach dashboard")).to_be_visible()
    expect(desktop.locator("table.ck-clients tbody tr")).to_have_count(4)

    # A demo client: charts drawn, safety first, for the docs' screenshot.
    labels = [
        " ".join(text.split()) for text in desktop.locator(".ck-picker select option").all_inner_texts()
    ]
    pick(desktop, next(label for label in labels if label.startswith(demo_client.name)))
    expect(desktop.get_by_role("heading", name=demo_client.name)).to_be_visible()
    expect(desktop.locator("figure.ck-chart img").first).to_be_visible()
    assert desktop.locator("figure.ck-chart img").count() >= 3
    expect(desktop.get_by_text("My anger plan card")).to_be_visible()
    desktop.wait_for_timeout(500)  # let the images paint
    screenshot_top(desktop, "dashboard")

    # The hostile client: everything they typed shows as text, never as markup.
    pick(desktop, HOSTILE + " · check in first")
    expect(desktop.get_by_role("heading", name=HOSTILE)).to_be_visible()
    expect(desktop.get_by_role("alert").filter(has_text="raised an urgent flag")).to_be_visible()
    expect(desktop.locator("figure.ck-chart img")).to_have_count(2)
    expect(desktop.locator("figure.ck-chart img").first).to_have_attribute(
        "alt", re.compile(r"^Fight self-check: how many of 5 sounded familiar\. 2 times\.")
    )
    entry = desktop.locator("details.ck-entry").first
    entry.locator("summary").click()
    expect(entry.get_by_text(HOSTILE)).to_be_visible()
    expect(entry.get_by_text(FORMULA)).to_be_visible()

    # Export their answers and download the CSV.
    desktop.get_by_role("button", name=f"Export {HOSTILE}").click()
    link = desktop.get_by_role("link", name=re.compile(r"-answers\.csv$"))
    expect(link).to_be_visible()
    with desktop.expect_download() as download_info:
        link.click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    content = saved.read_text(encoding="utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in content
    assert "Ann Lee" not in content and demo_client.name not in content

    # Delete them: only once their name is typed.
    response_ids = [response.id for response in store.find_responses(hostile.id)]
    delete = desktop.get_by_role("button", name="Delete client and all answers")
    expect(delete).to_be_disabled()
    desktop.locator(".ck-confirm input").fill(HOSTILE)
    expect(delete).to_be_enabled()
    delete.click()
    expect(desktop.get_by_text("every one of their answers, drafts and flags.").first).to_be_visible()
    expect(desktop.locator("table.ck-clients tbody tr")).to_have_count(3)
    assert rows_of(store, hostile.id, response_ids) == {
        "clients": 0,
        "responses": 0,
        "answers": 0,
        "flags": 0,
    }
    assert len(store.find_clients()) == 3
    assert dialogs == []
    assert "Traceback" not in dashboard_server.log_path.read_text(errors="replace")
