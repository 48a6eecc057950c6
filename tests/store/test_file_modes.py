"""Client data on disk is private: the store and its -wal and -shm, backups and restored stores are 0600,
and the folders coachkit makes for them 0700, whatever the process's umask (tests run with 022).

The ``coachkit`` command also sets umask 077 for itself and the servers it starts.
"""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from coachkit import config
from coachkit.store import Store
from coachkit.store.backup import backup_store, restore_store

pytestmark = [pytest.mark.sqlite_only, pytest.mark.usefixtures("loose_umask")]


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_a_new_store_its_wal_and_shm_and_its_new_folders_are_private(tmp_path):
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    path = home / "practice" / "data" / "coachkit.sqlite"
    store = Store(f"sqlite:///{path}")
    try:
        store.add_client("Ann Lee")
        companions = [Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert all(companion.exists() for companion in companions)  # WAL, a connection still open
        assert [mode(file) for file in (path, *companions)] == ["0o600"] * 3
    finally:
        store.close()
    assert mode(path.parent) == mode(path.parent.parent) == "0o700"
    assert mode(home) == "0o755"  # a folder that was there already is left alone


def test_opening_an_existing_store_takes_away_other_users_access(tmp_path):
    path = tmp_path / "coachkit.sqlite"
    Store(f"sqlite:///{path}").close()
    path.chmod(0o644)
    wal = Path(f"{path}-wal")
    wal.write_bytes(b"")  # as a stopped server may leave it
    wal.chmod(0o664)
    store = Store(f"sqlite:///{path}")
    try:
        store.add_client("Ann Lee")
        assert mode(path) == mode(wal) == mode(Path(f"{path}-shm")) == "0o600"
    finally:
        store.close()


def test_the_checkouts_own_data_folder_is_made_private(tmp_path, monkeypatch):
    checkout = tmp_path / "checkout"
    for folder in (checkout, checkout / "coachkit", checkout / "data"):
        folder.mkdir(mode=0o755)  # as git makes them
    (checkout / "pyproject.toml").touch()
    monkeypatch.setattr(config, "PROJECT_ROOT", checkout)
    Store(config.default_database_url()).close()
    assert mode(checkout / "data") == "0o700"
    assert mode(checkout / "data" / "coachkit.sqlite") == "0o600"
    assert mode(checkout) == mode(checkout / "coachkit") == "0o755"


def test_an_installed_coachkits_data_folder_is_made_private_with_its_parents(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "PROJECT_ROOT", tmp_path / "site-packages")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    (tmp_path / "home").mkdir(mode=0o755)
    Store(config.default_database_url()).close()
    store = tmp_path / "home" / ".local" / "share" / "coachkit" / "coachkit.sqlite"
    assert mode(store) == "0o600"
    assert [mode(folder) for folder in store.parents[:3]] == ["0o700"] * 3
    assert mode(tmp_path / "home") == "0o755"


# The library calls, not the command: the command's own umask would make any file private.


def test_a_backup_and_its_new_folder_are_private(store, tmp_path):
    store.add_client("Ann Lee")
    copy = tmp_path / "data" / "backups" / "copy.sqlite"
    assert backup_store(store.url, copy) == copy
    assert mode(copy) == "0o600"
    assert mode(copy.parent) == mode(copy.parent.parent) == "0o700"


def test_a_restored_store_is_private(store, tmp_path):
    store.add_client("Ann Lee")
    copy = tmp_path / "copy.sqlite"
    backup_store(store.url, copy)
    copy.chmod(0o644)  # a backup copied around with looser rights
    store.close()
    restore_store(store.url, copy)
    assert mode(Path(store.engine.url.database)) == "0o600"


def test_the_coachkit_command_sets_a_private_umask_for_what_it_starts():
    script = (
        "import os; from click.testing import CliRunner; from coachkit.cli import main; "
        "os.umask(0o022); CliRunner().invoke(main, ['worksheets']); print(oct(os.umask(0)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "0o77"
