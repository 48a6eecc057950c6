"""Answers are read with the words of the version they were given in, even after the file changes."""

from __future__ import annotations

import textwrap

import pytest

from coachkit.attempt import Attempt
from coachkit.coach import frames, panels
from coachkit.exercises import WORKSHEETS, versions
from coachkit.exercises.files import read_libraries
from coachkit.store import DefinitionChanged
from coachkit.worksheet.loader import load_worksheet
from tests.coach.conftest import fill

VERSION_1 = textwrap.dedent(
    """
    id: check-in
    version: 1
    title: Weekly check-in
    uses: [safety]
    steps:
      - id: week
        title: Your week
        fields:
          - use: felt_unsafe
          - id: talks
            kind: single_choice
            label: How often did you talk?
            options: {never: Never, some: Sometimes}
    """
)
VERSION_2 = (
    VERSION_1.replace("version: 1", "version: 2")
    .replace("How often did you talk?", "How often did you talk properly?")
    .replace("some: Sometimes", "some: Now and then")
)


def sheet_of(text: str):  # type: ignore[no-untyped-def]
    return load_worksheet(text, "check-in.yaml", read_libraries())


@pytest.fixture
def answered_in_version_1(store, ann, monkeypatch):
    first = sheet_of(VERSION_1)
    monkeypatch.setitem(WORKSHEETS, "check-in", first)
    attempt = Attempt.start(store, first, ann)  # records version 1's words
    attempt.complete({"felt_unsafe": "no", "talks": "some"})
    monkeypatch.setitem(WORKSHEETS, "check-in", sheet_of(VERSION_2))  # the coach changes the file
    return attempt.response


def test_the_tidy_frame_labels_old_answers_with_their_own_words(store, ann, answered_in_version_1):
    fill(store, ann, "check-in", {"felt_unsafe": "no", "talks": "some"})  # a new answer, in version 2
    tidy = frames.answers(store)
    talks = tidy[tidy["field"] == "talks"].set_index("version")["label"]
    assert talks[1] == "How often did you talk?"
    assert talks[2] == "How often did you talk properly?"


def test_the_timeline_shows_an_old_answer_as_the_client_read_it(store, ann, answered_in_version_1):
    responses = frames.responses(store, ann.id)
    answers = frames.answer_dicts(frames.answers(store, ann.id))
    html = panels.timeline(responses, answers, versions.Versions(store).get)
    assert "<dt>How often did you talk?</dt><dd>Sometimes</dd>" in html
    assert "properly" not in html and "Now and then" not in html
    assert "worded as in version" not in html


def test_a_version_the_store_never_kept_is_shown_in_todays_words_and_says_so(store, ann, monkeypatch):
    monkeypatch.setitem(WORKSHEETS, "check-in", sheet_of(VERSION_2))
    response = store.start_response(ann.id, "check-in", 1)  # as an old store, before versions were kept
    store.complete_response(response.id, "week", {"felt_unsafe": "no", "talks": "some"})
    responses = frames.responses(store, ann.id)
    html = panels.timeline(
        responses, frames.answer_dicts(frames.answers(store)), versions.Versions(store).get
    )
    assert "<dd>Now and then</dd>" in html
    assert "Answered version 1 of this worksheet; the questions below are worded as in version 2." in html


def test_starting_a_worksheet_whose_file_changed_under_its_version_is_refused(store, ann):
    Attempt.start(store, sheet_of(VERSION_1), ann)
    changed = sheet_of(VERSION_1.replace("How often did you talk?", "How often did you speak?"))
    with pytest.raises(DefinitionChanged, match="raise its `version` to 2"):
        Attempt.start(store, changed, ann)


def test_a_change_to_a_library_it_uses_also_needs_a_new_version(store, ann):
    first = sheet_of(VERSION_1)
    versions.record(store, first)
    changed = first.__class__(**{**first.__dict__, "library_sources": (("safety", "library: safety\n"),)})
    with pytest.raises(DefinitionChanged):
        versions.record(store, changed)


def test_every_built_in_worksheet_reads_back_from_what_the_store_keeps(store):
    for sheet in WORKSHEETS.values():
        versions.record(store, sheet)
        kept = versions.read_definition(store.find_definition(sheet.id, sheet.version), sheet.id)
        assert kept is not None and kept.version == sheet.version
        assert [item.label for _, item in kept.all_fields()] == [item.label for _, item in sheet.all_fields()]
