"""What the client server itself reads from the store: whether a code is a client's, and the page's look.

Reads run on one worker thread, never on the server's event loop: a slow disk or a busy store must not
stall every other page. The look (tab title, Quick exit) is read again at most every few seconds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from coachkit.codes import normalize_code
from coachkit.i18n import DEFAULT, LANGUAGES, words_for
from coachkit.settings import (
    PAGE_TITLE,
    QUICK_EXIT_URL,
    SESSION_MINUTES,
    read_settings,
    said_in,
    session_minutes,
)
from coachkit.store import ClientLanguages, ClientSession, Store, StoreUnavailable
from coachkit.web import prepaint
from coachkit.web.pages import Look
from coachkit.web.typed import Outcome, save_typed

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

    def __init__(self, database_url: str, session_hours: float = 8.0) -> None:
        self.database_url = database_url
        self.longest = dt.timedelta(hours=session_hours)
        self._store: Store | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coachkit-store")
        self._look = Look(PAGE_TITLE.default, QUICK_EXIT_URL.default, int(SESSION_MINUTES.default))
        self._look_read = -LOOK_SECONDS

    def _open(self) -> Store:
        if self._store is None:
            self._store = Store(self.database_url)
        return self._store

    def _find(self, code: str) -> bool:
        return self._open().find_client_by_code(code) is not None

    def _read_look(self) -> Look:
        store = self._open()
        values = read_settings(store)
        minutes = session_minutes(values[SESSION_MINUTES.key])
        titles = tuple(
            (code, said_in(store, PAGE_TITLE, words_for(code))) for code in LANGUAGES if code != DEFAULT
        )
        return Look(values[PAGE_TITLE.key], safe_exit_url(values[QUICK_EXIT_URL.key]), minutes, titles)

    async def _run(self, function, *args):  # type: ignore[no-untyped-def]
        return await asyncio.get_running_loop().run_in_executor(self._worker, function, *args)

    async def is_client(self, code: str) -> bool:
        """Whether ``code`` (as typed) belongs to a client. A malformed code is not even looked up."""
        if normalize_code(code) is None:
            return False
        return await self._run(self._find, code)

    # -- signing in (each on the worker thread) --------------------------------------------------

    def _session(self, token: str) -> ClientSession | None:
        idle = dt.timedelta(minutes=self._look.idle_minutes)
        try:
            return self._open().find_session(token, idle=idle, longest=self.longest)
        except StoreUnavailable:  # cannot note the use (read-only, full): the page opens, and says so
            return self._open().find_session(token, idle=idle, longest=self.longest, touch=False)

    async def session(self, token: str) -> ClientSession | None:
        """The live session of a cookie's token (counted as used now), or None."""
        if not token or len(token) > 64:
            return None
        await self.look()  # the coach's idle time, fresh
        return await self._run(self._session, token)

    async def use_link(self, key: str) -> tuple[ClientSession, str] | None:
        """Spend a sign-in link: its new session and token, or None (unknown, used or expired)."""
        if not key or len(key) > 64:
            return None
        return await self._run(self._open().use_sign_in_link, key)

    def _sign_in_with_code(self, code: str) -> tuple[ClientSession, str] | None:
        client = self._open().find_client_by_code(code)
        return None if client is None else self._open().start_session(client.id, code_typed=True)

    async def sign_in_with_code(self, code: str) -> tuple[ClientSession, str] | None:
        """A new session for the client whose code was typed (on their own page), or None."""
        if normalize_code(code) is None:
            return None
        return await self._run(self._sign_in_with_code, code)

    async def languages(self, client_id: int) -> ClientLanguages:
        """A client's languages (their choice, the coach's setting, their browser's as last seen)."""
        return await self._run(self._open().get_languages, client_id)

    async def link_languages(self, key: str) -> ClientLanguages | None:
        """The languages of the client an unspent link is for (None: no such link)."""
        if not key or len(key) > 64:
            return None
        return await self._run(self._open().link_languages, key)

    async def note_browser_language(self, client_id: int, language: str) -> None:
        """Keep the language a client's browser asked for as they signed in (their reminders use it)."""
        await self._run(self._open().note_browser_language, client_id, language)

    def _note_time_zone(self, client_id: int, zone: str) -> None:
        from coachkit.homework.schedule import is_time_zone

        if is_time_zone(zone) and self._open().get_contact(client_id).time_zone != zone:
            self._open().note_time_zone(client_id, zone)

    async def note_time_zone(self, client_id: int, zone: str) -> None:
        """Keep the time zone a client's browser gave (an IANA name this machine knows; else nothing)."""
        await self._run(self._note_time_zone, client_id, zone)

    async def stop_reminders(self, key: str) -> bool:
        """Use a reminder's stop link: that client's reminders off (False for an unknown key)."""
        if not key or len(key) > 64:
            return False
        return await self._run(self._open().use_reminder_stop, key)

    def _save_typed(self, token: str, draft: str, typed: dict[str, str]) -> Outcome:
        session = self._session(token)
        if session is None:  # signed out meanwhile (Quick exit, idle, finished): nothing is saved
            return Outcome(unsaved=sorted(typed))
        return save_typed(self._open(), session.client_id, draft, typed)

    async def save_typed(self, token: str, draft: str, typed: dict[str, str]) -> Outcome:
        """Save text a page kept while the server was away into the draft it names, for the client of
        a live session (``coachkit.web.unsaved``)."""
        if not token or len(token) > 64:
            return Outcome(unsaved=sorted(typed))
        await self.look()
        return await self._run(self._save_typed, token, draft, typed)

    async def end_session(self, token: str) -> None:
        if token and len(token) <= 64:
            await self._run(lambda: self._open().end_session(token=token))

    def _first_screen(self, session: ClientSession, resume: bool, language: str = DEFAULT) -> str:
        try:
            return prepaint.first_screen(self._open(), session, resume, language)
        except Exception:  # the page opens all the same, with "One moment" until its widgets come
            log.exception("Could not paint a client page's first screen")
            return ""

    async def first_screen(self, session: ClientSession, resume: bool, language: str = DEFAULT) -> str:
        """The session's first screen in ``language``, painted (``prepaint``), or "" when it cannot be."""
        return await self._run(self._first_screen, session, resume, language)

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
