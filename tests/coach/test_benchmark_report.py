"""The benchmarks write only their own section of docs/performance.md, replacing it when it is there."""

from __future__ import annotations

from benchmarks.report import TITLE, unwrap, write_section

PREAMBLE = unwrap(TITLE)


def test_a_new_file_gets_the_preamble_and_the_section(tmp_path):
    path = tmp_path / "performance.md"
    write_section("Tidy frame", "1.2× as long.", path)
    assert path.read_text() == PREAMBLE + "\n## Tidy frame\n\n1.2× as long.\n"


def test_the_section_is_replaced_and_the_others_kept(tmp_path):
    path = tmp_path / "performance.md"
    path.write_text(
        "# Performance\n\n## Before\n\nkeep me\n\n## Tidy frame\n\nold figures\n\n## After\n\nkeep me too\n"
    )
    write_section("Tidy frame", "new figures", path)
    assert path.read_text() == (
        PREAMBLE + "\n## Before\n\nkeep me\n\n## Tidy frame\n\nnew figures\n\n## After\n\nkeep me too\n"
    )


def test_a_missing_section_is_added_at_the_end(tmp_path):
    path = tmp_path / "performance.md"
    path.write_text("# Performance\n\n## Other\n\nkept\n")
    write_section("Tidy frame", "figures", path)
    assert path.read_text() == PREAMBLE + "\n## Other\n\nkept\n\n## Tidy frame\n\nfigures\n"


def test_wrapped_paragraphs_are_joined_but_tables_are_kept():
    assert unwrap("one\ntwo\n\n| a |\n| b |") == "one two\n\n| a |\n| b |\n"
