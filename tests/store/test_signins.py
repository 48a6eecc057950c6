"""Sign-in links that open once and the sessions they start, on SQLite and PostgreSQL.

Time is the store's own clock (``Store.now``), moved by the test: no test waits for a link to expire
or a session to go idle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

import pytest

from coachkit.store import MissingEntry, Store
from coachkit.store.signins import LINK_DAYS
from tests.store import raw
from tests.store.test_races import Held, race, wait_until_blocked  # noqa: F401 (a fixture)

IDLE = dt.timedelta(minutes=30)
LONGEST = dt.timedelta(hours=8)
SHEET = "my-anger-plan"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.time = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.time

    def advance(self, **delta: float) -> None:
        self.time += dt.timedelta(**delta)


@pytest.fixture
def clock(store) -> Clock:
    store.now = Clock()
    return store.now


@pytest.fixture
def second_store(store, clock) -> Iterator[Store]:
    """Another Store on the same database (another kernel's or server's), on the same clock."""
    other = Store(store.url, now=clock)
    yield other
    other.close()


def find(store: Store, token: str, **kwargs):  # type: ignore[no-untyped-def]
    return store.find_session(token, idle=IDLE, longest=LONGEST, **kwargs)


def sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# -- links ------------------------------------------------------------------------------------


def test_a_link_opens_a_session_once(store, client, clock):
    key = store.add_sign_in_link(client.id, SHEET)
    session, token = store.use_sign_in_link(key)
    assert (session.client_id, session.sheet, session.code_typed) == (client.id, SHEET, False)
    assert session.created_at == session.seen_at == clock.time
    assert token != key
    assert store.use_sign_in_link(key) is None
    assert find(store, token) == session


def test_a_link_to_the_clients_own_page_names_no_worksheet(store, client, clock):
    session, _ = store.use_sign_in_link(store.add_sign_in_link(client.id))
    assert session.sheet is None


def test_each_link_is_a_new_key(store, client, clock):
    keys = {store.add_sign_in_link(client.id) for _ in range(20)}
    assert len(keys) == 20
    assert all(len(key) >= 22 for key in keys)


def test_an_unknown_key_opens_nothing(store, client, clock):
    key = store.add_sign_in_link(client.id)
    for wrong in ("", "x", key[:-1], key.upper() if key.upper() != key else key.lower(), sha256(key)):
        assert store.use_sign_in_link(wrong) is None
    assert store.use_sign_in_link(key) is not None  # the wrong tries did not spend it


def test_two_uses_of_one_link_at_once_one_wins(store, second_store, client, wait_until_blocked):  # noqa: F811
    """The first use is held after marking the link used, before it commits; the second must wait for
    it and then find the link spent (on PostgreSQL, without the row lock both would start a session)."""
    key = store.add_sign_in_link(client.id)
    held = Held(store.engine, "UPDATE sign_in_links")
    first, second = race(
        held,
        lambda: store.use_sign_in_link(key),
        lambda: second_store.use_sign_in_link(key),
        store.url,
        wait_until_blocked,
    )
    assert first is not None
    assert second is None
    assert raw.query(store.url, "SELECT count(*) FROM client_sessions") == [(1,)]


def test_a_link_expires_unused(store, client, clock):
    kept, lapsed = store.add_sign_in_link(client.id), store.add_sign_in_link(client.id)
    short = store.add_sign_in_link(client.id, days=1)
    clock.advance(days=1)
    assert store.use_sign_in_link(short) is None
    clock.advance(days=LINK_DAYS - 1, seconds=-1)
    assert store.use_sign_in_link(kept) is not None
    clock.advance(seconds=1)
    assert store.use_sign_in_link(lapsed) is None


def test_a_link_for_an_unknown_client_is_refused(store, clock):
    with pytest.raises(MissingEntry):
        store.add_sign_in_link(999)
    with pytest.raises(MissingEntry):
        store.start_session(999)


# -- sessions ---------------------------------------------------------------------------------


def test_a_typed_code_starts_a_session_that_may_show_private_answers(store, client, clock):
    session, token = store.start_session(client.id, code_typed=True)
    assert (session.client_id, session.sheet, session.code_typed) == (client.id, None, True)
    assert find(store, token).id == session.id


def test_a_session_ends_by_its_token(store, client, clock):
    _, token = store.start_session(client.id)
    other, other_token = store.start_session(client.id)
    store.end_session(token=token)
    assert find(store, token) is None
    assert find(store, token, touch=False) is None
    assert find(store, other_token) == other  # another browser of the same client stays signed in
    store.end_session(token="not-a-token")  # ends nothing, and says nothing
    assert find(store, other_token) is not None


def test_a_session_ends_by_its_id(store, client, clock):
    session, token = store.start_session(client.id)
    store.end_session(session_id=session.id)
    assert find(store, token) is None
    assert store.get_session(session.id).id == session.id  # the page's kernel can still read it


def test_an_ended_session_stays_ended(store, client, clock):
    session, token = store.start_session(client.id)
    store.end_session(session_id=session.id)
    store.touch_session(session.id)
    store.show_in_session(session.id, SHEET)
    store.note_code_typed(session.id)
    assert find(store, token) is None


def test_a_session_ends_when_idle(store, client, clock):
    _, token = store.start_session(client.id)
    clock.advance(minutes=29)
    assert find(store, token, touch=False) is not None
    clock.advance(minutes=2)
    assert find(store, token, touch=False) is None  # not touched above: idle 31 minutes
    assert find(store, token) is None


def test_using_a_session_keeps_it_from_going_idle(store, client, clock):
    session, token = store.start_session(client.id)
    for _ in range(4):
        clock.advance(minutes=20)
        assert find(store, token) is not None
    clock.advance(minutes=20)
    store.touch_session(session.id)  # the page's kernel saw an answer
    clock.advance(minutes=20)
    assert find(store, token) is not None
    clock.advance(minutes=31)
    assert find(store, token) is None


def test_a_session_ends_after_the_longest_time_however_busy(store, client, clock):
    _, token = store.start_session(client.id)
    for _ in range(int(LONGEST / dt.timedelta(minutes=20)) - 1):
        clock.advance(minutes=20)
        assert find(store, token) is not None
    clock.advance(minutes=20)
    assert find(store, token) is None


def test_a_session_remembers_the_page_and_the_typed_code(store, client, clock):
    session, token = store.use_sign_in_link(store.add_sign_in_link(client.id))
    store.show_in_session(session.id, SHEET)
    store.note_code_typed(session.id)
    found = store.get_session(session.id)
    assert (found.sheet, found.code_typed) == (SHEET, True)
    store.show_in_session(session.id, None)
    assert find(store, token).sheet is None


def test_get_session_of_an_unknown_id(store, clock):
    with pytest.raises(MissingEntry):
        store.get_session(12345)


# -- what the store keeps -------------------------------------------------------------------------


def test_keys_and_tokens_are_kept_only_as_hashes(store, client, clock):
    key = store.add_sign_in_link(client.id)
    spent = store.add_sign_in_link(client.id)
    _, token = store.use_sign_in_link(spent)
    _, typed_token = store.start_session(client.id, code_typed=True)
    secrets = (key, spent, token, typed_token)
    rows = [
        *raw.query(store.url, "SELECT * FROM sign_in_links"),
        *raw.query(store.url, "SELECT * FROM client_sessions"),
    ]
    cells = " ".join(str(cell) for row in rows for cell in row)
    for secret in secrets:
        assert secret not in cells
    assert {row[0] for row in raw.query(store.url, "SELECT key_hash FROM sign_in_links")} == {
        sha256(key),
        sha256(spent),
    }
    assert {row[0] for row in raw.query(store.url, "SELECT token_hash FROM client_sessions")} == {
        sha256(token),
        sha256(typed_token),
    }


def test_deleting_a_client_deletes_their_links_and_sessions(store, client, clock):
    other = store.add_client("Bo")
    store.add_sign_in_link(client.id)
    store.use_sign_in_link(store.add_sign_in_link(client.id))
    store.start_session(client.id)
    store.add_sign_in_link(other.id)
    _, other_token = store.start_session(other.id)
    store.remove_client(client.id)
    assert raw.query(store.url, "SELECT client_id FROM sign_in_links") == [(other.id,)]
    assert raw.query(store.url, "SELECT client_id FROM client_sessions") == [(other.id,)]
    assert find(store, other_token) is not None


def test_forgetting_old_sign_ins_keeps_live_ones(store, client, clock):
    used = store.add_sign_in_link(client.id)
    store.use_sign_in_link(used)
    ended, _ = store.start_session(client.id)
    store.end_session(session_id=ended.id)
    clock.advance(days=1)
    unused = store.add_sign_in_link(client.id)
    _, live_token = store.start_session(client.id)
    store.forget_old_sign_ins(clock.time - dt.timedelta(hours=1))
    assert raw.query(store.url, "SELECT key_hash FROM sign_in_links") == [(sha256(unused),)]
    assert raw.query(store.url, "SELECT token_hash FROM client_sessions") == [(sha256(live_token),)]
    assert store.use_sign_in_link(unused) is not None
    assert find(store, live_token) is not None
