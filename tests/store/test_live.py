"""What the live view reads, the open pages a client server notes, and the coach's notes, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from coachkit.store import MissingEntry
from coachkit.store.notes import MAX_NOTE_CHARACTERS
from coachkit.store.pages import FORGET_AFTER, PAGE_GONE_AFTER

FIGHT = "fight-or-make-it-right"
PLAN = "my-anger-plan"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.time = start

    def __call__(self) -> dt.datetime:
        return self.time

    def move(self, **delta: float) -> None:
        self.time += dt.timedelta(**delta)


@pytest.fixture
def clock(store) -> Clock:
    store.now = Clock()
    return store.now


def count_statements(store):  # type: ignore[no-untyped-def]
    """A list that collects every statement the store's engine runs from now on."""
    ran: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: ran.append(args[2]))
    return ran


# -- marks: what changed -----------------------------------------------------------------------------


def test_a_mark_moves_with_every_save_step_and_finish(store, client, clock):
    assert store.live_marks([client.id]).clients == {client.id: None}
    draft = store.start_response(client.id, FIGHT, 1)
    first = store.live_marks([client.id]).clients[client.id]
    assert (first.response_id, first.status, first.current_step) == (draft.id, "draft", 0)

    clock.move(seconds=1)
    store.save_step(draft.id, "safety", {"been_hurt": "no"}, current_step=0)
    typed = store.live_marks([client.id]).clients[client.id]
    assert typed != first and typed.updated_at == clock.time
    clock.move(seconds=1)
    store.save_step(draft.id, "safety", {"been_hurt": "no"}, current_step=1)
    moved = store.live_marks([client.id]).clients[client.id]
    assert moved.current_step == 1 and moved != typed
    clock.move(seconds=1)
    store.complete_response(draft.id, "how_often", {"frequency": "rarely"})
    assert store.live_marks([client.id]).clients[client.id].status == "completed"


def test_the_latest_response_is_the_one_saved_last_whatever_the_worksheet(store, client, clock):
    fight = store.start_response(client.id, FIGHT, 1)
    clock.move(seconds=1)
    plan = store.start_response(client.id, PLAN, 1)
    assert store.live_marks([client.id]).clients[client.id].response_id == plan.id
    clock.move(seconds=1)
    store.save_step(fight.id, "safety", {"been_hurt": "no"}, current_step=0)
    assert store.live_marks([client.id]).clients[client.id].response_id == fight.id
    assert store.latest_response_of(client.id, PLAN).response_id == plan.id
    assert store.latest_response_of(client.id, "wanting-them-back") is None


def test_a_removed_client_is_simply_missing_and_others_are_unaffected(store, client):
    other = store.add_client("Bo Other")
    store.start_response(other.id, FIGHT, 1)
    store.remove_client(client.id)
    marks = store.live_marks([client.id, other.id, 987654])
    assert set(marks.clients) == {other.id}
    assert store.live_marks([]).clients == {}


def test_a_look_for_changes_is_two_statements_however_many_clients(store, client):
    clients = [client, *(store.add_client(f"Client {n}") for n in range(9))]
    for each in clients:
        store.start_response(each.id, FIGHT, 1)
    ran = count_statements(store)
    store.live_marks([each.id for each in clients])
    assert len([sql for sql in ran if sql.lstrip().upper().startswith("SELECT")]) == 2


def test_a_response_is_read_with_its_answers_and_every_flag(store, client, clock):
    draft = store.start_response(client.id, FIGHT, 1)
    clock.move(seconds=1)
    store.save_step(
        draft.id, "safety", {"been_hurt": "yes", "safe_contact": "any"}, current_step=0, flags={"x"}
    )
    clock.move(seconds=1)
    store.save_step(draft.id, "safety", {"been_hurt": "no"}, current_step=1, flags=set())
    read = store.live_response(draft.id)
    assert {field: saved.value for field, saved in read.answers.items()} == {
        "been_hurt": "no",
        "safe_contact": "any",
    }
    assert read.answers["been_hurt"].saved_at == clock.time
    [flag] = read.flags
    assert (flag.flag, flag.raised_at, flag.cleared_at) == ("x", T0 + dt.timedelta(seconds=1), clock.time)
    assert store.live_response(999999) is None


# -- open pages --------------------------------------------------------------------------------------


