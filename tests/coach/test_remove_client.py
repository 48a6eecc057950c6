"""``Store.remove_client``: the client and every response, answer and flag of theirs, nobody else's."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coachkit.store import MissingEntry, tables
from tests.coach.conftest import FIGHT, fight, fill


def count(store, table, where=None) -> int:
    query = select(func.count()).select_from(table)
    if where is not None:
        query = query.where(where)
    with store.engine.connect() as connection:
        return connection.execute(query).scalar_one()


def test_remove_client_deletes_everything_of_theirs(store, ann):
    bob = store.add_client("Bob")
    mine = fill(store, ann, FIGHT, fight(been_hurt="yes", frequency="daily"))
    fill(store, ann, FIGHT, fight(), steps=2, complete=False)
    theirs = fill(store, bob, FIGHT, fight(been_hurt="yes"))
    store.remove_client(ann.id)
    assert store.find_clients() == [bob]
    assert count(store, tables.responses, tables.responses.c.client_id == ann.id) == 0
    assert count(store, tables.answers, tables.answers.c.response_id == mine.id) == 0
    assert count(store, tables.response_flags, tables.response_flags.c.response_id == mine.id) == 0
    assert store.get_answers(theirs.id)
    assert store.find_flags(theirs.id) == {"hurt_by_someone"}
    assert count(store, tables.responses) == 1


def test_remove_client_of_an_unknown_client(store, ann):
    with pytest.raises(MissingEntry):
        store.remove_client(ann.id + 1)
    assert store.find_clients() == [ann]
