"""What the client server itself reads from the store: whether a code is a client's, and the page's look.

Reads run on one worker thread, never on the server's event loop: a slow disk or a busy store must not
stall every other page. The look (tab title, Quick exit) is read again at most every few seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from coachkit.codes import normalize_code
from coachkit.settings import PAGE_TITLE, QUICK_EXIT_URL, read_settings
from coachkit.store import Store
from coachkit.web.pages import Look

log = logging.getLogger("coachkit.web")
LOOK_SECONDS = 5.0
"""How long the server keeps the coach's page settings before reading them again."""


def safe_exit_url(url: str) -> str:
    """The coach's Quick exit address if it is a plain web address, else the default one."""
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in {"http", "https"} and parts.netloc else QUICK_EXIT_URL.default


class Directory:
    """The store as the gate sees it. ``None`` from ``find`` means "not a client"; ``StoreUnavailable``
    means the store could not be asked."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._store: Store | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coachkit-store")
        self._look = Look(PAGE_TITLE.default, QUICK_EXIT_URL.default)
        self._look_read = -LOOK_SECONDS

    def _open(self) -> Store:
        if self._store is None:
            self._store = Store(self.database_url)
        return self._store

    def _find(self, code: str) -> bool:
        return self._open().find_client_by_code(code) is not None

    def _read_look(self) -> Look:
        values = read_settings(self._open())
        return Look(values[PAGE_TITLE.key], safe_exit_url(values[QUICK_EXIT_URL.key]))

    async def _run(self, function, *args):  # type: ignore[no-untyped-def]
        return await asyncio.get_running_loop().run_in_executor(self._worker, function, *args)

    async def is_client(self, code: str) -> bool:
        """Whether ``code`` (as typed) belongs to a client. A malformed code is not even looked up."""
        if normalize_code(code) is None:
            return False
        return await self._run(self._find, code)

    async def look(self) -> Look:
        """The coach's page settings; on a store that cannot be read, the last ones known (or defaults)."""
        if time.monotonic() - self._look_read > LOOK_SECONDS:
            try:
                self._look = await self._run(self._read_look)
            except Exception:  # keep the last look; the gate reports the store's trouble itself
                log.warning("Could not read the page settings from the store")
            self._look_read = time.monotonic()
        return self._look

    def current_look(self) -> Look:
        """The settings last read, without waiting (for code that cannot await)."""
        return self._look

    def close(self) -> None:
        self._worker.shutdown(wait=False)
        if self._store is not None:
            self._store.close()
