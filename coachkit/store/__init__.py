"""The client store: clients, responses and one row per answer, behind one facade."""

from coachkit.store.assignments import Assignment, Contact
from coachkit.store.facade import Store
from coachkit.store.languages import ClientLanguages
from coachkit.store.outbox import Alert, Mail
from coachkit.store.records import (
    Client,
    ClientSession,
    CoupleRefused,
    DefinitionChanged,
    DraftTakenOver,
    MissingEntry,
    Response,
    ResponseCompleted,
    Rows,
    Share,
    StoreConflict,
    StoreError,
    StoreFault,
    StoreUnavailable,
)

__all__ = [
    "Alert",
    "Assignment",
    "Client",
    "ClientLanguages",
    "ClientSession",
    "Contact",
    "CoupleRefused",
    "DefinitionChanged",
    "DraftTakenOver",
    "Mail",
    "MissingEntry",
    "Response",
    "ResponseCompleted",
    "Rows",
    "Share",
    "Store",
    "StoreConflict",
    "StoreError",
    "StoreFault",
    "StoreUnavailable",
]
