"""A worksheet written only as a file: scaffolded, checked, listed, linked, served, completed in
Chromium, stored, charted on the dashboard and exported, with no Python added and no notebook made."""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from coachkit.coach.server import TOKEN_ENV
from coachkit.store import Store
from tests.browser.conftest import (
    answer_the_safety_step,
    follow_link,
    free_port,
    running_coachkit,
    screenshot,
    wait_for_http,
)
from tests.browser.running import coachkit_server
from tests.browser.test_dashboard import TOKEN, pick

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
SHEET_ID = "weekly-check-in"
TITLE = "Weekly check-in"
NOTE = 'We cooked together <b>twice</b> & laughed about "it".'


def coachkit(*arguments: str, env: dict[str, str]) -> str:
    """Run the ``coachkit`` command as a coach would; its output (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-m", "coachkit.cli", *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return done.stdout


def test_a_worksheet_written_as_a_file_goes_all_the_way(tmp_path: Path, browser: Browser) -> None:
    own = tmp_path / "worksheets"
    database_url = f"sqlite:///{tmp_path / 'served' / 'store.sqlite'}"
    env = {"COACHKIT_WORKSHEETS": str(own)}

    # The coach scaffolds and checks it: no Python, no notebook.
    coachkit("worksheet", "new", SHEET_ID, "--title", TITLE, env=env)
    assert "fine ('weekly-check-in' version 1" in coachkit(
        "worksheet", "check", str(own / f"{SHEET_ID}.yaml"), env=env
    )
    assert re.search(rf"^{SHEET_ID}\s+\(v1\)\s+{TITLE}$", coachkit("worksheets", env=env), re.M)

    with coachkit_server(tmp_path / "served", env=env) as served:
        # Linked for a new client: a link to their page, or (by its id) straight to the worksheet.
        where = ("--database", database_url, "--base-url", served.base_url)
        added = coachkit("client", "add", "Kim Own", *where, env=env)
        link = re.search(r"Their page \(.*?\): (\S+)", added).group(1)
        assert re.fullmatch(rf"{re.escape(served.base_url)}/link/[\w-]{{22}}", link)
        direct = coachkit("client", "links", "Kim Own", "--worksheet", SHEET_ID, *where, env=env)
        assert re.search(rf"^  {TITLE} \(.*?\): {re.escape(served.base_url)}/link/[\w-]{{22}}$", direct, re.M)

        # Listed on the client's page, served, and completed as a client would.
        context = browser.new_context(viewport={"width": 390, "height": 844})
        try:
            page = context.new_page()
            follow_link(page, link, LOAD_TIMEOUT_MS)
            page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
            page.locator(".ck-link-button").get_by_text(TITLE, exact=True).click()
            expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
            answer_the_safety_step(page)
            page.get_by_role("button", name="Next").click()
            expect(page.get_by_text("Step 2 of 2", exact=True)).to_be_visible()
            page.locator(".ck-yesno").nth(0).get_by_label("Yes", exact=True).check()
            page.locator(".ck-yesno").nth(1).get_by_label("Yes", exact=True).check()
            page.get_by_label("4", exact=True).check()
            page.get_by_label("Anything you'd like your coach to know? (optional)").fill(NOTE)
            page.get_by_role("button", name="Finish").click()
            expect(page.get_by_text("You noticed two good moments this week.")).to_be_visible(timeout=30_000)
            expect(page.get_by_text(NOTE)).to_be_visible()  # as text, never as markup
            screenshot(page, "own-worksheet-summary-phone")
        finally:
            context.close()

    # Stored, with the version's words kept beside the answers.
    store = Store(database_url)
    [client] = store.find_clients("Kim Own")
    [response] = store.find_responses(client.id, SHEET_ID)
    assert (response.status, response.worksheet_version) == ("completed", 1)
    answers = store.get_answers(response.id)
    assert answers == {
        "been_hurt": "no",
        "hurt_partner": "no",
        "safe_contact": "any",
        "listened": True,
        "stayed_calm": True,
        "closeness": 4,
        "note": NOTE,
    }
    assert f"id: {SHEET_ID}" in (store.find_definition(SHEET_ID, 1) or "")
    store.close()

    # Charted on the dashboard.
    log_path = tmp_path / "dashboard.log"
    arguments = ["dashboard", "--database", database_url]
    with running_coachkit(
        arguments, log_path, ready_path=f"/?token={TOKEN}", env={**env, TOKEN_ENV: TOKEN}
    ) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{base}/voila/render/dashboard.ipynb?token={TOKEN}")
            page.locator(".ck-dash").first.wait_for(timeout=LOAD_TIMEOUT_MS)
            pick(page, "Kim Own")
            expect(page.get_by_role("heading", name="Kim Own")).to_be_visible()
            charts = page.locator("figure.ck-chart img")
            expect(charts).to_have_count(2)
            expect(charts.nth(0)).to_have_attribute(
                "alt", re.compile(rf"^{TITLE}: good moments, of 2\. 1 time\. Latest: 2 of 2")
            )
            expect(charts.nth(1)).to_have_attribute(
                "alt", re.compile(r"^How close they felt\. 1 rating; 4\.0 of 5")
            )
            entry = page.locator("details.ck-entry").first
            entry.locator("summary").click()
            expect(entry.get_by_text(NOTE)).to_be_visible()
        finally:
            context.close()

    # Exported: its rows in the tidy table and a table of its own.
    exports = tmp_path / "exports"
    coachkit(
        "export", str(exports), "--client", "Kim Own", "--format", "csv", "--database", database_url, env=env
    )
    [own_table] = [path for path in exports.rglob("*.csv") if SHEET_ID in path.name]
    with own_table.open(newline="", encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["closeness"] == "4 (of 5)" and row["note"] == NOTE


def test_preview_shows_a_file_as_a_client_would_and_keeps_nothing(tmp_path: Path, browser: Browser) -> None:
    own = tmp_path / "worksheets"
    real_store = tmp_path / "clients.sqlite"
    env = {"COACHKIT_WORKSHEETS": str(own), "COACHKIT_DATABASE_URL": f"sqlite:///{real_store}"}
    coachkit("worksheet", "new", SHEET_ID, "--title", TITLE, env=env)
    scratch = Path(tempfile.mkdtemp(prefix="ck-", dir="/tmp"))  # short: kernels' sockets live there
    port = free_port()
    command = [sys.executable, "-m", "coachkit.cli", "worksheet", "preview", str(own / f"{SHEET_ID}.yaml")]
    log_path = tmp_path / "preview.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--no-browser"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env, "TMPDIR": str(scratch)},
            start_new_session=True,
        )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", process)
        link = re.search(r"(http://127\.0\.0\.1:\d+/link/\S+)", log_path.read_text()).group(1)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        follow_link(page, link, LOAD_TIMEOUT_MS)
        page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
        expect(page.get_by_text("Hello Preview.")).to_be_visible()
        assert list(scratch.glob("coachkit-preview-*"))  # its own store, for now
        context.close()
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C
        process.wait(timeout=30)
    assert list(scratch.glob("coachkit-preview-*")) == []  # thrown away
    assert not real_store.exists()  # nothing reached the clients' store
    shutil.rmtree(scratch, ignore_errors=True)
