"""Database errors as the store's domain errors, so no caller ever handles a driver's exception.

The driver's class says what happened (PEP 249 names it the same in every driver and in SQLAlchemy's
wrappers): the database being out of reach, busy, full or read-only is ``StoreUnavailable``, a broken
key or check is ``StoreConflict``, and a statement the database refuses as malformed is ``StoreFault``
(a bug, which must never look like a passing condition). Two drivers blur this, and are read closer:
SQLite reports a syntax error or a missing table as an ``OperationalError`` (its code is ``SQLITE_ERROR``),
and PostgreSQL reports a role without the right to a table as a ``ProgrammingError`` (SQLSTATE 42501).
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from coachkit.store.records import StoreConflict, StoreError, StoreFault, StoreUnavailable

PEP249_KINDS = {
    "IntegrityError": StoreConflict,
    "ProgrammingError": StoreFault,
    "DataError": StoreFault,
    "NotSupportedError": StoreFault,
    "OperationalError": StoreUnavailable,
    "InterfaceError": StoreUnavailable,
    "InternalError": StoreUnavailable,
    "DatabaseError": StoreUnavailable,
    "Error": StoreUnavailable,
}
"""Each PEP 249 exception class, most specific first, and the domain error it becomes."""

SQLITE_ERROR = 1
"""SQLite's generic result code: a syntax error, a missing table or column (never a passing condition)."""
INSUFFICIENT_PRIVILEGE = "42501"


def domain_error(error: Exception) -> StoreError:
    """The store's error for a database error: SQLAlchemy's wrapper or the driver's own exception."""
    cause = error.orig if isinstance(error, DBAPIError) else error
    kind = next(
        (PEP249_KINDS[cls.__name__] for cls in type(error).__mro__ if cls.__name__ in PEP249_KINDS),
        StoreUnavailable,
    )
    if getattr(cause, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
        kind = StoreUnavailable
    elif kind is StoreUnavailable and (getattr(cause, "sqlite_errorcode", 0) or 0) & 0xFF == SQLITE_ERROR:
        kind = StoreFault
    message = str(cause).strip() or type(cause).__name__
    return kind(message)
