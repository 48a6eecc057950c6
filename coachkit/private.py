"""Client data on disk is for the coach's account alone: files 0600, the folders coachkit makes 0700.

The ``coachkit`` command sets a private umask for everything it (and the servers it starts) creates.
Library code does not rely on it: the store, backups and exports make their own files and folders
private with the functions below, whatever the umask of the process using them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
PRIVATE_UMASK = 0o077


def use_private_umask() -> None:
    """From now on this process (and its children) creates files 0600 and folders 0700 by default."""
    os.umask(PRIVATE_UMASK)


def private_folder(folder: Path) -> Path:
    """Make ``folder`` and any missing parents, each new one 0700; folders already there are left alone."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        try:
            candidate.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile by another process
        os.chmod(candidate, FOLDER_MODE)  # mkdir's mode is cut by the umask
    return folder


def create_private_file(path: Path) -> None:
    """Create ``path`` empty and 0600; ``FileExistsError`` if it is already there."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    os.chmod(path, FILE_MODE)


def write_private_file(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` (replacing it), leaving the file 0600."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), FILE_MODE)
        file.write(content)


def tighten(path: Path) -> None:
    """Take group and others' access away from an existing file (e.g. a store made before this rule)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    except FileNotFoundError:
        pass
    except PermissionError:
        pass  # another account's file: leave it as its owner set it
