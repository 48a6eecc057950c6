"""The gate: no kernel starts for a link without a client's code, and guessing codes is slowed down.

A real ``coachkit serve``; kernels are counted as real processes (``running.Running.kernels``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.running import PAGE, WORKSHEET, Running, coachkit_server

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
RENDER = PAGE
ASKING = "Please type the code your coach gave you."


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with coachkit_server(tmp_path_factory.mktemp("gate")) as running:
        yield running


@pytest.mark.parametrize(
    "query",
    [
        "",
        "&client=",
        "&client=ZZZZ-ZZZZ-ZZZZ",
        "&client=hello",
        "&client=%00",
        "&client=A&client=B",
        "&resume=1",
    ],
    ids=["no code", "empty", "unknown", "malformed", "nul byte", "two codes", "only resume"],
)
def test_a_link_without_a_clients_code_gets_the_same_page_and_no_kernel(served: Running, query: str) -> None:
    status, headers, body = served.get(RENDER + query, source="127.0.0.3")
    reference = served.get(RENDER, source="127.0.0.3")
    assert (status, body) == (reference[0], reference[2])  # identical, whatever was wrong
    assert status == 200
    assert headers["cache-control"] == "no-store"
    text = body.decode()
    assert ASKING in text
    assert "Quick exit" in text
    assert 'name="client"' in text
    assert f'name="sheet" value="{WORKSHEET}"' in text  # the form keeps the worksheet asked for…
    assert text.count(WORKSHEET) == 1  # …and nothing else names it
    assert served.kernels() == []


def test_the_gate_checks_every_render_link_whatever_notebook_it_names(served: Running) -> None:
    for path in ("/voila/render/anything.ipynb", "/voila/render/../coach/dashboard.ipynb", "/voila/render/"):
        status, _, body = served.get(path + "?client=ZZZZ-ZZZZ-ZZZZ", source="127.0.0.4")
        assert status == 200
        assert ASKING in body.decode()
    assert served.kernels() == []


def test_a_client_who_types_their_code_gets_their_worksheet(served: Running, phone: Page) -> None:
    client = served.store().add_client("Gale Gate")
    phone.goto(served.base_url + RENDER)
    expect(phone.get_by_text(ASKING)).to_be_visible()
    assert served.kernels() == []
    entries = phone.evaluate("history.length")
    phone.get_by_label("Your code").fill(client.code.lower().replace("-", " "))
    phone.get_by_role("button", name="Continue").click()
    phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(phone.get_by_text("Hello Gale.")).to_be_visible()
    assert len(served.kernels()) == 1
    assert phone.evaluate("history.length") == entries  # the code page was replaced, not kept behind


def test_wrong_codes_from_one_address_are_slowed_down_and_then_not_even_checked(tmp_path: Path) -> None:
    with coachkit_server(tmp_path / "limited") as served:
        client = served.store().add_client("Rae Right")
        for n in range(5):
            status, _, body = served.get(f"{RENDER}&client=ZZZZ-ZZZZ-ZZ{n:02d}", source="127.0.0.5")
            assert (status, ASKING in body.decode()) == (200, True)
        status, headers, body = served.get(f"{RENDER}&client=ZZZZ-ZZZZ-ZZZZ", source="127.0.0.5")
        assert status == 429
        assert 1 <= int(headers["retry-after"]) <= 60
        assert "Please wait a minute" in body.decode()
        # Past the limit even the right code goes unchecked from that address: no kernel starts.
        status, _, _ = served.get(f"{RENDER}&client={client.code}", source="127.0.0.5")
        assert status == 429
        assert served.kernels() == []
        # Another address is not held up by someone else's guesses.
        status, _, body = served.get(f"{RENDER}&client={client.code}", source="127.0.0.6")
        assert status == 200
        assert "jupyter-config-data" in body.decode()
        served.wait_for_kernels(1, timeout=30)
        log = served.log()
        assert client.code not in log
        assert not re.search(r"client=(?!\[hidden\])", log)


def test_behind_a_proxy_the_forwarded_address_counts_and_a_forged_one_does_not_help(tmp_path: Path) -> None:
    with coachkit_server(tmp_path / "proxied", "--behind-proxy") as served:
        client = served.store().add_client("Pat Proxy")
        for n in range(5):
            # The proxy appends the address it saw; whatever the client put before it is ignored.
            forged = {"X-Forwarded-For": f"10.9.9.{n}, 203.0.113.7", "X-Real-Ip": f"10.8.8.{n}"}
            assert served.get(f"{RENDER}&client=ZZZZ-ZZZZ-ZZ{n:02d}", headers=forged)[0] == 200
        blocked = {"X-Forwarded-For": "10.1.1.1, 203.0.113.7"}
        assert served.get(f"{RENDER}&client=ZZZZ-ZZZZ-ZZZZ", headers=blocked)[0] == 429
        other = {"X-Forwarded-For": "198.51.100.2"}
        status, _, body = served.get(f"{RENDER}&client={client.code}", headers=other)
        assert status == 200
        assert "jupyter-config-data" in body.decode()


def pids(served: Running) -> set[int]:
    return {kernel.pid for kernel in served.kernels()}


def test_a_link_handed_out_before_moves_to_the_worksheets_page(served: Running, phone: Page) -> None:
    client = served.store().add_client("Olly Oldlink")
    before = pids(served)
    status, headers, _ = served.get(f"/voila/render/{WORKSHEET}.ipynb?client={client.code}")
    assert status == 302
    assert headers["location"] == f"/voila/render/worksheet.ipynb?sheet={WORKSHEET}&client={client.code}"
    assert pids(served) == before  # moving on starts nothing
    phone.goto(f"{served.base_url}/voila/render/{WORKSHEET}.ipynb?client={client.code}")
    phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    expect(phone.get_by_text("Hello Olly.")).to_be_visible()
    assert "/voila/render/worksheet.ipynb?sheet=" in phone.url


@pytest.mark.parametrize(
    "sheets", ["", "&sheet=no-such-sheet", "&sheet=history", f"&sheet={WORKSHEET}&sheet=x"]
)
def test_a_known_code_with_no_known_worksheet_gets_nothing_here_and_no_kernel(served: Running, sheets: str):
    client = served.store().add_client("Nia Nosheet")
    before = pids(served)
    status, _, body = served.get(f"/voila/render/worksheet.ipynb?client={client.code}{sheets}")
    assert status == 404
    assert ASKING not in body.decode() and "Quick exit" in body.decode()
    assert pids(served) <= before
