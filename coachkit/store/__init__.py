"""The client store: clients, responses and one row per answer, behind one facade."""

from coachkit.store.facade import Store
from coachkit.store.records import (
    Client,
    DraftTakenOver,
    MissingEntry,
    Response,
    ResponseCompleted,
    StoreError,
    StoreUnavailable,
)

__all__ = [
    "Client",
    "DraftTakenOver",
    "MissingEntry",
    "Response",
    "ResponseCompleted",
    "Store",
    "StoreError",
    "StoreUnavailable",
]
