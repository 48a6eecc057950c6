"""Fair shares: at most ``per_client`` kernels for one client, the newest page taking over the oldest.

The gate knows whose page it is opening (the session's client), so every page's kernel is noted
against its client. When a client's new page would be one too many, one of that client's own kernels
gives way, chosen in this order: a page that is no longer connected (reloaded, closed, a phone gone
quiet) before one that is, then the oldest. A page still being sent is never ended (its notebook is
running), so a script asking for one client's page many times at once gets the busy page beyond
``per_client``, whatever the ceiling. At the ceiling, a client with a kernel of their own is not
turned away: their oldest page gives way to the new one, as past ``per_client``.

A page whose kernel gave way is told so (``gave_way``): its script says calmly that the worksheet is
open in another tab, rather than reloading (which would take the kernel back, and so on, tab against
tab).

A client's pages are also paced (``pace``): ``OPENS_AT_ONCE`` at once, then one every
``SECONDS_PER_OPEN`` seconds. A page over that pace waits (the request is held, nothing is started),
and one that would wait more than ``MOST_HELD_SECONDS`` gets the busy page. Each page costs a kernel's
start and a run of the notebook (a second or two of a processor), so a script asking for one client's
page in a loop would otherwise keep a processor busy on its own. A person opening, reloading and
opening another tab never meets it.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection

from coachkit.web.throttle import Throttle

REMEMBERED = 1000
"""How many kernels that gave way are remembered, for their pages to ask about (the oldest go first)."""
OPENS_AT_ONCE = 5
SECONDS_PER_OPEN = 5.0
MOST_HELD_SECONDS = 20.0


class ClientBusy(Exception):
    """Every kernel this client may have is still starting or being sent: the new page must wait."""


class Shares:
    """Which client each page's kernel serves, and which of a client's kernels give way to a new page."""

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self.owners: dict[str, int] = {}
        self.opened: dict[str, float] = {}
        self.starting: Counter[int] = Counter()
        self.ending: set[str] = set()
        self._gave_way: OrderedDict[str, float] = OrderedDict()
        self._pace: dict[int, Throttle] = {}

    def pace(self, client_id: int) -> float:
        """Seconds this client's new page must wait to keep to their pace, or ``ClientBusy`` if longer
        than ``MOST_HELD_SECONDS`` (then it is not counted)."""
        throttle = self._pace.setdefault(client_id, Throttle(1 / SECONDS_PER_OPEN, OPENS_AT_ONCE))
        wait = throttle.delay()
        if wait > MOST_HELD_SECONDS:
            throttle.refund()
            raise ClientBusy
        return wait

    def kernels_of(self, client_id: int) -> list[str]:
        """The client's kernels that are not already ending, oldest first."""
        mine = [k for k, owner in self.owners.items() if owner == client_id and k not in self.ending]
        return sorted(mine, key=lambda kernel_id: self.opened[kernel_id])

    def could_give_way(self, client_id: int, sending: Collection[str]) -> bool:
        """Whether one of this client's kernels could make room for their new page."""
        return any(kernel_id not in sending for kernel_id in self.kernels_of(client_id))

    def make_way(
        self, client_id: int, *, room: bool, sending: Collection[str], connected: Callable[[str], bool]
    ) -> list[str]:
        """The client's kernels to end before their new page starts one, or ``ClientBusy`` if not enough of
        them can end. ``room``: the ceiling has room for one more. Everything is noted before any await
        (the chosen kernels as ending, the new page as starting, until ``settled``), so that pages
        asked for at once each see the others."""
        victims = self._choose(client_id, room, sending, connected)
        self.starting[client_id] += 1
        self.ending.update(victims)
        for kernel_id in victims:
            self._remember(kernel_id)
        return victims

    def settled(self, client_id: int) -> None:
        """The page ``make_way`` was asked for has its kernel now (``started``), or none."""
        self.starting[client_id] -= 1
        if self.starting[client_id] <= 0:
            del self.starting[client_id]

    def _choose(
        self, client_id: int, room: bool, sending: Collection[str], connected: Callable[[str], bool]
    ) -> list[str]:
        if self.per_client <= 0 and room:
            return []
        mine = self.kernels_of(client_id)
        count = len(mine) + self.starting[client_id]
        need = count + 1 - self.per_client if self.per_client > 0 else 0
        if need < 1 and not room and mine:
            need = 1
        if need < 1:
            return []
        candidates = sorted(
            (kernel_id for kernel_id in mine if kernel_id not in sending),
            key=lambda kernel_id: (connected(kernel_id), self.opened[kernel_id]),
        )
        if len(candidates) < need:
            raise ClientBusy
        return candidates[:need]

    def started(self, kernel_id: str, client_id: int) -> None:
        """A page's kernel is now the client's (a new one, or a ready one handed over)."""
        self.owners[kernel_id] = client_id
        self.opened[kernel_id] = time.monotonic()

    def forget(self, kernel_id: str) -> None:
        """The kernel has gone (whatever ended it)."""
        self.owners.pop(kernel_id, None)
        self.opened.pop(kernel_id, None)
        self.ending.discard(kernel_id)

    def gave_way(self, kernel_id: str) -> bool:
        """Whether this kernel was ended for a newer page of its client."""
        return kernel_id in self._gave_way

    def _remember(self, kernel_id: str) -> None:
        self._gave_way[kernel_id] = time.monotonic()
        while len(self._gave_way) > REMEMBERED:
            self._gave_way.popitem(last=False)
