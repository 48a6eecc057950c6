"""Wrong codes counted per address; forwarded addresses trusted only from a proxy on this machine."""

from __future__ import annotations

import pytest
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

from coachkit.web.limiter import WrongCodes, client_address


def test_an_address_may_try_a_few_wrong_codes_then_must_wait():
    counter = WrongCodes("3/minute")
    for _ in range(3):
        assert counter.wait_seconds("198.51.100.1") == 0
        counter.wrong("198.51.100.1")
    assert 1 <= counter.wait_seconds("198.51.100.1") <= 60
    assert counter.wait_seconds("198.51.100.2") == 0  # others are not held up


def test_every_window_counts():
    counter = WrongCodes("10/minute;2/hour")
    counter.wrong("a")
    counter.wrong("a")
    assert counter.wait_seconds("a") > 60  # the hourly window is the one that is full


def request(peer: str, headers: dict[str, str]) -> HTTPServerRequest:
    line = RequestStartLine("GET", "/", "HTTP/1.1")
    made = HTTPServerRequest(headers=HTTPHeaders({"Host": "x", **headers}), start_line=line)
    made.remote_ip = peer
    return made


@pytest.mark.parametrize(
    ("peer", "headers", "behind_proxy", "expected"),
    [
        ("203.0.113.9", {"X-Forwarded-For": "10.0.0.1"}, False, "203.0.113.9"),
        ("127.0.0.1", {"X-Forwarded-For": "10.0.0.1"}, False, "127.0.0.1"),
        ("127.0.0.1", {"X-Forwarded-For": "10.0.0.1, 203.0.113.7"}, True, "203.0.113.7"),
        ("127.0.0.1", {"X-Forwarded-For": "203.0.113.7", "X-Real-Ip": "10.9.9.9"}, True, "203.0.113.7"),
        ("127.0.0.1", {"X-Forwarded-For": "not an address"}, True, "127.0.0.1"),
        ("127.0.0.1", {}, True, "127.0.0.1"),
        ("203.0.113.9", {"X-Forwarded-For": "10.0.0.1"}, True, "203.0.113.9"),
        ("::1", {"X-Forwarded-For": "2001:db8::5"}, True, "2001:db8::5"),
    ],
    ids=[
        "no proxy: header ignored",
        "no proxy, local peer: header ignored",
        "proxy: the last hop counts",
        "proxy: X-Real-Ip ignored",
        "proxy: garbage ignored",
        "proxy: no header",
        "proxy flag but a remote peer: header ignored",
        "proxy over IPv6",
    ],
)
def test_the_address_that_counts(peer, headers, behind_proxy, expected):
    assert client_address(request(peer, headers), behind_proxy) == expected
