"""Static files: which links are versioned, and which paths name a worksheet."""

from __future__ import annotations

import gzip

import pytest

from coachkit.web.compressed import compressed, compressible
from coachkit.web.static import CONTENT_HASH, is_worksheet, static_version, versioned_static_url


@pytest.mark.parametrize(
    ("path", "hashed"),
    [
        ("/voila/labextensions/x/static/remoteEntry.5cbb9d2323598fbda535.js", True),
        ("/voila/labextensions/x/static/704.6a820cc839aca480.js", True),
        ("/voila/labextensions/x/static/style.js", False),
        ("/voila/labextensions/x/package.json", False),
    ],
)
def test_content_hashed_names(path, hashed):
    assert bool(CONTENT_HASH.search(path)) is hashed


def test_the_static_version_follows_the_files(tmp_path):
    (tmp_path / "a.js").write_text("one")
    first = static_version([str(tmp_path)])
    assert static_version([str(tmp_path)]) == first
    (tmp_path / "a.js").write_text("three")
    assert static_version([str(tmp_path)]) != first
    assert versioned_static_url("/", first) == f"/voila/static/v{first}"


def test_only_notebooks_inside_the_served_folder_are_worksheets(tmp_path):
    (tmp_path / "sheet.ipynb").write_text("{}")
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "other.ipynb").write_text("{}")
    assert is_worksheet(str(tmp_path), "sheet.ipynb")
    assert is_worksheet(str(tmp_path), "inner/other.ipynb")
    for path in ("missing.ipynb", "../sheet.ipynb", ".hidden.ipynb", "sheet.ipynb\x00", "sheet.py", "", None):
        assert not is_worksheet(str(tmp_path), path)


def test_a_static_file_is_compressed_once_and_again_only_when_it_changes(tmp_path):
    script = tmp_path / "a.js"
    script.write_text("let x = 1;\n" * 500)
    first = compressed(str(script))
    assert gzip.decompress(first) == script.read_bytes()
    assert compressed(str(script)) is first  # kept, not compressed again
    script.write_text("let y = 2;\n" * 500)
    assert gzip.decompress(compressed(str(script))) == script.read_bytes()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.js", True),
        ("a.css", True),
        ("a.json", True),
        ("a.svg", True),
        ("a.woff2", False),
        ("a.png", False),
    ],
)
def test_what_is_worth_compressing(name, expected):
    assert compressible(name) is expected
