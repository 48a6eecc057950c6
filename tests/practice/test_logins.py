"""Coaches' Hub passwords: set through FirstUseAuthenticator's own API, checked by it at login."""

from __future__ import annotations

import asyncio
import stat
from types import SimpleNamespace

import pytest
from firstuseauthenticator import FirstUseAuthenticator

from coachkit.practice import logins


def authenticate(path, name: str, password: str) -> str | None:  # type: ignore[no-untyped-def]
    authenticator = FirstUseAuthenticator(dbm_path=str(path), check_passwords_on_startup=False)
    handler = SimpleNamespace(custom_login_error="")
    return asyncio.run(authenticator.authenticate(handler, {"username": name, "password": password}))


def test_a_password_set_for_a_coach_is_the_one_the_hub_accepts(tmp_path):
    path = tmp_path / "state" / "passwords.dbm"
    password = logins.new_password()
    logins.set_password(path, "ana", password)
    assert logins.has_password(path, "ana")
    assert not logins.has_password(path, "ben")
    assert authenticate(path, "ana", password) == "ana"
    assert authenticate(path, "ana", password + "x") is None
    assert authenticate(path, "ana", "a guess at first use") is None  # no "first use" left to claim


def test_the_password_store_is_private(tmp_path):
    path = tmp_path / "state" / "passwords.dbm"
    logins.set_password(path, "ana", logins.new_password())
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for file in path.parent.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600


def test_a_short_password_is_refused(tmp_path):
    with pytest.raises(ValueError, match="too short"):
        logins.set_password(tmp_path / "passwords.dbm", "ana", "short")


def test_new_passwords_are_long_and_different():
    made = {logins.new_password() for _ in range(50)}
    assert len(made) == 50
    assert all(len(password) >= 2 * logins.MINIMUM_LENGTH for password in made)


def test_demo_logins_are_kept_private_to_show_again(tmp_path):
    path = tmp_path / "state" / "demo-logins.toml"
    logins.remember_demo_login(path, "ana", "amber-birch-x")
    logins.remember_demo_login(path, "ben", "cedar-delta-y")
    assert logins.demo_logins(path) == {"ana": "amber-birch-x", "ben": "cedar-delta-y"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
