"""Flags follow the answer as it stands, keep their history, and take the coach's check-ins."""

from __future__ import annotations

import datetime as dt

import pytest

from coachkit.store import Alert, MissingEntry
from coachkit.store.flags import MAX_NOTE_LENGTH

WORKSHEET = "fight-or-make-it-right"


def utc(value: object) -> object:
    """A time as the store's rows hold it (SQLite keeps no zone; everything is written in UTC), in UTC."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return value


def flag_history(store, client_id=None) -> list[dict[str, object]]:
    rows = store.flag_rows(client_id)
    return [{name: utc(value) for name, value in zip(rows.columns, row, strict=True)} for row in rows.values]


@pytest.fixture
def draft(store, client):
    return store.start_response(client.id, WORKSHEET, 1)


def clock(store, *moments: dt.datetime):
    """Each write that follows is stamped with the next moment."""
    times = iter(moments)
    store.now = lambda: next(times)


T = [dt.datetime(2026, 3, 2, 9, minute, tzinfo=dt.UTC) for minute in range(10)]


def test_a_misclick_corrected_clears_the_flag_and_the_history_keeps_both_times(store, draft):
    clock(store, T[1], T[1], T[2], T[2])  # each save reads the clock twice (answers, then the response)
    store.save_step(draft.id, "safety", {"felt_unsafe": "yes"}, current_step=0, flags={"safety"})
    store.save_step(draft.id, "safety", {"felt_unsafe": "no"}, current_step=1, flags=set())
    assert store.find_flags(draft.id) == set()
    [row] = flag_history(store)
    assert (row["flag"], row["raised_at"], row["cleared_at"]) == ("safety", T[1], T[2])


def test_raised_again_after_a_correction_is_a_new_span(store, draft):
    for flags in ({"safety"}, set(), {"safety"}):
        store.save_step(draft.id, "safety", {"a": 1}, current_step=0, flags=flags)
    assert store.find_flags(draft.id) == {"safety"}
    spans = [(row["flag"], row["cleared_at"] is None) for row in flag_history(store)]
    assert spans == [("safety", False), ("safety", True)]


def test_a_flag_kept_through_saves_is_one_row(store, draft):
    for _ in range(3):
        store.save_step(draft.id, "safety", {"a": 1}, current_step=0, flags={"safety"})
    assert len(flag_history(store)) == 1


def test_an_alert_goes_once_even_when_a_flag_is_raised_again(store, draft):
    alert = Alert(flags=frozenset({"safety"}), recipient="coach@example.org", subject="S", body="B")
    for flags in ({"safety"}, set(), {"safety"}):
        store.save_step(draft.id, "safety", {"a": 1}, current_step=0, flags=flags, alert=alert)
    assert len(store.find_mail()) == 1


def test_the_coach_checks_in_with_a_note_and_a_time(store, draft):
    store.save_step(draft.id, "safety", {"a": 1}, current_step=0, flags={"safety", "other"})
    ids = [row["flag_id"] for row in flag_history(store) if row["flag"] == "safety"]
    store.now = lambda: T[5]
    assert store.check_in_flags(ids, "  Called her; she is at her sister's.  ") == T[5]
    checked = {row["flag"]: (row["checked_at"], row["checked_note"]) for row in flag_history(store)}
    assert checked == {"safety": (T[5], "Called her; she is at her sister's."), "other": (None, None)}
    assert store.find_flags(draft.id) == {"safety", "other"}  # checked in is not cleared


def test_checking_in_an_unknown_flag_writes_nothing(store, draft):
    store.save_step(draft.id, "safety", {"a": 1}, current_step=0, flags={"safety"})
    known = flag_history(store)[0]["flag_id"]
    with pytest.raises(MissingEntry):
        store.check_in_flags([known, known + 100], "note")
    assert flag_history(store)[0]["checked_at"] is None


def test_a_note_too_long_is_refused(store, draft):
    store.save_step(draft.id, "safety", {"a": 1}, current_step=0, flags={"safety"})
    with pytest.raises(ValueError, match="at most"):
        store.check_in_flags([flag_history(store)[0]["flag_id"]], "x" * (MAX_NOTE_LENGTH + 1))
