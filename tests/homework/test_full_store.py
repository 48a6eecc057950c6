"""A store that cannot grow (a full disk, which SQLite reports as "database or disk is full") when
reminders are due: the pass fails as a whole, nothing is half-written, and the next pass on a store with
room writes every reminder, once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from coachkit.attempt import Attempt
from coachkit.exercises import get_worksheet
from coachkit.homework.assigning import assign_worksheet
from coachkit.homework.reminders import write_due_reminders
from coachkit.store import Store, StoreUnavailable
from coachkit.web.mailer import Mailer

NOW = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)
FIGHT = get_worksheet("fight-or-make-it-right")


def cap(store: Store) -> None:
    with store.engine.connect() as connection:
        limit = connection.exec_driver_sql("PRAGMA page_count").scalar()
    store.engine.dispose()

    @event.listens_for(store.engine, "connect")
    def capped(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count={limit}")


def test_reminders_due_on_a_full_store_wait_whole_and_go_once_there_is_room(tmp_path, caplog):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    clock = [NOW]
    store = Store(url, now=lambda: clock[0])
    for number in range(60):
        client = store.add_client(f"Client {number}")
        Attempt.start(store, FIGHT, client).save_step(
            0, {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "any"}, next_index=1
        )
        store.set_reminders(client.id, f"client{number}@example.org", 18, "Europe/London")
        assign_worksheet(store, client, "anger-plan-practice", by="ana, test", due_on=dt.date(2026, 3, 24))
    clock[0] = dt.datetime(2026, 3, 24, 18, 5, tzinfo=dt.UTC)
    cap(store)
    with pytest.raises(StoreUnavailable, match="full"):
        write_due_reminders(store)
    assert store.find_mail() == []  # nothing half-written

    mailer = Mailer(url, 30)
    mailer._store = store
    mailer._send()  # the server's pass says so in plain words, and carries on
    assert "the store cannot be written" in caplog.text
    store.close()

    roomy = Store(url, now=lambda: clock[0])
    assert write_due_reminders(roomy) == 60
    assert write_due_reminders(roomy) == 0
    assert len(roomy.find_mail()) == 60
