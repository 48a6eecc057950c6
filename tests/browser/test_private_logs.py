"""The servers' logs hold no client code, no link key and no token, and the dashboard's token is on no
command line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Page

from coachkit.coach.demo import build_demo
from coachkit.coach.server import TOKEN_ENV
from coachkit.store import Store
from coachkit.web.signin import SESSION_COOKIE
from tests.browser.conftest import open_page, running_coachkit
from tests.browser.running import PAGE, coachkit_server

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
TOKEN = "dashboard-token-for-a-test-0123456789"


def test_no_code_reaches_the_client_servers_log(tmp_path: Path, phone: Page) -> None:
    with coachkit_server(tmp_path / "s") as served:
        client = served.store().add_client("Cody Code")
        code = client.code
        link = served.link(code)
        key = link.rsplit("/", 1)[1]
        open_page(phone, link, LOAD_TIMEOUT_MS)
        [token] = [c["value"] for c in phone.context.cookies() if c["name"] == SESSION_COOKIE]
        phone.goto(served.base_url + PAGE + "?resume=1")  # as the page reloads itself
        phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        for query in (f"?client={code.lower()}", "?client=ZZZZ-ZZZZ-ZZZZ", f"?client={code}&client=x"):
            served.get(PAGE + query)
        served.get(f"/voila/render/no-such.ipynb?client={code}")
        served.get(f"/no/such/page?client={code}&token=abc")
        served.get(f"/link/{key}")  # a spent link, opened again
        for typed in (code, "ZZZZ-ZZZZ-ZZZZ"):
            served.type_code(typed)
        phone.goto(served.base_url + "/")
        served.wait_for_kernels(0, timeout=60)
        log = served.log()
        assert "GET /voila/render/worksheet.ipynb" in log  # the access log is there, without queries
        assert "POST /link/[hidden]" in log and "POST /coachkit/code" in log
        secrets = (code, code.lower(), code.replace("-", ""), "ZZZZ-ZZZZ-ZZZZ", "token=abc", key, token)
        for secret in secrets:
            assert secret not in log
        assert not re.search(r"client=(?!\[hidden\])", log)
        kernel_log = served.kernel_log.read_text()
        assert code not in kernel_log and key not in kernel_log and token not in kernel_log
        assert "DeprecationWarning" not in log
        for noise in ("is not trusted", "websocket_ping_timeout"):  # at every page, nothing to act on
            assert noise not in log


def test_the_dashboards_token_is_not_on_its_command_line_nor_in_its_log(
    tmp_path: Path, desktop: Page
) -> None:
    database_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    build_demo(Store(database_url), clients=2, seed=3, today=dt.date(2026, 11, 20))
    log_path = tmp_path / "dashboard.log"
    arguments = ["dashboard", "--database", database_url]
    with running_coachkit(arguments, log_path, ready_path="/", env={TOKEN_ENV: TOKEN}) as base_url:
        desktop.goto(f"{base_url}/voila/render/dashboard.ipynb?token={TOKEN}")
        desktop.locator(".ck-dash").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        servers = [
            process
            for process in psutil.process_iter(["cmdline"])
            if "dashboard" in (process.info["cmdline"] or []) and database_url in process.info["cmdline"]
        ]
        assert servers
        for process in servers:
            assert not any(TOKEN in part for part in process.cmdline())
            for kernel in process.children(recursive=True):
                assert TOKEN not in " ".join(kernel.cmdline())
                assert TOKEN not in kernel.environ().get(TOKEN_ENV, "")
    lines = log_path.read_text().splitlines()
    link_line = [line for line in lines if line.startswith("Dashboard (keep this link to yourself)")]
    assert len(link_line) == 1  # the coach's own link, printed once at start
    assert not [line for line in lines if TOKEN in line and line not in link_line]
    assert any("GET /voila/render/dashboard.ipynb" in line for line in lines)
    assert not any("DeprecationWarning" in line for line in lines)
