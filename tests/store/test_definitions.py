"""Each worksheet version's file is kept once; a file changed under the same version is refused."""

from __future__ import annotations

import pytest

from coachkit.store import DefinitionChanged, Store, StoreUnavailable


def test_a_version_is_kept_once_and_read_back(store):
    store.record_definition("check-in", 1, "title: Check-in")
    store.record_definition("check-in", 1, "title: Check-in")  # every new response records it again
    assert store.find_definition("check-in", 1) == "title: Check-in"
    assert store.find_definition("check-in", 2) is None
    assert store.find_definition("other", 1) is None


def test_a_changed_file_under_the_same_version_is_refused_and_the_kept_one_stays(store):
    store.record_definition("check-in", 1, "title: Check-in")
    with pytest.raises(
        DefinitionChanged, match=r"'check-in' has changed since version 1.*raise its `version` to 2"
    ):
        store.record_definition("check-in", 1, "title: Weekly check-in")
    assert store.find_definition("check-in", 1) == "title: Check-in"


def test_a_new_version_is_kept_beside_the_old(store):
    store.record_definition("check-in", 1, "title: Check-in")
    store.record_definition("check-in", 2, "title: Weekly check-in")
    assert store.find_definition("check-in", 1) == "title: Check-in"
    assert store.find_definition("check-in", 2) == "title: Weekly check-in"


def test_text_of_any_length_and_script_is_kept_exactly(store):
    text = "label: Як справи? 😊 " + "x" * 100_000
    store.record_definition("long", 1, text)
    assert store.find_definition("long", 1) == text


def test_a_store_opened_read_only_checks_kept_versions_without_writing(tmp_path):
    path = tmp_path / "store.sqlite"
    Store(f"sqlite:///{path}").record_definition("check-in", 1, "title: Check-in")
    read_only = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    read_only.record_definition("check-in", 1, "title: Check-in")  # kept already: nothing to write
    with pytest.raises(DefinitionChanged):
        read_only.record_definition("check-in", 1, "title: Weekly check-in")
    with pytest.raises(StoreUnavailable):
        read_only.record_definition("check-in", 2, "title: Weekly check-in")
