"""A token bucket: how long to hold something back so that it keeps to a rate.

Used for a page's widget messages (``sockets.py``) and a client's page opens (``shares.py``). Written
out rather than taken from the ``limits`` library (which the sign-in pages use): that answers "allowed
or not" per window, and here what is over the rate is held back, so the wait is what counts.
"""

from __future__ import annotations

import time


class Throttle:
    """A token bucket: ``rate`` a second, up to ``burst`` at once. ``delay(cost)`` spends ``cost`` now
    and says how long to wait before going on (0 within the rate); what is owed is paid back over time.
    """

    def __init__(self, rate: float, burst: float, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.at = burst, clock()

    def delay(self, cost: float = 1.0) -> float:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate) - cost
        self.at = now
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate

    def refund(self, cost: float = 1.0) -> None:
        """Give back what was spent on something that did not go ahead after all."""
        self.tokens = min(self.burst, self.tokens + cost)
