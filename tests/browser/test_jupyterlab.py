"""A worksheet run for a client in the coach's own JupyterLab: a real ``jupyter lab``, a notebook, Chromium.

The coach writes ``coachkit.open_worksheet("fight-or-make-it-right", client="Sam Rivera")`` in a cell,
runs it, and clicks through the worksheet in the cell's output: the same steps, checks and saving as
the client's page, into the store the coach's environment names. JupyterLab runs on a free port with a
token, its settings and workspaces in the test's own folder, and is always stopped.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from coachkit.store import Store
from tests.browser.conftest import SCREENSHOTS, free_port, wait_for_http

pytestmark = pytest.mark.browser

LAB_TIMEOUT_MS = 120_000
CELL = 'import coachkit\ncoachkit.open_worksheet("fight-or-make-it-right", client="Sam Rivera")'
QUIET_LAB = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
"""No news or update questions popping up over the notebook."""


def notebook(cells: list[str]) -> dict[str, object]:
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"c{n}",
                "metadata": {},
                "outputs": [],
                "source": c,
            }
            for n, c in enumerate(cells)
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """``jupyter lab`` on a free port with a token and a store of its own: (its base URL, the store's URL)."""
    root = tmp_path / "notebooks"
    root.mkdir()
    (root / "session.ipynb").write_text(json.dumps(notebook([CELL])))
    settings = tmp_path / "lab-settings"
    for name, values in QUIET_LAB.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    database_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "COACHKIT_DATABASE_URL": database_url,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "IPYTHONDIR": str(tmp_path / "ipython"),
    }
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        *(["--allow-root"] if os.geteuid() == 0 else []),  # this machine's tests run as root
    ]
    with (tmp_path / "lab.log").open("wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root, start_new_session=True
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base_url}/api/status?token={token}", process, timeout=90)
        store = Store(database_url)
        store.add_client("Sam Rivera")
        store.close()
        yield f"{base_url}/lab/tree/session.ipynb?token={token}", database_url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def question(page: Page, text: str):  # type: ignore[no-untyped-def]
    return page.locator(".ck-single").filter(has_text=text)


def test_a_worksheet_runs_for_a_client_in_the_coachs_jupyterlab(browser, lab) -> None:  # type: ignore[no-untyped-def]
    address, database_url = lab
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        page.goto(address, timeout=LAB_TIMEOUT_MS)
        cell = page.locator(".jp-Notebook .jp-CodeCell").first
        cell.wait_for(timeout=LAB_TIMEOUT_MS)
        expect(page.locator(".jp-StatusBar-Widget").get_by_text("| Idle")).to_be_visible(
            timeout=LAB_TIMEOUT_MS
        )
        cell.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        app = page.locator(".jp-OutputArea .ck-app")
        expect(app).to_contain_text("Hello Sam.", timeout=LAB_TIMEOUT_MS)
        expect(app).to_contain_text("Step 1 of 6")
        expect(app).not_to_contain_text("Quick exit")  # a notebook has none

        page.get_by_role("button", name="Next").click()  # the same checks: nothing answered yet
        expect(app).to_contain_text("Please choose one of the options.")
        question(page, "ever hurt you or made you afraid").get_by_label("No", exact=True).check()
        question(page, "hurt or frightened a partner").get_by_label("No", exact=True).check()
        question(page, "Is it safe for your coach").get_by_label("Yes, any way is fine").check()
        page.get_by_role("button", name="Next").click()
        expect(app).to_contain_text("Step 2 of 6")
        page.get_by_label("Both, it depends").check()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "jupyterlab-open-worksheet.png"))
        page.get_by_role("button", name="Next").click()
        expect(app).to_contain_text("Step 3 of 6")

        store = Store(database_url)
        try:
            [client] = store.find_clients("Sam Rivera")
            [response] = store.find_responses(client.id)
            assert response.current_step == 2
            assert store.get_answers(response.id) == {
                "been_hurt": "no",
                "hurt_partner": "no",
                "safe_contact": "any",
                "role": "both",
            }
        finally:
            store.close()
    finally:
        context.close()
