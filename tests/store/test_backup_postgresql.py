"""`coachkit backup` and `coachkit restore` of a PostgreSQL store, as docs/postgresql.md describes them.

A real server throughout: pg_dump's archive is checked, a restore keeps the replaced database under a
new name, and every way a restore can fail (the server still running, a file that is not a store's
backup, pg_restore stopping half-way, the tools missing) leaves the store exactly as it was.
"""

from __future__ import annotations

import re
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import make_url

from coachkit import config
from coachkit.cli import main
from coachkit.store import Store
from coachkit.store.backup import backup_store
from tests.store import raw

pytestmark = pytest.mark.postgresql_only

WORKSHEET = "fight-or-make-it-right"


def coachkit(*words: str) -> Result:
    return CliRunner().invoke(main, list(words))


def backup(url: str, target: Path) -> Result:
    return coachkit("backup", "--database", url, "--to", str(target))


def restore(url: str, target: Path) -> Result:
    return coachkit("restore", "--database", url, "--yes", str(target))


def databases(postgres) -> set[str]:
    return {name for (name,) in postgres.query("SELECT datname FROM pg_database")}


@pytest.fixture
def backed_up(store, tmp_path):
    """A store, a `coachkit backup` of it, then more saves; the store is closed (the server stopped)."""
    ann = store.add_client("Ann Lee")
    draft = store.start_response(ann.id, WORKSHEET, 1)
    store.save_step(draft.id, "meeting_a_fight", {"approach": "run"}, current_step=1)
    copy = tmp_path / "backups" / "coachkit-2026-11-26-101500.pgdump"
    result = backup(store.url, copy)
    assert result.exit_code == 0, result.output
    assert f"Backed up to {copy}" in result.output
    store.save_step(draft.id, "meeting_a_fight", {"approach": "look"}, current_step=2)
    store.add_client("Added After The Backup")
    store.set_setting("safety_help", "changed after the backup")
    store.close()
    return store.url, copy, draft.id


def test_a_backup_is_one_file_in_pg_dumps_custom_format(backed_up):
    _, copy, _ = backed_up
    assert copy.read_bytes().startswith(b"PGDMP")
    assert sorted(path.name for path in copy.parent.iterdir()) == [copy.name]


def test_a_backup_is_private_and_so_is_its_new_folder(store, tmp_path, loose_umask):
    # The library call: the coachkit command's own umask would make any file private.
    copy = tmp_path / "data" / "backups" / "copy.pgdump"
    assert backup_store(store.url, copy) == copy
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert (
        stat.S_IMODE(copy.parent.stat().st_mode) == stat.S_IMODE(copy.parent.parent.stat().st_mode) == 0o700
    )


def test_without_to_a_backup_goes_to_the_coachs_data_folder(store, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "data_dir", lambda: tmp_path / "data")
    result = coachkit("backup", "--database", store.url)
    assert result.exit_code == 0, result.output
    [copy] = (tmp_path / "data" / "backups").iterdir()
    assert re.fullmatch(r"coachkit-\d{4}-\d\d-\d\d-\d{6}\.pgdump", copy.name)
    assert copy.read_bytes().startswith(b"PGDMP")


def test_restoring_brings_back_the_backed_up_store(backed_up):
    url, copy, draft_id = backed_up
    result = restore(url, copy)
    assert result.exit_code == 0, result.output
    restored = Store(url)
    try:
        assert [client.name for client in restored.find_clients()] == ["Ann Lee"]
        assert restored.get_answers(draft_id) == {"approach": "run"}
        assert restored.get_response(draft_id).current_step == 1
        assert restored.get_setting("safety_help") is None
        restored.save_step(draft_id, "your_side", {"role": "both"}, current_step=4)  # and it is usable
        assert restored.add_client("New After The Restore").name == "New After The Restore"
    finally:
        restored.close()


def test_the_replaced_database_is_kept_with_everything_saved_before_the_restore(backed_up, postgres):
    url, copy, draft_id = backed_up
    result = restore(url, copy)
    assert result.exit_code == 0, result.output
    kept_url = result.output.strip().rsplit("kept as ", 1)[1].rstrip(".")
    assert re.search(r"/store_\d+_before_restore_\d{8}_\d{6}\?", kept_url)
    kept = Store(kept_url)
    try:
        assert [client.name for client in kept.find_clients()] == ["Added After The Backup", "Ann Lee"]
        assert kept.get_answers(draft_id) == {"approach": "look"}
        assert kept.get_setting("safety_help") == "changed after the backup"
    finally:
        kept.close()


def test_restoring_while_the_server_is_connected_is_refused_and_changes_nothing(backed_up, postgres):
    url, copy, _ = backed_up
    before, names = raw.table_rows(url), databases(postgres)
    running = Store(url)
    try:
        with running.engine.connect():  # a kernel's open connection
            result = restore(url, copy)
    finally:
        running.close()
    assert result.exit_code == 1
    assert "stop the server" in result.output
    assert "Traceback" not in result.output
    assert raw.table_rows(url) == before
    assert databases(postgres) == names


