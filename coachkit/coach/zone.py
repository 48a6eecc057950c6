"""The coach's time zone: every day and hour the dashboard and the exports show is in it.

The store keeps UTC; the coach's ``time-zone`` setting (an IANA name such as ``Europe/Berlin``) says where
they read it, and without one this computer's own zone is used.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pandas as pd

from coachkit.settings import TIME_ZONE, SettingsSource


def coach_zone(source: SettingsSource) -> dt.tzinfo:
    """The zone named by the coach's setting, else this computer's."""
    name = (source.get_setting(TIME_ZONE.key) or "").strip()
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            pass  # the setting's check refuses such names; an older store may still hold one
    return dt.datetime.now().astimezone().tzinfo or dt.UTC


def zone_name(zone: dt.tzinfo) -> str:
    """How the zone is named for the coach ("Europe/Berlin", or this computer's abbreviation)."""
    return getattr(zone, "key", None) or dt.datetime.now(zone).tzname() or "UTC"


def in_zone(frame: pd.DataFrame, zone: dt.tzinfo) -> pd.DataFrame:
    """A copy of ``frame`` with every zoned time column shown in ``zone``. Pure."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_convert(zone)
    return out
