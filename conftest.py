"""Test-wide setup: every test run, nbval's kernels included, uses a throw-away store."""

import os
import tempfile
from pathlib import Path

os.environ["COACHKIT_DATABASE_URL"] = (
    f"sqlite:///{Path(tempfile.mkdtemp(prefix='coachkit-test-')) / 'store.sqlite'}"
)
os.environ.pop("QUERY_STRING", None)
