"""``coachkit worksheet check``: every problem in worksheet and library files, in plain words, with lines.

A file is read as YAML, held against the format's schema (``coachkit.worksheet.schema``), then read as a
worksheet (expressions, references between questions, libraries) and against the other worksheets (ids,
links). Nothing here raises for a broken file: problems are returned, to be printed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from coachkit.exercises.files import read_libraries, worksheet_paths
from coachkit.worksheet import Worksheet
from coachkit.worksheet.loader import (
    Library,
    Problem,
    WorksheetFileError,
    load_library,
    load_worksheet,
    read_document,
)
from coachkit.worksheet.schema import schema_problems


@dataclass
class Checked:
    """One file's result: its problems, or what it holds."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    worksheet: Worksheet | None = None
    library: Library | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line saying what a sound file holds."""
        if self.library is not None:
            return f"{self.path}: fine (library {self.library.name!r})"
        sheet = self.worksheet
        assert sheet is not None
        questions = sum(len(step.fields) for step in sheet.steps)
        parts = [f"{len(sheet.steps)} steps", f"{questions} questions"]
        parts += [f"{len(sheet.measures)} measures"] if sheet.measures else []
        return f"{self.path}: fine ({sheet.id!r} version {sheet.version}: {', '.join(parts)})"


def _read(path: Path, libraries: dict[str, Library]) -> Checked:
    checked = Checked(path)
    try:
        text = path.read_text(encoding="utf-8")
        document = read_document(text, str(path))
    except OSError as error:
        checked.problems.append(Problem(str(path), 0, "", f"it cannot be read ({error.strerror})"))
        return checked
    except UnicodeDecodeError:
        checked.problems.append(Problem(str(path), 0, "", "it is not UTF-8 text"))
        return checked
    except WorksheetFileError as error:
        checked.problems += error.problems
        return checked
    checked.problems += [
        Problem(str(path), line, where, text) for line, where, text in schema_problems(document)
    ]
    if checked.problems:
        return checked
    try:
        if "library" in document:
            checked.library = load_library(path)
        else:
            checked.worksheet = load_worksheet(text, str(path), libraries)
    except WorksheetFileError as error:
        checked.problems += error.problems
    return checked


def _against_each_other(results: list[Checked], others: dict[str, Path]) -> None:
    """Ids shared with another file; links to worksheets that do not exist."""
    ids = dict(others)
    for result in results:
        sheet = result.worksheet
        if sheet is not None and ids.setdefault(sheet.id, result.path).resolve() != result.path.resolve():
            message = f"another file already has the id {sheet.id!r}: {ids[sheet.id]}"
            result.problems.append(Problem(str(result.path), 1, "id", message))
    for result in results:
        for link in result.worksheet.next_links if result.worksheet else ():
            if link.worksheet_id not in ids:
                message = f"links to {link.worksheet_id!r}, and no worksheet has that id"
                result.problems.append(Problem(str(result.path), 0, f"link {link.label!r}", message))


def _ids_of_files(paths: Iterable[Path], libraries: dict[str, Library]) -> dict[str, Path]:
    found = {}
    for path in paths:
        result = _read(path, libraries)
        if result.worksheet is not None:
            found.setdefault(result.worksheet.id, path)
    return found


def check_files(paths: Iterable[Path]) -> list[Checked]:
    """Every file's problems, read with the libraries (built-in and own) and the other worksheets."""
    paths = list(paths)
    libraries = read_libraries()
    for path in paths:  # a library being checked is the one its worksheets use
        if path.is_file() and path.parent.name == "library":
            try:
                library = load_library(path)
            except (OSError, UnicodeDecodeError, WorksheetFileError):
                continue
            libraries[library.name] = library
    results = [_read(path, libraries) for path in paths]
    checking = {path.resolve() for path in paths}
    others = _ids_of_files((path for path in worksheet_paths() if path.resolve() not in checking), libraries)
    _against_each_other(results, others)
    return results
