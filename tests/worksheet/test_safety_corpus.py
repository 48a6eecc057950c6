"""The safety net on its corpora of real phrasings, one per language (tests/worksheet/safety_corpus*.yaml):
recall per language and kind.

The phrases were tuned on each corpus's main lists, so those must all be heard (and no everyday sentence
misheard, in any language: every text is checked in every language). ``held_out`` was written before
the phrases of its language and never tuned on: its recall is the honest figure for phrasings nobody has
heard yet, kept in docs/safety-net.md; it may only go up.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coachkit.worksheet.safety_net import PHRASE_FILES, phrases, plain, sounds_at_risk, sounds_unsafe

HERE = Path(__file__).parent
CORPUS_FILES = {"en": "safety_corpus.yaml", "es": "safety_corpus.es.yaml", "ar": "safety_corpus.ar.yaml"}
CORPORA = {
    language: yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    for language, name in CORPUS_FILES.items()
}
DOC = Path(__file__).resolve().parents[2] / "docs" / "safety-net.md"
KINDS = ("despair", "hurt", "fear")


def heard(kind: str, text: str) -> bool:
    return sounds_at_risk(text) if kind == "despair" else sounds_unsafe(text)


def recall(kind: str, texts: list[str]) -> tuple[int, int]:
    return sum(heard(kind, text) for text in texts), len(texts)


def figure(found: int, total: int) -> str:
    return f"{found} of {total} ({found / total:.0%})"


def test_every_language_the_net_serves_has_a_corpus():
    assert set(CORPORA) == set(PHRASE_FILES)


@pytest.mark.parametrize("kind", KINDS)
def test_every_english_phrasing_the_net_was_built_on_is_heard_by_the_english_phrases(kind):
    missed = [text for text in CORPORA["en"][kind] if not phrases("en")[kind].heard_in(text)]
    assert missed == []


@pytest.mark.parametrize("language", CORPORA)
@pytest.mark.parametrize("kind", KINDS)
def test_every_phrasing_the_net_was_built_on_is_heard(language, kind):
    missed = [text for text in CORPORA[language][kind] if not heard(kind, text)]
    assert missed == []


@pytest.mark.parametrize(
    "text", [text for corpus in CORPORA.values() for text in corpus["neither"]], ids=lambda text: text[:40]
)
def test_everyday_sentences_and_plain_negations_bring_no_help_in_any_language(text):
    assert not sounds_at_risk(text) and not sounds_unsafe(text)


def test_despair_written_in_spanish_on_any_page_brings_crisis_help():
    assert sounds_at_risk("Ya no quiero seguir viviendo. Quiero morir.")


@pytest.mark.parametrize("language", ["es", "ar"])
def test_phrases_are_written_as_plain_text_is_read(language):
    """Accents and hamza are taken away before matching, so a phrase holding one could never match."""
    data = yaml.safe_load(PHRASE_FILES[language].read_text(encoding="utf-8"))
    written = [*data["despair"], *data["hurt"], *data["fear"], *data["negations"]["despair"]]
    written += data["negations"]["danger"]
    assert [pattern for pattern in written if plain(pattern) != pattern] == []


def test_the_held_out_figures_are_the_ones_the_docs_give():
    """Recall on phrasings never tuned on, per language, as docs/safety-net.md states it (update both)."""
    doc = DOC.read_text(encoding="utf-8")
    for language, corpus in CORPORA.items():
        held = corpus["held_out"]
        for kind in KINDS:
            found, total = recall(kind, held[kind])
            row = f"| {language} | {kind} | {figure(found, total)} |"
            assert row in doc, row
        misheard = sum(sounds_at_risk(text) or sounds_unsafe(text) for text in held["neither"])
        row = f"| {language} | everyday sentences misheard | {figure(misheard, len(held['neither']))} |"
        assert row in doc, row


def test_the_corpus_sizes_are_the_ones_the_docs_give():
    doc = DOC.read_text(encoding="utf-8")
    for language, corpus in CORPORA.items():
        for kind in (*KINDS, "neither"):
            row = f"| {language} | {kind} | {len(corpus[kind])} |"
            assert row in doc, row
