"""A client's languages in the store (the coach's setting, their own choice, their browser's), and the
language each response was given in (migration 0012_languages)."""

from __future__ import annotations

import pytest

from coachkit.store import ClientLanguages, MissingEntry


def test_a_new_client_has_no_language_of_their_own_yet(store, ann):
    assert store.get_languages(ann.id) == ClientLanguages(ann.id)


def test_each_language_is_kept_apart_and_changed_on_its_own(store, ann):
    store.note_browser_language(ann.id, "es")
    store.set_client_language(ann.id, "ar")
    store.choose_language(ann.id, "en")
    assert store.get_languages(ann.id) == ClientLanguages(ann.id, chosen="en", coach="ar", browser="es")
    store.choose_language(ann.id, None)
    store.set_client_language(ann.id, None)
    assert store.get_languages(ann.id) == ClientLanguages(ann.id, browser="es")


def test_choosing_a_language_keeps_what_the_client_chose_about_reminders(store, ann):
    store.set_reminders(ann.id, "ann@example.org", 18, "Europe/Madrid")
    store.choose_language(ann.id, "es")
    contact = store.get_contact(ann.id)
    kept = (contact.email, contact.reminders_on, contact.time_zone)
    assert kept == ("ann@example.org", True, "Europe/Madrid")


def test_a_language_tag_is_checked_and_an_unknown_client_refused(store, ann):
    with pytest.raises(ValueError):
        store.choose_language(ann.id, "es'; drop table clients; --")
    with pytest.raises(MissingEntry):
        store.set_client_language(ann.id + 99, "es")


def test_a_links_languages_are_those_of_its_client_until_it_is_spent(store, ann):
    store.set_client_language(ann.id, "ar")
    key = store.add_sign_in_link(ann.id)
    assert store.link_languages(key) == ClientLanguages(ann.id, coach="ar")
    store.use_sign_in_link(key)
    assert store.link_languages(key) is None
    assert store.link_languages("no-such-key") is None


def test_a_response_keeps_the_language_its_answers_were_given_in(store, ann):
    response = store.start_response(ann.id, "fight-or-make-it-right", 3, language="es")
    assert response.language == "es"
    saved = store.save_step(response.id, "safety", {"been_hurt": "no"}, current_step=1, language="ar")
    assert saved.language == "ar"  # the client changed the page's language midway
    done = store.complete_response(response.id, "your_side", {"role": "both"})
    assert done.language == "ar"
    _, meta = store.answer_rows(ann.id)
    assert "language" in meta.columns and meta.values[0][meta.columns.index("language")] == "ar"
    assert store.start_response(ann.id, "fight-or-make-it-right", 3).language is None
