"""The client store: clients, responses and one row per answer, behind one facade."""

from coachkit.store.assignments import Assignment, Contact
from coachkit.store.facade import Store
from coachkit.store.languages import ClientLanguages
from coachkit.store.live import LiveMarks, LiveResponse, ResponseMark
from coachkit.store.notes import CoachNote
from coachkit.store.outbox import Alert, Mail
from coachkit.store.pages import OpenPage
from coachkit.store.records import (
    Client,
    ClientSession,
    CoupleRefused,
    DefinitionChanged,
    DraftChanged,
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
    "CoachNote",
    "Contact",
    "CoupleRefused",
    "DefinitionChanged",
    "DraftChanged",
    "DraftTakenOver",
    "LiveMarks",
    "LiveResponse",
    "Mail",
    "MissingEntry",
    "OpenPage",
    "Response",
    "ResponseCompleted",
    "ResponseMark",
    "Rows",
    "Share",
    "Store",
    "StoreConflict",
    "StoreError",
    "StoreFault",
    "StoreUnavailable",
]
