"""Every setting has a check, and the checks say what to type instead."""

import pytest

from coachkit.setting_checks import CHECKS, SettingRefused, checked
from coachkit.settings import SESSION_MINUTES, SETTINGS, SMTP_SECURITY, TIME_ZONE


def test_every_setting_has_a_check():
    assert set(CHECKS) == {setting.key for setting in SETTINGS.values()}


def test_every_default_passes_its_own_check():
    for setting in SETTINGS.values():
        if setting.default:
            assert checked(setting, setting.default) == setting.default


def test_values_are_trimmed_and_normalised():
    assert checked(SMTP_SECURITY, "  STARTTLS ") == "starttls"
    assert checked(SESSION_MINUTES, "045") == "45"
    assert checked(TIME_ZONE, "") == ""


def test_a_refusal_names_the_setting():
    with pytest.raises(SettingRefused, match=r"^session-minutes: it must be a whole number"):
        checked(SESSION_MINUTES, "ten")
