"""The coach's own login for the dashboard: a password set once, kept only as an Argon2 hash.

argon2-cffi (the library jupyter_server itself uses for passwords, so it is installed already) hashes
with Argon2id and a fresh salt; the hash sits in the store's settings, so a backup keeps it and a copy of
the store reveals no password. The dashboard server asks for it on its login page; ``coachkit dashboard
login`` or the dashboard's settings set it.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from coachkit.settings import SettingsSource

LOGIN_KEY = "dashboard_login"
"""The store setting holding the hash (never a coach setting shown by ``settings show``)."""
MIN_LENGTH = 10
MAX_LENGTH = 200
_HASHER = PasswordHasher()


class LoginRefused(ValueError):
    """A password that cannot be set; the message says why."""


def password_problem(password: str, again: str) -> str:
    """Why this password cannot be the login ("" if it can)."""
    if password != again:
        return "the two passwords differ"
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return f"a password needs {MIN_LENGTH} to {MAX_LENGTH} characters (a few words make a good one)"
    return ""


def set_login(store, password: str, again: str) -> None:  # type: ignore[no-untyped-def]
    """Make ``password`` the dashboard's login (``LoginRefused`` if it cannot be)."""
    if problem := password_problem(password, again):
        raise LoginRefused(problem)
    store.set_setting(LOGIN_KEY, _HASHER.hash(password))


def has_login(source: SettingsSource) -> bool:
    return bool(source.get_setting(LOGIN_KEY))


def check_login(source: SettingsSource, password: str) -> bool:
    """Whether ``password`` is the dashboard's login (False while none is set)."""
    kept = source.get_setting(LOGIN_KEY)
    if not kept or not password:
        return False
    try:
        return _HASHER.verify(kept, password)
    except (VerificationError, InvalidHashError):
        return False
