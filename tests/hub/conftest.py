"""The hub tests' practice (one per module) and Chromium.

Without what a practice needs (root, PostgreSQL's programs, the practice's venv, the proxy), the hub
tests are skipped with the reason, except in CI (``CI=true``), where they fail: there they must run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.browser.conftest import browser, chromium_path  # noqa: F401 (fixtures for the hub tests)
from tests.hub.running import RunningPractice, missing, running_practice


@pytest.fixture(scope="module")
def practice() -> Iterator[RunningPractice]:
    """A practice with two coaches, started for the module's tests and always stopped after them."""
    reason = missing()
    if reason:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI runs the hub tests, but {reason}", pytrace=False)
        pytest.skip(reason)
    with running_practice() as running:
        yield running
