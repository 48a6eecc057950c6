"""A full disk: saving fails cleanly, nothing stored is damaged, and the client keeps what they typed.

The disk is simulated with ``PRAGMA max_page_count``: the database file may not grow by a single page,
which SQLite reports exactly as it reports a full disk ("database or disk is full").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from coachkit.exercises import get_worksheet
from coachkit.store import Store, StoreUnavailable
from coachkit.ui.app import WorksheetApp
from coachkit.ui.wizard import NOT_SAVED

WORKSHEET = "fight-or-make-it-right"
EARLIER = {"approach": "run", "fight_or_right": "right"}
BIG_TEXT = "A long answer that needs pages of its own. " * 90  # under the field's 4,000 characters
STEP_ANSWERS: list[dict[str, Any]] = [
    {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "any"},
    {"role": "both"},
    {"approach": "sidestep"},
    {"fight_or_right": "right"},
    {
        "one_upmanship": True,
        "superior": False,
        "bigger_weapons": False,
        "push_to_lose_cool": False,
        "rise_then_wrong": False,
    },
]


def page_count(store: Store) -> int:
    with store.engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA page_count").scalar()


def fill_the_disk(store: Store) -> None:
    """From now on the store's file cannot grow: every new connection is capped at its size."""
    limit = page_count(store)
    store.engine.dispose()  # connections opened before the cap would not have it

    @event.listens_for(store.engine, "connect")
    def cap(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count={limit}")


def integrity(url: str) -> str:
    store = Store(url)
    try:
        with store.engine.connect() as connection:
            return connection.exec_driver_sql("PRAGMA integrity_check").scalar()
    finally:
        store.close()


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    opened = Store(f"sqlite:///{tmp_path}/store.sqlite")
    yield opened
    opened.close()


def test_a_full_disk_raises_store_unavailable_and_keeps_earlier_rows(store):
    client = store.add_client("Ann Lee")
    response = store.start_response(client.id, WORKSHEET, 1)
    store.save_step(response.id, "first", EARLIER, current_step=1)
    fill_the_disk(store)

    with pytest.raises(StoreUnavailable, match="full"):
        store.save_step(response.id, "second", {"recent_fight": "x" * 200_000}, current_step=2)
    with pytest.raises(StoreUnavailable):  # a failed save that replaces answers undoes its delete too
        store.save_step(response.id, "first", {"approach": "x" * 200_000}, current_step=2)

    assert store.get_answers(response.id) == EARLIER
    assert store.get_response(response.id).current_step == 1
    assert [found.name for found in store.find_clients()] == ["Ann Lee"]
    store.close()
    assert integrity(store.url) == "ok"


def test_a_full_disk_still_lets_the_client_read(store):
    client = store.add_client("Ann Lee")
    fill_the_disk(store)
    assert store.find_client_by_code(client.code) == client
    assert store.find_draft(client.id, WORKSHEET) is None


def test_on_a_full_disk_the_client_sees_not_saved_and_keeps_what_they_typed(store):
    client = store.add_client("Ann Lee")
    app = WorksheetApp(get_worksheet(WORKSHEET), store, client.code)
    wizard = app.wizard
    assert wizard is not None
    for answers in STEP_ANSWERS:  # steps 1 to 5 are saved as the client moves on
        for block in wizard.blocks:
            if block.item.id in answers:
                block.input.watched[0].value = answers[block.item.id]
        wizard.next.click()
    assert wizard.index == 5
    response_id = wizard.attempt.response.id
    saved_before = store.get_answers(response_id)
    fill_the_disk(store)

    # Outside a kernel there is no event loop, so each autosave and the move happen at once; the
    # long text comes first, so every save from here on needs a page the disk no longer has.
    inputs = {block.item.id: block.input.watched[0] for block in wizard.blocks}
    inputs["recent_fight"].value = BIG_TEXT
    assert NOT_SAVED.replace("'", "&#x27;") in wizard.message.value  # the autosave already failed
    inputs["frequency"].value = "weekly"
    wizard.next.click()

    assert NOT_SAVED.replace("'", "&#x27;") in wizard.message.value
    assert wizard.index == 5
    assert "Step 6 of 6" in wizard.header.value
    assert inputs["recent_fight"].value == BIG_TEXT
    assert inputs["frequency"].value == "weekly"
    assert not wizard.next.disabled  # the client can try again
    assert store.get_answers(response_id) == saved_before
    assert store.get_response(response_id).current_step == 5
    store.close()
    assert integrity(store.url) == "ok"
