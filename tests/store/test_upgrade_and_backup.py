"""An older store is upgraded with its data intact; `coachkit backup` copies a live store; restoring works.

Real databases throughout: the old store is built by the 0001 migration and filled with plain SQL, the
live store is written to by another process while the backup runs (both on SQLite and PostgreSQL),
and the SQLite restore follows the coach's guide step by step (PostgreSQL's restore:
``test_backup_postgresql.py``).
"""

from __future__ import annotations

import re
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from coachkit import codes, config
from coachkit.cli import main
from coachkit.store import Store
from coachkit.store.database import HEAD_REVISION, create_store_engine, schema_revision, upgrade_schema
from tests.store import raw
from tests.store.raw_sqlite import TABLES, integrity, table_rows

WORKSHEET = "fight-or-make-it-right"
NEW_INDEX = "ix_responses_client_worksheet_status"


def backup(url: str, target: Path):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["backup", "--database", url, "--to", str(target)])


# -- an older schema -------------------------------------------------------------------------


OLD_ROWS = """
INSERT INTO clients (id, name, code, created_at) VALUES
    (1, 'Ann Lee', :ann, '2024-03-01 09:30:00.000000'),
    (2, 'Bo Quist', :bo, '2024-03-02 10:00:00.000000');
INSERT INTO responses (id, client_id, worksheet_id, worksheet_version, status, current_step,
                       started_at, updated_at, completed_at) VALUES
    (1, 1, 'fight-or-make-it-right', 1, 'completed', 5,
        '2024-03-01 09:31:00.000000', '2024-03-01 09:40:00.000000', '2024-03-01 09:40:00.000000'),
    (2, 1, 'fight-or-make-it-right', 1, 'draft', 2,
        '2024-03-05 18:00:00.000000', '2024-03-05 18:05:00.000000', NULL),
    (3, 2, 'wanting-them-back', 1, 'draft', 1,
        '2024-03-02 10:01:00.000000', '2024-03-02 10:02:00.000000', NULL);
INSERT INTO answers (id, response_id, step_id, field_id, value_json, saved_at) VALUES
    (1, 1, 'meeting_a_fight', 'approach', '"run"', '2024-03-01 09:32:00.000000'),
    (2, 1, 'safety', 'felt_unsafe', '"yes"', '2024-03-01 09:40:00.000000'),
    (3, 2, 'meeting_a_fight', 'approach', '"look"', '2024-03-05 18:01:00.000000'),
    (4, 2, 'how_often', 'recent_fight', '"Über die Küche 😊 \\"quoted\\""', '2024-03-05 18:04:00.000000'),
    (5, 3, 'first', 'still_in_touch', 'true', '2024-03-02 10:02:00.000000');
INSERT INTO response_flags (id, response_id, flag, raised_at) VALUES
    (1, 1, 'safety', '2024-03-01 09:40:00.000000');
INSERT INTO settings (key, value) VALUES ('safety_help', 'Call 116 123');
"""


