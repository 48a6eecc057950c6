"""Plain records the store hands out: no ORM objects, no live connections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Status = Literal["draft", "completed"]


@dataclass(frozen=True)
class Client:
    id: int
    name: str
    code: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Response:
    """One attempt at one worksheet by one client."""

    id: int
    client_id: int
    worksheet_id: str
    worksheet_version: int
    status: Status
    current_step: int
    started_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None
    language: str | None = None
    """The language its answers were given in (None: before languages were kept)."""
    version: int = 0
    """How many times its answers were written: a save names the version it was read at, and is
    refused (``DraftChanged``) if another save came between."""


@dataclass(frozen=True)
class Rows:
    """Plain rows for the coach's side to shape: column names, then one tuple per row."""

    columns: tuple[str, ...]
    values: list[tuple[object, ...]]


class StoreError(Exception):
    """Base of the store's domain errors."""


class MissingEntry(StoreError):
    """The client or response asked for does not exist."""


class ResponseCompleted(StoreError):
    """A completed response is never changed; doing the exercise again starts a new one."""


class DraftTakenOver(StoreError):
    """Another page (a second tab or window) has opened this draft since; only that page may write it."""


class DraftChanged(DraftTakenOver):
    """The draft was written since this page read it (``version`` moved on): saving now would write over
    answers the page has never seen, so it is refused."""


class DefinitionChanged(StoreError):
    """A worksheet file changed while keeping its version: answers given to the old words would be read
    with the new ones. Raise ``version`` in the file (the message names the worksheet and version)."""


class StoreUnavailable(StoreError):
    """The database could not be written or read (locked, read-only, disk full, unreachable, no rights)."""


class StoreConflict(StoreError):
    """The database refused a change that breaks one of its rules (a unique or foreign key, a check).

    The store's own writes cannot collide with each other; seeing this means something else changed the
    rows at the same moment. Nothing of the change was saved.
    """


class StoreFault(StoreError):
    """The database refused a statement as malformed or unsupported: a bug to fix, not a passing
    condition, so it is never reported as ``StoreUnavailable``. The database's message is its cause."""


@dataclass(frozen=True)
class ClientSession:
    """A browser signed in as a client. ``sheet`` is the page it shows (None: the client's own page);
    ``code_typed``: the client typed their code in this visit, so their private answers may be shown."""

    id: int
    client_id: int
    sheet: str | None
    code_typed: bool
    created_at: dt.datetime
    seen_at: dt.datetime


class CoupleRefused(StoreError):
    """Two clients cannot be linked as partners (the same client, or one already in a couple), or a share
    is not one a partner may make; the message says which."""


@dataclass(frozen=True)
class Share:
    """A partner's finished summary or card, offered to the other: shown once approved, until withdrawn."""

    id: int
    from_client_id: int
    to_client_id: int
    response_id: int
    what: str
    asked_at: dt.datetime
    approved_at: dt.datetime | None
    withdrawn_at: dt.datetime | None

    @property
    def live(self) -> bool:
        """Approved by the coach and withdrawn by no one: the partner may see it."""
        return self.approved_at is not None and self.withdrawn_at is None
