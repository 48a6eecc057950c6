"""The coach's everyday work on the dashboard, in-process: add, rename, links, check-ins, settings, backup."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from coachkit.coach import login
from coachkit.coach.dashboard import Dashboard
from coachkit.coach.link_box import qr_image
from coachkit.coach.source import open_coach_store
from coachkit.links import SERVED_URL_KEY
from coachkit.settings import SAFETY_HELP, SESSION_MINUTES, SETTINGS
from tests.coach.conftest import FIGHT, fight, fill
from tests.coach.test_dashboard import page_html

NOW = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
LINK = re.compile(r'value="(http://[^"]+/link/[\w-]{22})"')


@pytest.fixture
def board(store, ann):
    fill(store, ann, FIGHT, fight(been_hurt="yes", safe_contact="any"))
    return Dashboard(store, now=lambda: NOW)


def test_adding_a_client_lists_and_picks_them(board, store):
    board.adding.name.value = "  Rosa   Jiménez "
    board.adding.button.click()
    assert [client.name for client in store.find_clients()] == ["Ann Lee", "Rosa Jiménez"]
    assert board.client is not None and board.client.name == "Rosa Jiménez"
    assert "Added Rosa Jiménez" in board.message.value


def test_a_name_too_long_is_refused_with_a_message(board, store):
    board.adding.name.value = "x" * 201
    board.adding.button.click()
    assert len(store.find_clients()) == 1
    assert "Not added: a client&#x27;s name must be 1 to 200 characters" in board.message.value


def test_renaming_keeps_the_code_and_the_answers(board, store, ann):
    board.pick(ann.id)
    rename = board.client_view.children[1].children
    rename[0].value = "Ann Lee-Park"
    rename[1].click()
    renamed = store.get_client(ann.id)
    assert (renamed.name, renamed.code) == ("Ann Lee-Park", ann.code)
    assert store.find_responses(ann.id)
    assert "Renamed Ann Lee to Ann Lee-Park." in board.message.value


def test_each_press_makes_a_new_link_that_opens_once_at_the_served_address(board, store, ann):
    store.set_setting(SERVED_URL_KEY, "http://127.0.0.1:9555")
    board.pick(ann.id)
    box = board.link_box
    box.button.click()
    first = LINK.search(box.shown.value).group(1)
    box.where.value = "my-anger-plan"
    box.button.click()
    second = LINK.search(box.shown.value).group(1)
    assert first != second and second.startswith("http://127.0.0.1:9555/link/")
    assert "My anger plan" in box.shown.value
    assert 'class="ck-copy"' in box.shown.value and "data:image/svg+xml" in box.shown.value
    assert ann.code not in box.shown.value  # the code is not in the link, its QR code or the page's script
    session, _ = store.use_sign_in_link(second.rsplit("/", 1)[1])
    assert (session.client_id, session.sheet) == (ann.id, "my-anger-plan")
    assert store.use_sign_in_link(second.rsplit("/", 1)[1]) is None


def test_the_qr_code_is_drawn_inline():
    html = qr_image("http://127.0.0.1:8866/link/abc")
    assert html.startswith('<img class="ck-qr" src="data:image/svg+xml')


def test_checking_in_moves_the_client_down_and_keeps_the_note(board, store, ann):
    calm = store.add_client("Abe Calm")
    fill(store, calm, FIGHT, fight())
    board.refresh()
    assert board.clients["client"].tolist() == ["Ann Lee", "Abe Calm"]
    board.pick(ann.id)
    box = next(child for child in board.client_view.children if "ck-checkin" in child._dom_classes)
    box.children[2].value = "Called; she is staying with her sister."
    box.children[3].click()
    assert board.clients["client"].tolist() == ["Abe Calm", "Ann Lee"]
    html = page_html(board)
    assert "Check in first" not in html
    assert "Called; she is staying with her sister." in html
    assert not any("ck-checkin" in child._dom_classes for child in board.client_view.children)


def test_a_setting_is_saved_with_the_clis_checks(board, store):
    rows = board.settings.rows
    rows[SAFETY_HELP.name].box.value = "  Call 0800 123 456, day or night.  "
    rows[SAFETY_HELP.name].button.click()
    assert store.get_setting(SAFETY_HELP.key) == "Call 0800 123 456, day or night."
    rows[SESSION_MINUTES.name].box.value = "1"
    rows[SESSION_MINUTES.name].button.click()
    assert store.get_setting(SESSION_MINUTES.key) is None
    assert "Not saved: session-minutes: it must be a whole number of minutes from 5" in board.message.value
    assert set(rows) == set(SETTINGS)


def test_the_login_is_set_from_the_page_and_kept_hashed(board, store):
    panel = board.settings
    panel.password.value, panel.again.value = "short", "short"
    panel.set_login()
    assert not login.has_login(store) and "Login not set" in board.message.value
    panel.password.value = panel.again.value = "a calm blue river"
    panel.set_login()
    assert login.check_login(store, "a calm blue river")
    assert not login.check_login(store, "a calm blue rivers")
    assert "calm" not in store.get_setting(login.LOGIN_KEY)
    assert panel.password.value == ""


def test_the_backup_button_writes_a_copy_beside_the_store(board, store, backend):
    if backend != "sqlite":
        pytest.skip("the PostgreSQL backup runs pg_dump: tests/store/test_backup_postgresql.py")
    board.settings.backup()
    written = Path(re.search(r"Backed up to ([^<]+)<", board.message.value).group(1))
    assert written.is_file() and written.parent.name == "backups"


def test_a_client_added_over_the_demo_stand_in_goes_to_the_coachs_own_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'own.sqlite'}"
    source = open_coach_store(url)
    assert source.stand_in
    board = Dashboard(source.store, source.note, real_store=source.open_own)
    assert len(board.clients) > 1  # demo clients, in memory
    board.add("Sam")
    assert [client.name for client in source.open_own().find_clients()] == ["Sam"]
    assert board.clients["client"].tolist() == ["Sam"] and board.note == ""
