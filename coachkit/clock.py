"""The time every store is stamped with: now, in UTC.

Tests that need a day to pass do not sleep: they name a file in ``$COACHKIT_TEST_CLOCK`` holding the
time to take as now (ISO 8601), which every process started with it reads at each call (the client
server, its kernels, its sender, the dashboard). No one else sets it; without it, or while the file holds
no time, it is the real time.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

TEST_CLOCK_ENV = "COACHKIT_TEST_CLOCK"


def now() -> dt.datetime:
    path = os.environ.get(TEST_CLOCK_ENV)
    if path:
        try:
            return dt.datetime.fromisoformat(Path(path).read_text().strip()).astimezone(dt.UTC)
        except (OSError, ValueError):
            pass
    return dt.datetime.now(dt.UTC)
