"""The client store: clients, responses and one row per answer, behind one facade."""

from coachkit.store.facade import Store
from coachkit.store.records import (
    Client,
    DraftTakenOver,
    MissingEntry,
    Response,
    ResponseCompleted,
    StoreConflict,
    StoreError,
    StoreFault,
    StoreUnavailable,
)

__all__ = [
    "Client",
    "DraftTakenOver",
    "MissingEntry",
    "Response",
    "ResponseCompleted",
    "Store",
    "StoreConflict",
    "StoreError",
    "StoreFault",
    "StoreUnavailable",
]
