"""The benchmark writes only its own section of docs/performance.md, replacing it when it is there."""

from __future__ import annotations

import importlib.util
from pathlib import Path

# ``benchmarks`` is run as ``python -m benchmarks`` from the checkout; it is not an installed package.
_spec = importlib.util.spec_from_file_location(
    "benchmarks_report", Path(__file__).resolve().parents[2] / "benchmarks" / "report.py"
)
report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(report)
TITLE, write_section = report.TITLE, report.write_section


def test_a_new_file_gets_a_title_and_the_section(tmp_path):
    path = tmp_path / "performance.md"
    write_section("Tidy frame", "1.2× as long.", path)
    assert path.read_text() == TITLE + "\n## Tidy frame\n\n1.2× as long.\n"


def test_the_section_is_replaced_and_the_others_kept(tmp_path):
    path = tmp_path / "performance.md"
    path.write_text(
        "# Performance\n\n## Before\n\nkeep me\n\n## Tidy frame\n\nold figures\n\n## After\n\nkeep me too\n"
    )
    write_section("Tidy frame", "new figures", path)
    assert path.read_text() == (
        "# Performance\n\n## Before\n\nkeep me\n\n## Tidy frame\n\nnew figures\n\n## After\n\nkeep me too\n"
    )


def test_a_missing_section_is_added_at_the_end(tmp_path):
    path = tmp_path / "performance.md"
    path.write_text("# Performance\n\n## Other\n\nkept\n")
    write_section("Tidy frame", "figures", path)
    assert path.read_text() == "# Performance\n\n## Other\n\nkept\n\n## Tidy frame\n\nfigures\n"
