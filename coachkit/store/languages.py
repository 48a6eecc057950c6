"""Languages in the store: the one a coach sets for a client, the one the client chose on their page, and
the one their browser last asked for (``coachkit.i18n.languages.resolve`` decides between them).

Codes are short tags (``es``, ``ar``); which ones a page can show is ``coachkit.i18n``'s business, not the
store's, so an unknown code is kept as given and simply not used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from coachkit.store import tables as t
from coachkit.store.signins import digest

MAX_TAG = 16


@dataclass(frozen=True)
class ClientLanguages:
    """A client's languages: ``chosen`` by them on their page, set by the ``coach``, and their
    ``browser``'s as last seen (each None when there is none)."""

    client_id: int
    chosen: str | None = None
    coach: str | None = None
    browser: str | None = None


def _tag(language: str | None) -> str | None:
    if language is None:
        return None
    tag = language.strip()
    if not tag or len(tag) > MAX_TAG or not all(c.isalnum() or c == "-" for c in tag):
        raise ValueError(f"{language!r} is not a language tag (such as es or ar)")
    return tag


class Languages:
    """The store's language methods (mixed into ``Store``)."""

    now: Callable[[], dt.datetime]
    _writing: Callable[[], AbstractContextManager[Connection]]
    _reading: Callable[[], AbstractContextManager[Connection]]
    _require_client: Callable[..., None]
    _upsert: Callable[..., None]  # the Assignments mixin's: a client_contact row, inserted or updated

    def get_languages(self, client_id: int) -> ClientLanguages:
        """A client's languages (all None for an unknown client)."""
        cl, c = t.clients, t.client_contact
        query = (
            select(cl.c.language.label("coach"), c.c.language.label("chosen"), c.c.browser_language)
            .select_from(cl.outerjoin(c, c.c.client_id == cl.c.id))
            .where(cl.c.id == client_id)
        )
        with self._reading() as connection:
            row = connection.execute(query).first()
        if row is None:
            return ClientLanguages(client_id)
        return ClientLanguages(client_id, row.chosen, row.coach, row.browser_language)

    def link_languages(self, key: str) -> ClientLanguages | None:
        """The languages of the client a link is for, while it can still be used (None otherwise): its
        Open page is in their language before anything is spent."""
        links = t.sign_in_links
        query = select(links.c.client_id).where(
            links.c.key_hash == digest(key), links.c.used_at.is_(None), links.c.expires_at > self.now()
        )
        with self._reading() as connection:
            client_id = connection.execute(query).scalar()
        return None if client_id is None else self.get_languages(client_id)

    def set_client_language(self, client_id: int, language: str | None) -> None:
        """The coach's setting for a client (None: none; the client's choice still wins)."""
        with self._writing() as connection:
            self._require_client(connection, client_id)
            query = update(t.clients).where(t.clients.c.id == client_id).values(language=_tag(language))
            connection.execute(query)

    def choose_language(self, client_id: int, language: str | None) -> None:
        """The language the client picked on their page (None: theirs no longer; the coach's or the
        browser's is used)."""
        self._contact(client_id, language=_tag(language))

    def note_browser_language(self, client_id: int, language: str) -> None:
        """The language the client's browser asked for, as they signed in (kept until it changes)."""
        if self.get_languages(client_id).browser != language:
            self._contact(client_id, browser_language=_tag(language))

    def _contact(self, client_id: int, **values: Any) -> None:
        with self._writing() as connection:
            self._require_client(connection, client_id, lock=True)
            self._upsert(connection, client_id, **values)
