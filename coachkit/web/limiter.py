"""Slowing down code guessing: after a few wrong codes from one address, its codes are not even checked.

Each wrong (unknown or malformed) code counts against the address it came from, in moving windows
(``limits``, in memory): past ``WRONG_CODES`` an address gets a "please wait" page and its codes go
unchecked until the window has moved on. A right code costs nothing. With 60-bit codes this makes
guessing hopeless, and a client who mistypes a few times is not locked out for long.
"""

from __future__ import annotations

import ipaddress
import math
import time

from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from tornado.httputil import HTTPServerRequest

WRONG_CODES = "5/minute;30/hour"
"""How many wrong codes one address may try (``limits`` notation: each window must have room)."""


class WrongCodes:
    """Counts wrong codes by address."""

    def __init__(self, allowance: str = WRONG_CODES) -> None:
        self.limits = parse_many(allowance)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def wait_seconds(self, address: str) -> int:
        """0 if this address may try a code now, else how long it should wait (whole seconds)."""
        if all(self.limiter.test(limit, address) for limit in self.limits):
            return 0
        resets = [
            self.limiter.get_window_stats(limit, address).reset_time
            for limit in self.limits
            if not self.limiter.test(limit, address)
        ]
        return max(1, math.ceil(max(resets) - time.time()))

    def wrong(self, address: str) -> None:
        """Count one wrong code from ``address``."""
        for limit in self.limits:
            self.limiter.hit(limit, address)


def client_address(request: HTTPServerRequest, behind_proxy: bool) -> str:
    """The address a request came from, for counting wrong codes.

    Behind a reverse proxy (on this machine), the last address in ``X-Forwarded-For`` is the one the
    proxy saw; earlier entries, and ``X-Real-Ip``, are whatever the client chose to send. Without
    ``behind_proxy``, or when the request did not come through a proxy on this machine, the headers
    are ignored.
    """
    peer = request.remote_ip or ""
    if not behind_proxy or not _is_loopback(peer):
        return peer
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
    last = forwarded[-1] if forwarded else ""
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return peer


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