def without_new_columns(rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The rows as 0001 had them: 0003 added ``responses.writer``, 0010 its ``version`` (0 for every
    older row), 0012 its and the clients' ``language`` (none kept before), 0007 the flags' ``cleared_at``,
    ``checked_at`` and ``checked_note`` (empty)."""
    assert all(row[-1] is None for row in rows["clients"])
    assert all(row[-3:] == (None, 0, None) for row in rows["responses"])
    assert all(row[-3:] == (None, None, None) for row in rows["response_flags"])
    return {
        **rows,
        "clients": [row[:-1] for row in rows["clients"]],
        "responses": [row[:-3] for row in rows["responses"]],
        "response_flags": [row[:-3] for row in rows["response_flags"]],
    }


@pytest.fixture
def old_store(store_url, backend) -> tuple[str, dict[str, str]]:
    """A store at 0001_initial, as an earlier coachkit left it, with clients, answers and flags."""
    url = store_url
    engine = create_store_engine(url)
    upgrade_schema(engine, "0001_initial")
    client_codes = {"ann": codes.new_code(), "bo": codes.new_code()}
    with engine.begin() as connection:
        for statement in OLD_ROWS.split(";"):
            if statement.strip():
                connection.execute(text(statement), client_codes)
        if backend == "postgresql":  # rows inserted with their ids leave the id sequences behind
            for table in ("clients", "responses", "answers", "response_flags"):
                connection.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
    assert schema_revision(engine) == "0001_initial"
    assert NEW_INDEX not in {index["name"] for index in inspect(engine).get_indexes("responses")}
    engine.dispose()
    return url, client_codes


def test_opening_an_older_store_upgrades_it_with_every_row_intact(old_store, backend):
    url, client_codes = old_store
    before = raw.table_rows(url)
    store = Store(url)
    try:
        assert schema_revision(store.engine) == HEAD_REVISION
        assert NEW_INDEX in {index["name"] for index in inspect(store.engine).get_indexes("responses")}
        after = raw.table_rows(url)
        assert after.pop("alembic_version") == [(HEAD_REVISION,)]
        before.pop("alembic_version")
        assert without_new_columns(after) == before

        ann = store.find_client_by_code(client_codes["ann"])
        assert ann is not None and ann.name == "Ann Lee"
        assert store.find_draft(ann.id, WORKSHEET).id == 2
        assert store.get_answers(2) == {"approach": "look", "recent_fight": 'Über die Küche 😊 "quoted"'}
        assert store.get_answers(3) == {"still_in_touch": True}
        assert store.find_flags(1) == {"safety"}
        assert store.get_setting("safety_help") == "Call 116 123"
        assert store.get_response(1).status == "completed"

        store.save_step(2, "instant_answer", {"fight_or_right": "right"}, current_step=2)
        assert store.get_answers(2)["fight_or_right"] == "right"
        assert store.add_client("Cy").id == 3
        if backend == "sqlite":
            assert integrity(Path(make_url(url).database)) == "ok"
    finally:
        store.close()


def test_coachkit_init_upgrades_an_older_store(old_store):
    url, _ = old_store
    before = raw.table_rows(url)
    result = CliRunner().invoke(main, ["init", "--database", url])
    assert result.exit_code == 0, result.output
    after = raw.table_rows(url)
    assert after.pop("alembic_version") == [(HEAD_REVISION,)]
    before.pop("alembic_version")
    assert without_new_columns(after) == before


# -- `coachkit backup` of a live store ----------------------------------------------------------

STEPS_PER_RESPONSE = 3
FIELDS_PER_STEP = 4
WRITER = """
import sys, time
from pathlib import Path
from coachkit.store import Store

url, ready, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
steps, fields = int(sys.argv[4]), int(sys.argv[5])
store = Store(url)
client = store.add_client("Live Writer")
deadline = time.monotonic() + 60
for n in range(5000):
    if stop.exists() or time.monotonic() > deadline:
        break
    response = store.start_response(client.id, "fight-or-make-it-right", 1)
    for step in range(steps):
        answers = {f"r{n}_s{step}_f{k}": f"response {n} step {step} field {k}" for k in range(fields)}
        store.save_step(response.id, f"step_{step}", answers, current_step=step + 1)
    if n == 20:
        ready.touch()
store.close()
"""


def expected_fields(steps: int, tag: str) -> set[str]:
    """The fields of a writer's response (``tag`` is ``r<n>``) once ``steps`` steps are saved."""
    return {f"{tag}_s{step}_f{k}" for step in range(steps) for k in range(FIELDS_PER_STEP)}


@pytest.fixture
def live_store(store_url, tmp_path):  # type: ignore[no-untyped-def]
    """A store of a few megabytes that another process keeps writing to while the test runs."""
    url = store_url
    store = Store(url)
    history = store.add_client("History")
    for n in range(300):  # big enough that the backup copies it in many steps
        response = store.start_response(history.id, WORKSHEET, 1)
        store.complete_response(response.id, "all", {f"old_{k}": f"{n}:{k} " * 100 for k in range(10)})
    store.close()
    ready, stop = tmp_path / "writer-ready", tmp_path / "writer-stop"
    command = [
        sys.executable,
        "-c",
        WRITER,
        url,
        str(ready),
        str(stop),
        str(STEPS_PER_RESPONSE),
        str(FIELDS_PER_STEP),
    ]
    writer = subprocess.Popen(command, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert writer.poll() is None, writer.stderr.read().decode()
            assert time.monotonic() < deadline, "the writer never got going"
            time.sleep(0.05)
        yield url, writer
    finally:
        stop.touch()
        try:
            writer.wait(timeout=30)
        except subprocess.TimeoutExpired:
            writer.kill()
            writer.wait()


@pytest.fixture
def readable(backend, request):  # type: ignore[no-untyped-def]
    """A URL to read a backup file by: the SQLite file itself, or a database pg_restore fills from it."""

    def open_copy(copy: Path) -> str:
        if backend == "sqlite":
            return f"sqlite:///{copy}"
        server = request.getfixturevalue("postgres")
        url = server.new_database("copy")
        restore = [str(server.bin_dir / "pg_restore"), "--no-owner", "--exit-on-error", "--dbname"]
        dbname = f"dbname={make_url(url).database} host={server.socket_dir} user={server.superuser}"
        subprocess.run([*restore, dbname, str(copy)], check=True, capture_output=True, timeout=120)
        return url

    return open_copy


def live_responses(url: str) -> dict[int, tuple[int, set[str]]]:
    """The writer's responses in a copy: id -> (current step, the fields saved)."""
    ((writer_id,),) = raw.query(url, "SELECT id FROM clients WHERE name = 'Live Writer'")
    steps = dict(raw.query(url, "SELECT id, current_step FROM responses WHERE client_id = ?", writer_id))
    fields: dict[int, set[str]] = {response_id: set() for response_id in steps}
    for response_id, field_id in raw.query(url, "SELECT response_id, field_id FROM answers"):
        if response_id in fields:
            fields[response_id].add(field_id)
    return {response_id: (steps[response_id], fields[response_id]) for response_id in steps}


def test_backup_of_a_live_store_is_a_consistent_snapshot(live_store, readable, backend, tmp_path):
    url, writer = live_store
    suffix = ".sqlite" if backend == "sqlite" else ".pgdump"
    copies = [tmp_path / "backups" / f"copy-{n}{suffix}" for n in range(3)]
    for copy in copies:
        result = backup(url, copy)
        assert result.exit_code == 0, result.output
        assert f"Backed up to {copy}" in result.output
        time.sleep(0.2)
    assert writer.poll() is None, "the writer stopped before the backups were done"

    counts = []
    for copy in copies:
        if backend == "sqlite":
            assert integrity(copy) == "ok"
        copy_url = readable(copy)
        snapshot = live_responses(copy_url)
        counts.append(len(snapshot))
        assert snapshot, "the copy holds none of the writer's responses"
        tags = {}
        for response_id, (current_step, fields) in snapshot.items():
            # Each step was saved with its current_step in one transaction: a consistent copy holds
            # exactly the steps before current_step, each with all its fields.
            tag = next(iter(fields)).split("_s")[0] if fields else None
            if tag is not None:
                tags[response_id] = tag
                assert fields == expected_fields(current_step, tag), f"response {response_id}"
            else:
                assert current_step == 0, f"response {response_id} lost its answers"
        assert len(set(tags.values())) == len(tags)
        assert len(raw.table_rows(copy_url)["clients"]) == 2
        reopened = Store(copy_url)
        try:
            assert schema_revision(reopened.engine) == HEAD_REVISION
            history = reopened.find_clients("History")[0]
            assert len(reopened.find_responses(history.id)) == 300
        finally:
            reopened.close()
    assert counts == sorted(counts)
    assert counts[0] < counts[-1], "the writer saved nothing while the backups were made"
    assert len(live_responses(url)) >= counts[-1]


def table_names(path: Path) -> set[str]:
    connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        connection.close()


def test_backup_of_a_store_in_a_folder_with_a_hash_in_its_name(tmp_path):
    path = tmp_path / "coaching #1" / "coachkit.sqlite"
    url = f"sqlite:///{path}"
    store = Store(url)
    store.add_client("Ann Lee")
    store.close()
    copy = tmp_path / "copy.sqlite"
    result = backup(url, copy)
    assert result.exit_code == 0, result.output
    assert set(TABLES) <= table_names(copy)
    assert table_rows(copy) == table_rows(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coaching #1", "copy.sqlite"]  # no stray file


def test_backup_refuses_to_overwrite_a_file(live_store, tmp_path):
    url, _ = live_store
    target = tmp_path / "precious.sqlite"
    target.write_bytes(b"an earlier backup")
    result = backup(url, target)
    assert result.exit_code == 1
    assert str(target) in result.output
    assert target.read_bytes() == b"an earlier backup"


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_backup_of_a_sqlite_database_that_is_not_a_file_is_a_clear_error(url, tmp_path):
    target = tmp_path / "copy.sqlite"
    result = backup(url, target)
    assert result.exit_code == 1
    assert "Error: online backup needs a SQLite file" in result.output
    assert "secret" not in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


def test_backup_of_a_missing_store_is_a_clear_error(tmp_path):
    missing = tmp_path / "nowhere.sqlite"
    result = backup(f"sqlite:///{missing}", tmp_path / "copy.sqlite")
    assert result.exit_code == 1
    assert str(missing) in result.output
    assert not missing.exists()
    assert not (tmp_path / "copy.sqlite").exists()


def test_without_to_a_backup_goes_beside_the_store_it_copies(tmp_path, monkeypatch):
    """Not into the project's data folder (which another store may call its own)."""
    monkeypatch.setattr(config, "data_dir", lambda: tmp_path / "project data")
    path = tmp_path / "elsewhere" / "coachkit.sqlite"
    Store(f"sqlite:///{path}").close()
    result = CliRunner().invoke(main, ["backup", "--database", f"sqlite:///{path}"])
    assert result.exit_code == 0, result.output
    [copy] = (path.parent / "backups").iterdir()
    assert re.fullmatch(r"coachkit-\d{4}-\d\d-\d\d-\d{6}\.sqlite", copy.name)
    assert f"Backed up to {copy}" in result.output
    assert table_rows(copy) == table_rows(path)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    assert not (tmp_path / "project data").exists()


# -- restoring, as docs/coach-guide.md says -------------------------------------------------------

LATER_CHANGES = """
import os, signal, sys
from coachkit.store import Store

url, how = sys.argv[1], sys.argv[2]
store = Store(url)
ann = store.find_clients("Ann Lee")[0]
draft = store.find_draft(ann.id, "fight-or-make-it-right")
store.save_step(draft.id, "meeting_a_fight", {"approach": "look"}, current_step=3)
store.add_client("Added After The Backup")
store.set_setting("safety_help", "changed after the backup")
if how == "closed":
    store.close()
    sys.exit(0)
with store.engine.connect() as connection:  # an open connection, as a kernel has
    connection.exec_driver_sql("SELECT 1")
    if how == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(0)  # how a kernel ends when the server is stopped: its connections are never closed
"""
HOW_THE_SERVER_ENDED = {"closed": 0, "exited": 0, "killed": -signal.SIGKILL}
"""``closed``: every connection closed, so SQLite folds the -wal into the file and removes it.
``exited``: what stopping `coachkit serve` (Ctrl-C) really leaves: its kernels end without closing
their connections, so the newest saves stay in the -wal (seen with a real server and client).
``killed``: a crash, the same on disk as ``exited``."""


def guide_restore_steps() -> str:
    """The "To restore a backup" steps of the coach's guide, which the tests below carry out."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "coach-guide.md").read_text()
    backups = guide.split("## Backups", 1)[1].split("\n## ", 1)[0]
    return backups.split("To restore a backup", 1)[1]


def store_with_a_backup(tmp_path: Path, how: str) -> tuple[Path, Path, int]:
    """A store, a `coachkit backup` of it, then more saves and the server ending ``how``."""
    guide = guide_restore_steps()
    for step in ("Stop the server", "coachkit restore data/backups/", "-wal", "keeps it beside"):
        assert step in guide

    path = tmp_path / "data" / "coachkit.sqlite"
    url = f"sqlite:///{path}"
    store = Store(url)
    ann = store.add_client("Ann Lee")
    draft = store.start_response(ann.id, WORKSHEET, 1)
    store.save_step(draft.id, "meeting_a_fight", {"approach": "run"}, current_step=1)
    store.save_step(draft.id, "instant_answer", {"fight_or_right": "right"}, current_step=2)
    copy = tmp_path / "data" / "backups" / "coachkit-2026-11-26-101500.sqlite"
    result = backup(url, copy)
    assert result.exit_code == 0, result.output
    store.close()

    later = subprocess.run([sys.executable, "-c", LATER_CHANGES, url, how], timeout=60, check=False)
    assert later.returncode == HOW_THE_SERVER_ENDED[how]
    wal = Path(f"{path}-wal")
    assert wal.exists() == (how != "closed")
    return path, copy, draft.id


def restore_as_the_guide_says(path: Path, copy: Path) -> Path:
    """Step 2: `coachkit restore BACKUP`, answering yes; returns where the replaced store was kept."""
    result = CliRunner().invoke(main, ["restore", "--database", f"sqlite:///{path}", "--yes", str(copy)])
    assert result.exit_code == 0, result.output
    kept = Path(result.output.strip().rsplit("kept as ", 1)[1].rstrip("."))
    assert kept.parent == path.parent and kept.name.startswith("coachkit-before-restore-")
    return kept


@pytest.mark.parametrize("how", HOW_THE_SERVER_ENDED)
def test_restoring_a_backup_as_the_guide_says_brings_back_its_data(tmp_path, how):
    path, copy, draft_id = store_with_a_backup(tmp_path, how)
    backed_up = table_rows(copy)
    restore_as_the_guide_says(path, copy)

    restored = Store(f"sqlite:///{path}")  # step 4: the server opens it again
    try:
        assert table_rows(path) == backed_up
        assert integrity(path) == "ok"
        assert [client.name for client in restored.find_clients()] == ["Ann Lee"]
        assert restored.get_answers(draft_id) == {"approach": "run", "fight_or_right": "right"}
        assert restored.get_response(draft_id).current_step == 2
        assert restored.get_setting("safety_help") is None
        restored.save_step(draft_id, "your_side", {"role": "both"}, current_step=4)  # and it is usable
    finally:
        restored.close()


@pytest.mark.parametrize(
    "how",
    [
        "closed",
        "exited",
        "killed",
    ],
)
def test_the_store_moved_aside_keeps_everything_saved_before_the_restore(tmp_path, how):
    path, copy, draft_id = store_with_a_backup(tmp_path, how)
    aside = restore_as_the_guide_says(path, copy)

    kept = Store(f"sqlite:///{aside}")
    try:
        assert integrity(aside) == "ok"
        assert [client.name for client in kept.find_clients()] == ["Added After The Backup", "Ann Lee"]
        assert kept.get_answers(draft_id) == {"approach": "look", "fight_or_right": "right"}
        assert kept.get_setting("safety_help") == "changed after the backup"
    finally:
        kept.close()


def test_restoring_a_file_that_is_not_a_sqlite_store_is_a_clear_error(tmp_path):
    path = tmp_path / "data" / "coachkit.sqlite"
    store = Store(f"sqlite:///{path}")
    store.add_client("Ann Lee")
    store.close()
    before = table_rows(path)
    noise = tmp_path / "coachkit-2026-11-26.pgdump"
    noise.write_bytes(b"PGDMP" + bytes(range(256)) * 8)
    result = CliRunner().invoke(main, ["restore", "--database", f"sqlite:///{path}", "--yes", str(noise)])
    assert result.exit_code == 1
    assert "is not a SQLite store" in result.output
    assert "Traceback" not in result.output
    assert table_rows(path) == before
    assert not [p.name for p in path.parent.iterdir() if "before-restore" in p.name]  # nothing set aside
