"""The worksheet files: the coach's exercises as YAML, read once, found by id.

Built-in worksheets and libraries live beside this module; a practice may add its own in a folder of
worksheet files (``COACHKIT_WORKSHEETS``, else ``worksheets/`` in the checkout or the coach's data
folder: ``config.own_worksheets_dir``), which ``coachkit worksheet new`` writes to. Every file is
checked when it is read: a broken file stops the server with its problems listed, never a half-read
worksheet. A folder of the coach's own that this account cannot open (made by root, say) is a problem
naming it, like a broken file, never an ``OSError`` from deep inside.
"""

from __future__ import annotations

import os
import pwd
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


def owner_of(path: Path) -> str:
    """Who ``path`` belongs to, and its mode, for a message ("root, mode 0700"), or "" if unknown."""
    try:
        status = path.stat()
        owner = pwd.getpwuid(status.st_uid).pw_name
    except (OSError, KeyError):
        return ""
    return f"{owner}, mode {status.st_mode & 0o7777:04o}"


def this_account() -> str:
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())


def whose(path: Path) -> str:
    """ " (it belongs to root, mode 0700)" for a path that is not this account's, else ""."""
    owner = owner_of(path)
    return f" (it belongs to {owner})" if owner and not owner.startswith(f"{this_account()},") else ""


def unreadable(folder: Path) -> Problem:
    """The problem of a folder this account cannot open: which folder, whose it is, and the way out."""
    account = this_account()
    message = (
        f"this folder cannot be opened by {account}{whose(folder)}, so its worksheets cannot be read; "
        f"`sudo chown -R {account} {folder}` gives it back (or move the files elsewhere)"
    )
    return Problem(str(folder), 0, "", message)


def readable_folder(folder: Path, problems: list[Problem] | None) -> bool:
    """Whether to read ``folder``: False if it is not there. One this account cannot open is added to
    ``problems`` once (and left out), or without that list raises ``WorksheetFileError`` naming it."""
    try:
        with os.scandir(folder):
            return True
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        problem = unreadable(folder)
    if problems is None:
        raise WorksheetFileError([problem])
    if problem not in problems:
        problems.append(problem)
    return False


def worksheet_paths(problems: list[Problem] | None = None) -> list[Path]:
    """Every worksheet file: the built-in ones, then the practice's own, each sorted by name.

    An own folder that cannot be opened is added to ``problems`` (see ``readable_folder``)."""
    own = own_folder()
    folders = [BUILT_IN, *([own] if readable_folder(own, problems) else [])]
    return [path for folder in folders for path in sorted(folder.glob("*.yaml"))]


def library_folders(problems: list[Problem] | None = None) -> list[Path]:
    """The built-in libraries, then the practice's own (``library/`` in its worksheet folder)."""
    own = own_folder()
    if not readable_folder(own, problems):
        return [LIBRARIES]
    library = own / "library"
    return [LIBRARIES, *([library] if readable_folder(library, problems) else [])]


def library_paths(problems: list[Problem] | None = None) -> list[Path]:
    """Every library file, built-in then the practice's own, each sorted by name."""
    return [path for folder in library_folders(problems) for path in sorted(folder.glob("*.yaml"))]


def read_libraries(
    folders: Iterable[Path] | None = None, problems: list[Problem] | None = None
) -> dict[str, Library]:
    """Every library by name; a practice's library of the same name replaces the built-in one.

    A broken library is left out and its problems added to ``problems``; without that list,
    ``WorksheetFileError`` lists the problems of every broken one.
    """
    libraries: dict[str, Library] = {}
    broken: list[Problem] = []
    for folder in library_folders(broken) if folders is None else folders:
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
    for path in worksheet_paths(problems) if paths is None else paths:
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
