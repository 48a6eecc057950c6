"""Every database error comes out of the store as one of its own, on both databases; bugs stay visible.

Each error here is a real one from the real database: a server that is not there, a rule the database
enforces, a statement it cannot run, a store from a newer coachkit, a read-only database.
"""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from sqlalchemy import text, update

from coachkit.cli import main
from coachkit.store import (
    Store,
    StoreConflict,
    StoreFault,
    StoreUnavailable,
    tables,
)

WORKSHEET = "fight-or-make-it-right"


def run_sql(store: Store, statement: str) -> None:
    with store.engine.begin() as connection:
        connection.execute(text(statement))


def test_a_rule_the_database_enforces_is_a_conflict_and_saves_nothing(store, client):
    draft = store.start_response(client.id, WORKSHEET, 1)
    store.save_step(draft.id, "first", {"approach": "run"}, current_step=1)
    run_sql(store, "CREATE UNIQUE INDEX one_value_each ON answers (value_json)")  # a rule of someone else's
    with pytest.raises(StoreConflict, match=r"one_value_each|answers\.value_json"):
        store.save_step(draft.id, "second", {"approach": "look", "again": "look"}, current_step=2)
    assert store.get_answers(draft.id) == {"approach": "run"}
    assert store.get_response(draft.id).current_step == 1


def test_a_statement_the_database_cannot_run_is_a_fault_not_unavailable(store):
    run_sql(store, "ALTER TABLE settings RENAME COLUMN value TO renamed")
    with pytest.raises(StoreFault, match="value") as raised:
        store.get_setting("safety_help")
    assert not isinstance(raised.value, StoreUnavailable)  # a bug must not read as "try again later"


def test_a_store_from_a_newer_coachkit_is_unavailable_and_left_alone(store):
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999_from_the_future'"))
    with pytest.raises(StoreUnavailable, match="0999_from_the_future"):
        Store(store.url)
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "0999_from_the_future"
        )


def test_a_damaged_sqlite_file_is_unavailable(tmp_path):
    path = tmp_path / "store.sqlite"
    path.write_bytes(b"not a database at all " * 400)
    with pytest.raises(StoreUnavailable, match="not a database"):
        Store(f"sqlite:///{path}")


def test_no_server_at_the_address_is_unavailable_and_keeps_the_password_out(tmp_path):
    url = f"postgresql+psycopg://coach:s3cret-word@/coachkit?host={tmp_path}"
    with pytest.raises(StoreUnavailable) as raised:
        Store(url)
    assert "s3cret-word" not in str(raised.value)
    assert str(tmp_path) in str(raised.value)


def test_a_database_that_does_not_exist_is_unavailable(postgres):
    with pytest.raises(StoreUnavailable, match="does not exist"):
        Store(postgres.url("no_such_database"))


@pytest.fixture
def read_only_database(postgres, store, client):
    """The PostgreSQL store, every new session read-only (as on a standby server)."""
    draft = store.start_response(client.id, WORKSHEET, 1)
    store.close()
    database = store.engine.url.database
    postgres.sql(f'ALTER DATABASE "{database}" SET default_transaction_read_only = on')
    return store, draft


@pytest.mark.postgresql_only
def test_a_read_only_postgresql_database_is_unavailable_for_writes(read_only_database):
    store, draft = read_only_database
    with pytest.raises(StoreUnavailable, match="read-only"):
        store.save_step(draft.id, "first", {"approach": "run"}, current_step=1)
    with pytest.raises(StoreUnavailable, match="read-only"):
        store.set_setting("safety_help", "Call 116 123")
    assert store.get_answers(draft.id) == {}


@pytest.mark.parametrize("name", ["Ann\x00Lee", "\x00"])
def test_a_name_with_a_nul_character_is_refused_on_both_databases(store, name):
    with pytest.raises(ValueError, match="NUL"):
        store.add_client(name)
    assert store.find_clients() == []


def test_a_setting_with_a_nul_character_is_refused(store):
    with pytest.raises(ValueError, match="NUL"):
        store.set_setting("safety_help", "Call\x00")
    assert store.get_setting("safety_help") is None


def test_programming_errors_outside_the_database_are_not_swallowed(store, client):
    draft = store.start_response(client.id, WORKSHEET, 1)
    with pytest.raises(TypeError):  # json cannot hold a set: a caller's bug, raised as it is
        store.save_step(draft.id, "first", {"approach": {"run"}}, current_step=1)


# -- what both databases hand back ------------------------------------------------------------


def test_times_come_back_in_utc_on_both_databases(store, client):
    draft = store.start_response(client.id, WORKSHEET, 1)
    store.complete_response(draft.id, "last", {"approach": "run"})
    found = store.get_client(client.id)
    done = store.get_response(draft.id)
    for moment in (found.created_at, done.started_at, done.updated_at, done.completed_at):
        assert moment.tzinfo is dt.UTC
    assert found == client


def test_times_written_in_another_zone_come_back_as_the_same_moment(store, client):
    draft = store.start_response(client.id, WORKSHEET, 1)
    moment = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
    with store.engine.begin() as connection:
        connection.execute(update(tables.responses).values(started_at=moment.astimezone(dt.UTC)))
    started = store.get_response(draft.id).started_at
    assert started == moment
    assert started.tzinfo is dt.UTC


def test_a_postgresql_url_without_a_driver_uses_psycopg(postgres):
    url = postgres.new_database("plain").replace("postgresql+psycopg://", "postgresql://")
    store = Store(url)
    try:
        assert store.url.startswith("postgresql+psycopg://")
        assert store.add_client("Ann Lee").name == "Ann Lee"
    finally:
        store.close()
        postgres.drop_database(url)


def test_another_kind_of_database_is_refused_plainly():
    with pytest.raises(ValueError, match="SQLite or PostgreSQL"):
        Store("mysql://coach@localhost/coachkit")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://coach:s3cret-word@/coachkit?host=/nowhere",
        "mysql://coach@localhost/x",
        "nonsense",
    ],
)
def test_a_command_given_a_store_it_cannot_open_says_so_plainly(url):
    result = CliRunner().invoke(main, ["client", "list", "--database", url])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "s3cret-word" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_error_never_carries_what_the_client_typed(store, client):
    draft = store.start_response(client.id, WORKSHEET, 1)
    run_sql(store, "CREATE UNIQUE INDEX one_step_each ON answers (response_id)")  # a rule of someone else's
    private = {"approach": "a private answer", "again": "another private answer"}
    with pytest.raises(StoreConflict) as caught:
        store.save_step(draft.id, "first", private, current_step=1)
    for message in (str(caught.value), str(caught.value.__cause__)):
        assert "private answer" not in message
