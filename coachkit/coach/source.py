"""Which store the coach notebooks read: the configured one, or demo data while it has no clients.

A new store (or the empty store the test run configures) would show an empty dashboard. Rather than
write anything into it, the notebooks then show the seeded demo clients from a throw-away in-memory
store, with a note saying so, ending on a fixed date so the notebooks' saved outputs stay true.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coachkit.coach.demo import DEFAULT_CLIENTS, DEFAULT_SEED, build_demo, is_demo_store
from coachkit.store import Store

NOTEBOOK_DEMO_END = dt.date(2026, 11, 20)
"""The last day of the in-memory demo data (fixed, so nbval sees the same frames on every run)."""

DEMO_STORE_NOTE = (
    "Demo store: these clients are synthetic, made by the coachkit demo command. No real client is here."
)
EMPTY_STORE_NOTE = (
    "Your store has no clients yet, so this shows synthetic demo clients, kept in memory only. "
    "Nothing is written to your store; real clients appear here once you add them."
)


@dataclass
class CoachStore:
    """The store to read, and a note for the coach when it is demo data (empty for real clients)."""

    store: Store
    note: str = ""
    own_url: str | None = None
    """While ``store`` stands in for an empty one (demo clients in memory): the coach's own store."""
    _own: Store | None = None

    @property
    def is_demo(self) -> bool:
        return bool(self.note)

    @property
    def stand_in(self) -> bool:
        return self.own_url is not None

    def open_own(self) -> Store:
        """The coach's own store (opened once): where a client added, a setting or a backup goes."""
        if self._own is None:
            self._own = self.store if self.own_url is None else Store(self.own_url)
        return self._own


def open_coach_store(url: str | None = None) -> CoachStore:
    """The store at ``url`` (else ``$COACHKIT_DATABASE_URL``), or in-memory demo data if it has no clients."""
    store = Store(url)
    if is_demo_store(store):
        return CoachStore(store, DEMO_STORE_NOTE)
    if store.find_clients():
        return CoachStore(store)
    own_url = store.url
    store.close()
    demo = Store("sqlite://")
    build_demo(demo, DEFAULT_CLIENTS, DEFAULT_SEED, NOTEBOOK_DEMO_END)
    return CoachStore(demo, EMPTY_STORE_NOTE, own_url)
