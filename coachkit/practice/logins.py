"""Coaches' Hub logins: a password each, kept as a bcrypt hash by FirstUseAuthenticator.

FirstUseAuthenticator (jupyterhub/firstuseauthenticator) lets a user set their password on first login.
In a practice every coach gets a password the moment they are added (``set_password``, through the
authenticator's own ``reset_password``), and the Hub's ``authenticator.PracticeAuthenticator`` refuses a
name without a password, so there is never a "first use" for anyone to claim. Coaches change their
password at ``/hub/auth/change-password``. Demo coaches' passwords are also kept in plain text in the
practice's state folder (root only), so that ``coachkit practice start`` can print them again.
"""

from __future__ import annotations

import dbm
import secrets
import tomllib
from pathlib import Path

from coachkit.private import private_folder, write_private_file

MINIMUM_LENGTH = 12
"""The shortest password a coach may choose (the generated ones are longer)."""
_WORDS = ("amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "island", "juniper")


def new_password() -> str:
    """A new random password: two words to help reading it out, and 16 random characters (96 bits)."""
    return f"{secrets.choice(_WORDS)}-{secrets.choice(_WORDS)}-{secrets.token_urlsafe(12)}"


def set_password(passwords: Path, name: str, password: str) -> None:
    """Store ``name``'s password (hashed) where the Hub's authenticator reads it."""
    from firstuseauthenticator import FirstUseAuthenticator

    private_folder(passwords.parent)
    authenticator = FirstUseAuthenticator(
        dbm_path=str(passwords), min_password_length=MINIMUM_LENGTH, check_passwords_on_startup=False
    )
    message = authenticator.reset_password(name, password)
    if "success" not in message:
        raise ValueError(message)


def check_password(passwords: Path, name: str, password: str) -> bool:
    """Whether ``password`` is ``name``'s (False for a name without one: there is no first use)."""
    import bcrypt

    try:
        with dbm.open(str(passwords), "r") as db:
            stored = db.get(name.encode())
    except dbm.error:
        return False
    try:
        return stored is not None and bcrypt.checkpw(password.encode(), stored)
    except ValueError:  # not a bcrypt hash: no password
        return False


def has_password(passwords: Path, name: str) -> bool:
    """Whether ``name`` has a password yet (a coach without one could not log in)."""
    try:
        with dbm.open(str(passwords), "r") as db:
            return name.encode() in db
    except dbm.error:
        return False


def remember_demo_login(path: Path, name: str, password: str) -> None:
    """Keep a demo coach's password (plain text, 0600, root only) to print it at each start."""
    logins = demo_logins(path)
    logins[name] = password
    private_folder(path.parent)
    text = "".join(f'{key} = "{value}"\n' for key, value in sorted(logins.items()))
    write_private_file(path, text.encode())


def demo_logins(path: Path) -> dict[str, str]:
    try:
        return tomllib.loads(path.read_text())
    except FileNotFoundError:
        return {}
