"""The worksheet files: the coach's exercises as YAML, read once, found by id.

Built-in worksheets and libraries live beside this module; a practice may add its own in a folder of
worksheet files (``COACHKIT_WORKSHEETS``, else ``worksheets/`` in the checkout or the coach's data
folder: ``config.own_worksheets_dir``), which ``coachkit worksheet new`` writes to. Every file is
checked when it is read: a broken file stops the server with its problems listed, never a half-read
worksheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from coachkit import config
from coachkit.worksheet import Worksheet
from coachkit.worksheet.loader import (
    Library,
    Problem,
    WorksheetFileError,
    load_library,
    load_worksheet,
    read_source,
)

BUILT_IN = Path(__file__).parent
LIBRARIES = BUILT_IN / "library"
WORKSHEETS_ENV = config.WORKSHEETS_ENV


def own_folder() -> Path:
    """Where a practice keeps its own worksheet files."""
    return config.own_worksheets_dir()


def worksheet_paths() -> list[Path]:
    """Every worksheet file: the built-in ones, then the practice's own, each sorted by name."""
    own = own_folder()
    folders = [BUILT_IN, *([own] if own.is_dir() else [])]
    return [path for folder in folders for path in sorted(folder.glob("*.yaml"))]


def library_folders() -> list[Path]:
    """The built-in libraries, then the practice's own (``library/`` in its worksheet folder)."""
    own = own_folder() / "library"
    return [LIBRARIES, *([own] if own.is_dir() else [])]


def library_paths() -> list[Path]:
    """Every library file, built-in then the practice's own, each sorted by name."""
    return [path for folder in library_folders() for path in sorted(folder.glob("*.yaml"))]


def read_libraries(
    folders: Iterable[Path] | None = None, problems: list[Problem] | None = None
) -> dict[str, Library]:
    """Every library by name; a practice's library of the same name replaces the built-in one.

    A broken library is left out and its problems added to ``problems``; without that list,
    ``WorksheetFileError`` lists the problems of every broken one.
    """
    libraries, broken = {}, []
    for folder in library_folders() if folders is None else folders:
        for path in sorted(folder.glob("*.yaml")):
            try:
                library = load_library(path)
            except WorksheetFileError as error:
                broken += error.problems
                continue
            libraries[library.name] = library
    if problems is not None:
        problems += broken
    elif broken:
        raise WorksheetFileError(broken)
    return libraries


def read_worksheet(path: Path, libraries: dict[str, Library] | None = None) -> Worksheet:
    return load_worksheet(read_source(path), str(path), libraries or read_libraries())


def read_all(paths: Iterable[Path] | None = None) -> dict[str, Worksheet]:
    """Every worksheet by id; ``WorksheetFileError`` lists the problems of every broken file."""
    problems: list[Problem] = []
    libraries = read_libraries(problems=problems)
    found: dict[str, Worksheet] = {}
    for path in worksheet_paths() if paths is None else paths:
        try:
            sheet = read_worksheet(path, libraries)
        except WorksheetFileError as error:
            problems += error.problems
            continue
        if sheet.id in found:
            problems.append(Problem(str(path), 1, "", f"another file already has the id {sheet.id!r}"))
            continue
        found[sheet.id] = sheet
    if problems:
        raise WorksheetFileError(problems)
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[1].title)))
