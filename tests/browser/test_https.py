"""HTTPS: ``coachkit serve --certfile --keyfile`` serves a worksheet over TLS, websocket included.

The test makes its own certificate authority and a certificate for 127.0.0.1 (``trustme``). Python
checks the server's certificate against that authority; Chromium is told to accept it (it cannot be
given a new authority without a profile of its own).
"""

from __future__ import annotations

import http.client
import socket
import ssl
from pathlib import Path

import pytest
import trustme
from playwright.sync_api import Browser, expect

from coachkit.web.signin import SESSION_COOKIE
from tests.browser.conftest import answer_the_safety_step, follow_link
from tests.browser.running import coachkit_server

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000


def test_a_worksheet_over_https_with_secure_cookies(tmp_path: Path, browser: Browser) -> None:
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    certificate.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    certificate.private_key_pem.write_to_path(str(key_file))

    arguments = ("--certfile", str(cert_file), "--keyfile", str(key_file))
    with coachkit_server(tmp_path / "s", *arguments, scheme="https") as served:
        assert served.base_url.startswith("https://127.0.0.1:")
        port = int(served.base_url.rsplit(":", 1)[1])
        verified = ssl.create_default_context()
        authority.configure_trust(verified)
        with (
            socket.create_connection(("127.0.0.1", port)) as raw,
            verified.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
        ):
            assert tls.version() in {"TLSv1.2", "TLSv1.3"}
        plain = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        with pytest.raises((OSError, http.client.HTTPException)):  # no answer in the clear
            plain.request("GET", "/")
            plain.getresponse()
        plain.close()

        client = served.store().add_client("Tess Tls")
        context = browser.new_context(ignore_https_errors=True)
        try:
            page = context.new_page()
            sockets: list[str] = []
            page.on("websocket", lambda socket: sockets.append(socket.url))
            follow_link(page, served.link(client.code), LOAD_TIMEOUT_MS)
            page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
            answer_the_safety_step(page)
            page.get_by_role("button", name="Next").click()
            expect(page.get_by_text("Step 2 of 6", exact=True)).to_be_visible()
            assert sockets and all(url.startswith("wss://127.0.0.1:") for url in sockets)
            cookies = context.cookies()
            assert SESSION_COOKIE in {cookie["name"] for cookie in cookies}  # signed in, over HTTPS only
            for cookie in cookies:
                assert (cookie["secure"], cookie["httpOnly"], cookie["sameSite"]) == (True, True, "Strict")
                assert cookie["expires"] - page.evaluate("Date.now() / 1000") < 9 * 3600  # hours, not days
        finally:
            context.close()
        store = served.store()
        [response] = store.find_responses(client.id)
        assert store.get_answers(response.id) == {
            "been_hurt": "no",
            "hurt_partner": "no",
            "safe_contact": "any",
        }
