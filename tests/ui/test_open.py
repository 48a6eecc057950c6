"""Opening a client's page when a worksheet file was broken after the server checked it."""

from __future__ import annotations

import pytest

from coachkit.exercises import all_worksheets
from coachkit.ui.client import open_client_page
from coachkit.widgets.guard import SOMETHING_WENT_WRONG


@pytest.fixture
def broken_folder(tmp_path, monkeypatch):
    folder = tmp_path / "worksheets"
    folder.mkdir()
    (folder / "mine.yaml").write_text("id: mine\nsteps: " + "[" * 100 + "]" * 100, encoding="utf-8")
    monkeypatch.setenv("COACHKIT_WORKSHEETS", str(folder))
    all_worksheets.cache_clear()
    yield folder
    all_worksheets.cache_clear()


def test_a_broken_file_gives_the_client_a_plain_page(store, broken_folder, monkeypatch):
    client = store.add_client("Sam")
    session, _ = store.start_session(client.id, "fight-or-make-it-right")
    monkeypatch.setenv("QUERY_STRING", f"session={session.id}")
    page = open_client_page(store)
    assert page.state == "failed to open"
    assert SOMETHING_WENT_WRONG.replace("'", "&#x27;") in page.screen.children[0].value
