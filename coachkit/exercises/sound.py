"""The sound part of a coach's own worksheet files, for a server that must not refuse to start.

A coach alone runs ``coachkit serve`` in their own terminal, and a broken file stops it with its problems
listed: they fix it and start again. A practice's client server is started for the coach, and a broken
file of theirs (or a folder they cannot open) must not lock all their clients out; so ``serve_sound``
copies the coach's files that pass ``check`` into a folder of the server's own, leaves the others out,
and says why each was left out, in the words ``check`` uses. What a file depends on is checked in the
copy again (a worksheet linking to one left out, a library left out), and so is its version against
the store's (a file changed without raising it), until nothing in the copy has a problem. A file's
translations (``NAME.LANG.po``) go with it, in and out: their gaps never leave a file out (those words
are shown as written, as ``check_all`` notes). Built-in files are never left out: one broken is a broken
installation, refused as before.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from coachkit import config
from coachkit.exercises import all_worksheets, versions
from coachkit.exercises.checking import Checked, check_all
from coachkit.exercises.files import BUILT_IN, own_folder
from coachkit.exercises.translations import languages_of, translation_path
from coachkit.store import DefinitionChanged, Store
from coachkit.worksheet.loader import Problem, WorksheetFileError

LEFT_OUT_FILE = "worksheets-left-out.txt"
"""In the server's log folder: why its last start left files out (removed when none was)."""


def _is_built_in(path: Path) -> bool:
    return path.resolve().is_relative_to(BUILT_IN.resolve())


class SoundCopy:
    """The coach's own files that pass, copied into ``into`` (an empty folder); ``left_out`` says why
    the others are not there, each naming the coach's own file or folder."""

    def __init__(self, into: Path) -> None:
        self.into = into
        self.copies: dict[Path, Path] = {}
        """Each copy, and the coach's file it was made from."""
        self.dropped: dict[Path, Path] = {}
        self.left_out: list[Problem] = []

    def make(self) -> None:
        """Check the coach's files where they are, and copy those that pass."""
        own = own_folder()
        results = check_all()
        self.left_out = [problem for result in results for problem in result.problems]
        built_in = [problem for problem in self.left_out if _is_built_in(Path(problem.path))]
        if built_in:
            raise WorksheetFileError(built_in)
        for result in results:
            if result.ok and not _is_built_in(result.path):
                copy = self.into / result.path.relative_to(own)
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(result.path, copy)
                for language in languages_of(result.path):
                    shutil.copyfile(translation_path(result.path, language), translation_path(copy, language))
                self.copies[copy] = result.path

    def drop(self, copy: Path, problems: list[Problem]) -> None:
        """Leave out the copy ``copy``; ``problems`` (found in the copy) are said of its original."""
        original = self.copies.pop(copy, None) or self.dropped.get(copy)
        if original is None:  # a built-in file, broken by a library of the coach's of the same name
            raise WorksheetFileError(problems)
        self.dropped[copy] = original
        for language in languages_of(copy):
            translation_path(copy, language).unlink(missing_ok=True)
        copy.unlink(missing_ok=True)
        self.left_out += [Problem(str(original), each.line, each.where, each.message) for each in problems]

    def settle(self) -> list[Checked]:
        """Check the copy (read through ``$COACHKIT_WORKSHEETS``) and leave out what fails, until
        nothing does; the results of the last check."""
        for _ in range(len(self.copies) + 1):  # each round leaves a file out, or is the last
            results = check_all()
            failing = [result for result in results if result.problems]
            if not failing:
                return results
            for result in failing:
                for path in dict.fromkeys(Path(problem.path) for problem in result.problems):
                    self.drop(path, [problem for problem in result.problems if Path(problem.path) == path])
        raise AssertionError("unreachable: every round leaves a file out")

    def keep_versions(self, store: Store) -> None:
        """Keep each worksheet version's words with the answers; a file of the coach's changed under
        its version is left out (its clients' answers would be read with other words)."""
        while True:
            all_worksheets.cache_clear()
            sheets = {result.worksheet.id: result.path for result in self.settle() if result.worksheet}
            for sheet in all_worksheets().values():
                try:
                    versions.record(store, sheet)
                except DefinitionChanged as error:
                    said = f"{error}, then restart your client server"
                    self.drop(sheets[sheet.id], [Problem(str(sheets[sheet.id]), 0, "", said)])
                    break
            else:
                return


def serve_sound(into: Path, store: Store) -> list[Problem]:
    """Point this process (and the kernels it starts) at a copy of the coach's sound files in ``into``;
    the problems of every file left out. ``WorksheetFileError`` if a built-in file is broken."""
    copy = SoundCopy(into)
    copy.make()
    os.environ[config.WORKSHEETS_ENV] = str(into)
    copy.keep_versions(store)
    return copy.left_out


def notice(problems: list[Problem]) -> str:
    """What the coach reads about files left out (empty when none was)."""
    if not problems:
        return ""
    listed = "\n".join(f"  {problem}" for problem in problems)
    return (
        "Left out of the worksheets your clients see (the others are served as usual):\n"
        f"{listed}\n"
        "Fix them (`coachkit worksheet check FILE` says what is wrong), then restart your client server."
    )
