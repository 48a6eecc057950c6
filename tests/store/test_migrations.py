"""The schema is created and changed only by the named migrations, and they agree with ``tables``."""

import datetime as dt

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect
from sqlalchemy.exc import IntegrityError

from coachkit.store import Store, tables
from coachkit.store.database import HEAD_REVISION, MIGRATIONS_DIR, schema_revision

STORE_TABLES = {
    "clients",
    "responses",
    "answers",
    "response_flags",
    "settings",
    "worksheet_definitions",
    "sign_in_links",
    "client_sessions",
    "outbox",
    "couple_members",
    "shares",
    "assignments",
    "client_contact",
    "reminder_stops",
    "client_pages",
    "coach_notes",
}


def run_alembic(engine, action, revision: str) -> None:
    """Run an Alembic command on the store's engine, the way ``upgrade_schema`` does."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        action(config, revision)


def table_names(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_a_new_database_is_migrated_to_head(store):
    assert schema_revision(store.engine) == HEAD_REVISION
    assert table_names(store.engine) == STORE_TABLES | {"alembic_version"}


def test_head_revision_is_alembics_own_head():
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    assert script.get_heads() == [HEAD_REVISION]


def test_migrated_schema_matches_the_tables_module(store):
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), tables.metadata)
    assert differences == []


def test_downgrade_to_base_drops_every_table(store):
    run_alembic(store.engine, command.downgrade, "base")
    assert schema_revision(store.engine) is None
    assert table_names(store.engine) == {"alembic_version"}


def test_upgrade_after_downgrade_restores_head(store):
    run_alembic(store.engine, command.downgrade, "base")
    run_alembic(store.engine, command.upgrade, "head")
    assert schema_revision(store.engine) == HEAD_REVISION
    assert table_names(store.engine) == STORE_TABLES | {"alembic_version"}


def test_opening_a_downgraded_store_upgrades_it(store):
    run_alembic(store.engine, command.downgrade, "base")
    reopened = Store(store.url)
    try:
        assert schema_revision(reopened.engine) == HEAD_REVISION
        assert reopened.add_client("Bo").name == "Bo"
    finally:
        reopened.close()


@pytest.mark.sqlite_only
def test_journal_mode_is_wal(store):
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


@pytest.mark.sqlite_only
def test_foreign_keys_are_on_for_every_sqlite_connection(store):
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_foreign_keys_are_enforced(store):
    row = {"client_id": 999, "worksheet_id": "w", "worksheet_version": 1, "status": "draft"}
    now = {"current_step": 0, "started_at": dt.datetime.now(dt.UTC), "updated_at": dt.datetime.now(dt.UTC)}
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(insert(tables.responses).values(**row, **now))


def test_reopening_a_store_keeps_its_data(store, client):
    store.set_setting("safety_help", "Call 116 123")
    store.close()
    reopened = Store(store.url)
    try:
        assert reopened.find_clients() == [client]
        assert reopened.get_setting("safety_help") == "Call 116 123"
        assert schema_revision(reopened.engine) == HEAD_REVISION
    finally:
        reopened.close()
