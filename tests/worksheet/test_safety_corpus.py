"""The safety net on its corpus of real phrasings (tests/worksheet/safety_corpus.yaml): recall per kind.

The phrases were tuned on the corpus's main lists, so those must all be heard (and no everyday sentence
misheard). ``held_out`` was written afterwards and never tuned on: its recall is the honest figure for
phrasings nobody has heard yet, kept in docs/safety-net.md; it may only go up.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coachkit.worksheet.safety_net import phrases, sounds_at_risk, sounds_unsafe

CORPUS = yaml.safe_load((Path(__file__).parent / "safety_corpus.yaml").read_text(encoding="utf-8"))
DOC = Path(__file__).resolve().parents[2] / "docs" / "safety-net.md"
KINDS = ("despair", "hurt", "fear")


def heard(kind: str, text: str) -> bool:
    return sounds_at_risk(text) if kind == "despair" else sounds_unsafe(text)


def recall(kind: str, texts: list[str]) -> tuple[int, int]:
    return sum(heard(kind, text) for text in texts), len(texts)


def figure(found: int, total: int) -> str:
    return f"{found} of {total} ({found / total:.0%})"


@pytest.mark.parametrize("kind", KINDS)
def test_every_phrasing_the_net_was_built_on_is_heard(kind):
    missed = [text for text in CORPUS[kind] if not phrases()[kind].heard_in(text)]
    assert missed == []


@pytest.mark.parametrize("text", CORPUS["neither"])
def test_everyday_sentences_and_plain_negations_bring_no_help(text):
    assert not sounds_at_risk(text) and not sounds_unsafe(text)


def test_the_held_out_figures_are_the_ones_the_docs_give():
    """Recall on phrasings never tuned on, as docs/safety-net.md states it (update both together)."""
    doc = DOC.read_text(encoding="utf-8")
    held = CORPUS["held_out"]
    for kind in KINDS:
        found, total = recall(kind, held[kind])
        assert f"| {kind} | {figure(found, total)} |" in doc, f"{kind}: {figure(found, total)}"
    misheard = sum(sounds_at_risk(text) or sounds_unsafe(text) for text in held["neither"])
    assert f"| everyday sentences misheard | {figure(misheard, len(held['neither']))} |" in doc


def test_the_corpus_sizes_are_the_ones_the_docs_give():
    doc = DOC.read_text(encoding="utf-8")
    for kind in (*KINDS, "neither"):
        assert f"| {kind} | {len(CORPUS[kind])} |" in doc
