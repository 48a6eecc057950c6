"""Backing up every coach's database: ``coachkit backup`` (pg_dump, checked) as each coach, in turn.

Each dump is made by the coach's own account, which is the only role that can read their database
(besides the superuser), into a private folder of their home; it is then moved into the practice's
backup folder, which only root can enter.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from coachkit.practice import accounts
from coachkit.practice.coaches import run_coachkit
from coachkit.practice.description import Practice
from coachkit.private import private_folder

SPOOL = ".coachkit/backups"
"""In each coach's home: where their dump is written before it is moved."""


def back_up_all(practice: Practice, folder: Path) -> list[Path]:
    """One checked dump per coach in ``folder`` (0700, files 0600, owned by root); their paths."""
    private_folder(folder)
    folder.chmod(0o700)
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    written = []
    for coach in practice.coaches:
        spool = practice.home(coach) / SPOOL
        accounts.run_as(coach.name, ["mkdir", "-p", "-m", "700", str(spool)])
        dump = spool / f"{coach.name}-{stamp}.pgdump"
        run_coachkit(practice, coach, "backup", "--to", str(dump))
        target = folder / dump.name
        shutil.move(dump, target)
        os.chown(target, 0, 0)
        target.chmod(0o600)
        written.append(target)
    return written