def test_a_page_is_noted_connected_then_lost_then_closed(store, client, clock):
    session, _ = store.start_session(client.id, FIGHT)
    assert store.find_open_pages() == []
    store.note_page("kernel-1", session.id, "server-a", connected=True)
    [page] = store.find_open_pages([client.id])
    assert (page.client, page.sheet, page.connected, page.code_typed) == (client.name, FIGHT, True, False)
    clock.move(seconds=5)
    store.note_page("kernel-1", session.id, "server-a", connected=False)
    [lost] = store.find_open_pages()
    assert (lost.connected, lost.opened_at, lost.changed_at) == (False, T0, clock.time)
    store.note_page_closed("kernel-1")
    assert store.find_open_pages() == []


def test_a_page_of_a_session_that_no_longer_exists_is_not_noted(store, client):
    store.note_page("kernel-1", 424242, "server-a", connected=True)
    assert store.find_open_pages() == []


def test_pages_of_a_server_that_stopped_without_a_word_read_as_closed(store, client, clock):
    session, _ = store.start_session(client.id)
    store.note_page("kernel-a", session.id, "alive", connected=True)
    store.note_page("kernel-b", session.id, "crashed", connected=True)
    clock.move(seconds=PAGE_GONE_AFTER.total_seconds() - 1)
    store.keep_pages("alive")
    clock.move(seconds=2)
    assert [page.kernel_id for page in store.find_open_pages()] == ["kernel-a"]
    clock.move(seconds=FORGET_AFTER.total_seconds())
    store.keep_pages("alive")  # also forgets pages no server renewed for long
    store.forget_pages("alive")
    with store.engine.connect() as connection:
        from coachkit.store import tables

        assert connection.execute(tables.client_pages.select()).all() == []


def test_a_server_that_stops_closes_its_own_pages_only(store, client):
    session, _ = store.start_session(client.id)
    store.note_page("kernel-a", session.id, "stopping", connected=True)
    store.note_page("kernel-b", session.id, "running", connected=True)
    store.forget_pages("stopping")
    assert [page.kernel_id for page in store.find_open_pages()] == ["kernel-b"]


def test_removing_a_client_closes_their_pages_and_deletes_their_notes(store, client):
    session, _ = store.start_session(client.id)
    store.note_page("kernel-a", session.id, "server", connected=True)
    draft = store.start_response(client.id, FIGHT, 1)
    store.write_coach_note(client.id, "Talked about the weekend.", response_id=draft.id)
    store.remove_client(client.id)
    assert store.find_open_pages() == []
    assert store.coach_note_rows().values == []


# -- the coach's notes -------------------------------------------------------------------------------


def test_a_note_about_a_response_is_one_written_over_and_deleted_when_emptied(store, client, clock):
    draft = store.start_response(client.id, FIGHT, 1)
    first = store.write_coach_note(client.id, "Calmer than last week.", response_id=draft.id)
    clock.move(minutes=3)
    second = store.write_coach_note(
        client.id, "Calmer than last week.\nAsk about Sunday. ", response_id=draft.id
    )
    assert second.id == first.id and second.written_at == T0 and second.changed_at == clock.time
    assert store.find_coach_note(draft.id).note == "Calmer than last week.\nAsk about Sunday."
    rows = store.coach_note_rows(client.id)
    assert [dict(zip(rows.columns, row, strict=True))["worksheet"] for row in rows.values] == [FIGHT]
    assert store.write_coach_note(client.id, "   ", response_id=draft.id) is None
    assert store.find_coach_note(draft.id) is None


def test_a_note_about_the_client_alone_is_kept_by_its_id(store, client):
    note = store.write_coach_note(client.id, "No worksheet today; we talked.")
    again = store.write_coach_note(client.id, "No worksheet today; we talked about work.", note_id=note.id)
    assert again.id == note.id and again.response_id is None
    assert len(store.coach_note_rows(client.id).values) == 1
    with pytest.raises(MissingEntry):
        store.write_coach_note(client.id, "lost", note_id=note.id + 100)


def test_a_note_cannot_go_to_another_clients_response_or_be_too_long(store, client):
    other = store.add_client("Bo Other")
    theirs = store.start_response(other.id, FIGHT, 1)
    with pytest.raises(MissingEntry):
        store.write_coach_note(client.id, "wrong client", response_id=theirs.id)
    with pytest.raises(MissingEntry):
        store.write_coach_note(987654, "nobody")
    with pytest.raises(ValueError, match="at most"):
        store.write_coach_note(client.id, "x" * (MAX_NOTE_CHARACTERS + 1))
    kept = store.write_coach_note(client.id, "with a \x00 NUL and <b>markup</b>")
    assert kept.note == "with a  NUL and <b>markup</b>"
    assert store.coach_note_rows().values[0][5] == kept.note