def sqlite_file(path: Path) -> Path:
    store = Store(f"sqlite:///{path}")
    store.close()
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: sqlite_file(path / "a-sqlite-store.sqlite"), "not a pg_dump archive"),
        (
            lambda path: (path / "noise.pgdump", (path / "noise.pgdump").write_bytes(b"PGDMP" * 99))[0],
            "pg_dump",
        ),
    ],
    ids=["sqlite-file", "damaged"],
)
def test_restoring_a_file_that_is_not_a_store_backup_changes_nothing(
    backed_up, postgres, tmp_path, make, message
):
    url, _, _ = backed_up
    before, names = raw.table_rows(url), databases(postgres)
    result = restore(url, make(tmp_path))
    assert result.exit_code == 1
    assert message in result.output
    assert raw.table_rows(url) == before
    assert databases(postgres) == names


def test_restoring_a_dump_of_another_database_is_refused(backed_up, postgres, tmp_path):
    url, _, _ = backed_up
    other = make_url(postgres.new_database("other")).database
    postgres.sql("CREATE TABLE notes (id int)", database=other)
    dump = tmp_path / "other.pgdump"
    pg_dump = [str(postgres.bin_dir / "pg_dump"), "--format=custom", "--file", str(dump)]
    subprocess.run(
        [*pg_dump, f"dbname={other} host={postgres.socket_dir} user={postgres.superuser}"],
        check=True,
        timeout=60,
    )
    before, names = raw.table_rows(url), databases(postgres)
    result = restore(url, dump)
    assert result.exit_code == 1
    assert "not a coachkit store" in result.output and "clients" in result.output
    assert raw.table_rows(url) == before
    assert databases(postgres) == names


def test_backing_up_a_database_that_is_not_a_store_is_refused(postgres, tmp_path):
    other = postgres.new_database("not_a_store")
    target = tmp_path / "copy.pgdump"
    result = backup(other, target)
    assert result.exit_code == 1
    assert "the backup is not a coachkit store" in result.output
    assert not target.exists()


def test_a_restore_that_fails_half_way_puts_the_store_back(store, postgres, tmp_path):
    # The backup grants a role that is gone by the time it is restored: pg_restore stops on it.
    database = store.engine.url.database
    store.add_client("Ann Lee")
    postgres.sql("CREATE ROLE gone_by_then")
    postgres.sql("GRANT SELECT ON clients TO gone_by_then", database=database)
    copy = tmp_path / "copy.pgdump"
    assert backup(store.url, copy).exit_code == 0
    postgres.sql("REVOKE SELECT ON clients FROM gone_by_then", database=database)
    postgres.sql("DROP ROLE gone_by_then")
    store.add_client("Added After The Backup")
    store.close()
    before, names = raw.table_rows(store.url), databases(postgres)

    result = restore(store.url, copy)
    assert result.exit_code == 1
    assert "pg_restore failed" in result.output and "gone_by_then" in result.output
    assert raw.table_rows(store.url) == before
    assert databases(postgres) == names


@pytest.mark.usefixtures("postgres")  # for its programs
def test_backup_of_an_unreachable_server_is_a_clear_error(tmp_path):
    url = f"postgresql+psycopg://coach:s3cret-word@/coachkit?host={tmp_path}"
    target = tmp_path / "copy.pgdump"
    result = backup(url, target)
    assert result.exit_code == 1
    assert "pg_dump failed" in result.output
    assert "s3cret-word" not in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


def test_missing_postgresql_tools_are_a_clear_error(backed_up, tmp_path, monkeypatch):
    url, copy, _ = backed_up
    before = raw.table_rows(url)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    for result, tool in (
        (backup(url, tmp_path / "again.pgdump"), "pg_dump"),
        (restore(url, copy), "pg_restore"),
    ):
        assert result.exit_code == 1
        assert f"{tool} was not found" in result.output
        assert "postgresql-client" in result.output
    assert not (tmp_path / "again.pgdump").exists()
    assert raw.table_rows(url) == before


def test_the_role_docs_postgresql_md_sets_up_can_back_up_and_restore(postgres, tmp_path):
    # As the guide says: a role that may create databases, owning the store's database. Not a superuser.
    postgres.sql("CREATE ROLE practice LOGIN CREATEDB PASSWORD 'pw-for-practice'")
    postgres.sql("CREATE DATABASE practice_store OWNER practice")
    url = postgres.url("practice_store", user="practice").replace("practice@", "practice:pw-for-practice@")
    created = coachkit("init", "--database", url)
    assert created.exit_code == 0, created.output
    assert created.output.startswith("Store ready: postgresql+psycopg://practice:***@/practice_store?")
    store = Store(url)
    store.add_client("Ann Lee")
    store.close()
    copy = tmp_path / "practice.pgdump"
    assert backup(url, copy).exit_code == 0
    result = restore(url, copy)
    assert result.exit_code == 0, result.output
    assert "pw-for-practice" not in result.output
    owners = raw.query(
        postgres.url("practice_store"),
        "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'",
    )
    assert owners == [("practice",)]
    restored = Store(url)
    try:
        assert [client.name for client in restored.find_clients()] == ["Ann Lee"]
    finally:
        restored.close()
    for name in (
        "practice_store",
        *(n for n in databases(postgres) if n.startswith("practice_store_before")),
    ):
        postgres.drop_database(postgres.url(name))
