"""Coaches' Hub passwords: set through FirstUseAuthenticator's own API, checked at login by the
practice's authenticator, which lets in the coaches of the practice file as it is now."""

from __future__ import annotations

import asyncio
import stat
from types import SimpleNamespace

import pytest
from firstuseauthenticator import FirstUseAuthenticator

from coachkit.practice import logins
from coachkit.practice.authenticator import PracticeAuthenticator
from coachkit.practice.description import add_coach_to_file

COACHES = '[hub]\nurl = "http://localhost:8000"\n\n[[coaches]]\nname = "ana"\n\n[[coaches]]\nname = "ben"\n'


def authenticator_for(tmp_path) -> PracticeAuthenticator:  # type: ignore[no-untyped-def]
    practice_file = tmp_path / "practice.toml"
    if not practice_file.exists():
        practice_file.write_text(COACHES)
    return PracticeAuthenticator(
        practice_file=str(practice_file),
        dbm_path=str(tmp_path / "state" / "passwords.dbm"),
        check_passwords_on_startup=False,
    )


def log_in(authenticator, name: str, password: str) -> str | None:  # type: ignore[no-untyped-def]
    handler = SimpleNamespace(custom_login_error="")
    return asyncio.run(authenticator.authenticate(handler, {"username": name, "password": password}))


def test_a_password_set_for_a_coach_is_the_one_the_hub_accepts(tmp_path):
    hub = authenticator_for(tmp_path)
    path = tmp_path / "state" / "passwords.dbm"
    password = logins.new_password()
    logins.set_password(path, "ana", password)
    assert logins.has_password(path, "ana")
    assert not logins.has_password(path, "ben")
    assert log_in(hub, "ana", password) == "ana"
    assert log_in(hub, "ana", password + "x") is None
    assert log_in(hub, "ben", "a guess at first use") is None  # no "first use" to claim
    assert not logins.has_password(path, "ben")  # and nothing stored by trying


def test_coaches_added_to_the_file_log_in_and_those_taken_out_do_not_with_no_restart(tmp_path):
    hub = authenticator_for(tmp_path)
    path = tmp_path / "state" / "passwords.dbm"
    password = logins.new_password()
    logins.set_password(path, "cleo", password)
    assert log_in(hub, "cleo", password) is None and not hub.check_allowed("cleo")  # not a coach yet
    add_coach_to_file(tmp_path / "practice.toml", "cleo")
    assert log_in(hub, "cleo", password) == "cleo" and hub.check_allowed("cleo")
    (tmp_path / "practice.toml").write_text(COACHES)
    assert log_in(hub, "cleo", password) is None and not hub.check_allowed("cleo")


def test_the_hubs_own_first_use_authenticator_reads_the_same_passwords(tmp_path):
    path = tmp_path / "state" / "passwords.dbm"
    password = logins.new_password()
    logins.set_password(path, "ana", password)
    plain = FirstUseAuthenticator(dbm_path=str(path), check_passwords_on_startup=False)
    assert log_in(plain, "ana", password) == "ana"  # its change-password page works on them


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
