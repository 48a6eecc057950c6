"""The checks every change of a coach's setting passes, whether typed in a terminal or on the dashboard.

``checked(setting, text)`` gives the value to keep, or raises ``SettingRefused`` whose message says what
to type instead; ``change_setting`` checks and saves. The CLI and the dashboard both call these, so a
value one refuses the other refuses too.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from email.utils import parseaddr
from typing import Protocol
from urllib.parse import urlsplit

from coachkit import settings as s

HELP_TEXT_LENGTH = 2000
TITLE_LENGTH = 60
SECURITIES = ("starttls", "tls", "none")


class SettingRefused(ValueError):
    """A value a setting cannot take; the message says why, in the coach's words."""


class SettingsStore(Protocol):
    def set_setting(self, key: str, value: str) -> None: ...


def _text(limit: int, empty_ok: bool = False) -> Callable[[str], str]:
    def check(text: str) -> str:
        if not text and not empty_ok:
            raise SettingRefused("it cannot be empty")
        if len(text) > limit:
            raise SettingRefused(f"it can be at most {limit} characters (this is {len(text)})")
        return text

    return check


def _web_address(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
        raise SettingRefused("it must be a web address starting with https:// (or http://)")
    return text


def _minutes(text: str) -> str:
    low, high = s.SESSION_MINUTES_RANGE
    if not text.isdigit() or not low <= int(text) <= high:
        raise SettingRefused(f"it must be a whole number of minutes from {low} to {high}")
    return str(int(text))


def _port(text: str) -> str:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise SettingRefused("it must be a port number from 1 to 65535 (usually 587, or 465 with tls)")
    return str(int(text))


def _security(text: str) -> str:
    if text.lower() not in SECURITIES:
        raise SettingRefused(f"it must be one of {', '.join(SECURITIES)}")
    return text.lower()


def _address(text: str) -> str:
    if text and ("@" not in parseaddr(text)[1] or any(c.isspace() for c in text)):
        raise SettingRefused("it must be an email address, such as you@example.org (or empty)")
    return text


def _host(text: str) -> str:
    if any(c.isspace() or c in "/:@" for c in text):
        raise SettingRefused("it must be a server's name, such as smtp.example.org (or empty)")
    return text


def _days(text: str) -> str:
    if not text.isdigit() or not 1 <= int(text) <= 365:
        raise SettingRefused("it must be a whole number of days from 1 to 365")
    return str(int(text))


def _language(text: str) -> str:
    from coachkit.i18n import LANGUAGES

    if text not in LANGUAGES:
        raise SettingRefused(f"it must be one of {', '.join(LANGUAGES)}")
    return text


def _zone(text: str) -> str:
    if text:
        try:
            zoneinfo.ZoneInfo(text)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            raise SettingRefused(
                "it must be a time zone name, such as Europe/Berlin or America/Chicago (or empty)"
            ) from None
    return text


CHECKS: dict[str, Callable[[str], str]] = {
    s.SAFETY_HELP.key: _text(HELP_TEXT_LENGTH),
    s.CRISIS_HELP.key: _text(HELP_TEXT_LENGTH),
    s.CHANGE_HELP.key: _text(HELP_TEXT_LENGTH),
    s.QUICK_EXIT_URL.key: _web_address,
    s.PAGE_TITLE.key: _text(TITLE_LENGTH),
    s.SESSION_MINUTES.key: _minutes,
    s.ALERT_EMAIL.key: _address,
    s.SMTP_HOST.key: _host,
    s.SMTP_PORT.key: _port,
    s.SMTP_SECURITY.key: _security,
    s.SMTP_USER.key: _text(200, empty_ok=True),
    s.SMTP_FROM.key: _address,
    s.TIME_ZONE.key: _zone,
    s.REMINDER_NAME.key: _text(TITLE_LENGTH),
    s.QUIET_DAYS.key: _days,
    s.COACH_LANGUAGE.key: _language,
}
"""One check per setting (a test checks that every setting has one)."""


def checked(setting: s.Setting, text: str) -> str:
    """The value to keep for ``setting`` (spaces trimmed), or ``SettingRefused`` saying why not."""
    value = text.replace("\x00", "").strip()
    try:
        return CHECKS[setting.key](value)
    except SettingRefused as refused:
        raise SettingRefused(f"{setting.name}: {refused}") from None


def change_setting(store: SettingsStore, setting: s.Setting, text: str) -> str:
    """Check ``text`` and save it as ``setting``; the value kept."""
    value = checked(setting, text)
    store.set_setting(setting.key, value)
    return value
