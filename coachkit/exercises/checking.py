"""``coachkit worksheet check``: every problem in worksheet and library files, in plain words, with lines.

A file is read as YAML within the limits (``coachkit.worksheet.limits``), held against the format's
schema (``coachkit.worksheet.schema``), then read as a worksheet (expressions, references between
questions, libraries), its expressions and patterns tried on the largest answers
(``coachkit.worksheet.stress``), and held against the other worksheets (ids, links). Its translations
(``NAME.LANG.po`` beside it: ``coachkit.exercises.translations``) are checked too: words missing, extra or
stale, named with file and line, and the worksheet read in each language. Nothing here raises for a
broken file: problems are returned, to be printed. ``check_all`` checks every file a server would read,
which ``serve``, ``preview`` and the dashboard do before they start; a translation's gaps do not stop a
server (those words are shown as written), so there they are notes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from coachkit.exercises.files import library_paths, read_libraries, worksheet_paths
from coachkit.exercises.programmes import Programme, is_programme_path, load_programme, programme_paths
from coachkit.exercises.translations import languages_of, translation_problems
from coachkit.worksheet import Worksheet
from coachkit.worksheet.loader import (
    Library,
    Problem,
    WorksheetFileError,
    load_library,
    load_with_places,
    load_worksheet,
    read_document,
    read_library,
    read_source,
)
from coachkit.worksheet.stress import slow_expressions, slow_patterns


@dataclass
class Checked:
    """One file's result: its problems, or what it holds."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    """What works but could be better (an expression that is slow on the largest answers)."""
    translations: list[Problem] = field(default_factory=list)
    """What its translations lack or have too much of (``coachkit worksheet check`` fails on these)."""
    languages: tuple[str, ...] = ()
    worksheet: Worksheet | None = None
    library: Library | None = None
    programme: Programme | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line saying what a sound file holds."""
        translated = f", translated into {', '.join(self.languages)}" if self.languages else ""
        if self.library is not None:
            return f"{self.path}: fine (library {self.library.name!r}{translated})"
        if self.programme is not None:
            count = len(self.programme.items)
            return f"{self.path}: fine (programme {self.programme.id!r}: {count} worksheets)"
        sheet = self.worksheet
        assert sheet is not None
        questions = sum(len(step.fields) for step in sheet.steps)
        parts = [f"{len(sheet.steps)} steps", f"{questions} questions"]
        parts += [f"{len(sheet.measures)} measures"] if sheet.measures else []
        return f"{self.path}: fine ({sheet.id!r} version {sheet.version}: {', '.join(parts)}{translated})"


def _read(path: Path, libraries: dict[str, Library]) -> Checked:
    from coachkit.worksheet.schema import schema_problems  # jsonschema takes a second to import

    checked = Checked(path)
    try:
        text = read_source(path)
        document = read_document(text, str(path))
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
            checked.library = read_library(text, str(path))
            _check_translations(checked, path, None, libraries)
            return checked
        loaded = load_with_places(text, str(path), libraries)
    except WorksheetFileError as error:
        checked.problems += error.problems
        return checked
    checked.worksheet = loaded.worksheet
    _check_translations(checked, path, loaded.worksheet, libraries)
    for found in [*slow_expressions(loaded), *slow_patterns(loaded)]:
        told = Problem(found.placed.path, found.placed.line, found.placed.where, found.said)
        (checked.problems if found.serious else checked.notes).append(told)
    return checked


def _check_translations(
    checked: Checked, path: Path, sheet: Worksheet | None, libraries: dict[str, Library]
) -> None:
    """Each translation of the file: its gaps, and (for a worksheet) that it still reads in that language."""
    from coachkit.exercises.translated import read_in
    from coachkit.i18n import words_for

    checked.languages = tuple(languages_of(path))
    for language in checked.languages:
        covered = words_for(language)
        problems = list(
            translation_problems(
                path, language, sheet.version if sheet else None, lambda t, w=covered: w(t) != t
            )
        )
        checked.translations += problems
        if sheet is not None:
            try:  # the worksheet read in that language, as a page would read it
                read_in(sheet, path, language, libraries)
            except WorksheetFileError as error:
                checked.translations += error.problems


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
    for path in paths:  # only their ids: their problems are their own
        try:
            sheet = load_worksheet(read_source(path), str(path), libraries)
        except WorksheetFileError:
            continue
        found.setdefault(sheet.id, path)
    return found


def check_files(paths: Iterable[Path]) -> list[Checked]:
    """Every file's problems, read with the libraries (built-in and own) and the other worksheets.

    A broken library among the practice's own is reported too, as a file of its own, even when it is
    not one of ``paths``: every worksheet that uses it depends on it.
    """
    paths = list(paths)
    broken: list[Problem] = []
    libraries = read_libraries(problems=broken)
    for path in paths:  # a library being checked is the one its worksheets use
        if path.parent.name == "library":  # (a folder or a missing file: read_source says so)
            try:
                library = load_library(path)
            except WorksheetFileError:
                continue
            libraries[library.name] = library
    results = [_read(path, libraries) for path in paths if not is_programme_path(path)]
    checking = {path.resolve() for path in paths}
    listed = worksheet_paths(broken)
    others = _ids_of_files((path for path in listed if path.resolve() not in checking), libraries)
    _against_each_other(results, others)
    known = {*others, *(result.worksheet.id for result in results if result.worksheet)}
    results += [_read_programme(path, known) for path in paths if is_programme_path(path)]
    for name in dict.fromkeys(problem.path for problem in broken):
        if Path(name).resolve() not in checking:
            results.append(Checked(Path(name), [problem for problem in broken if problem.path == name]))
    return results


def _read_programme(path: Path, worksheet_ids: set[str]) -> Checked:
    """A programme file (in a ``programmes/`` folder): its shape, worksheets and order (``programmes``)."""
    checked = Checked(path)
    try:
        checked.programme = load_programme(path, worksheet_ids)
    except WorksheetFileError as error:
        checked.problems += error.problems
    return checked


def check_all() -> list[Checked]:
    """Every worksheet, library and programme file a server would read (built-in and the practice's own);
    an own folder that cannot be opened is a result of its own, with its problem."""
    return check_files([*worksheet_paths([]), *library_paths([]), *programme_paths([])])
