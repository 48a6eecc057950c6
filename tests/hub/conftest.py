"""The hub tests' practice (one for the package, shared by the modules that use ``practice``, and
stopped after the last of them) and Chromium. ``test_broken_starts.py`` starts a practice of its own,
and runs first (by its name), so that two practices never run at once.

Without what a practice needs (root, PostgreSQL's programs, the practice's venv, the proxy), the hub
tests are skipped with the reason, except in CI (``CI=true``), where they fail: there they must run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.browser.conftest import browser, chromium_path  # noqa: F401 (fixtures for the hub tests)
from tests.hub.running import RunningPractice, missing, running_practice


def need_a_practice() -> None:
    """Skip (or in CI fail) when a practice cannot run here."""
    reason = missing()
    if reason:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI runs the hub tests, but {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="package")
def practice() -> Iterator[RunningPractice]:
    """A practice with two coaches, started once for the hub tests and always stopped after them. Each
    module adds its own clients; nothing a module does stops the practice or the other coach."""
    need_a_practice()
    with running_practice() as running:
        yield running
