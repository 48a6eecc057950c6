"""Backing up every coach's database, and restoring one.

Each dump is made by the coach's own account (``coachkit backup``: pg_dump, checked), which is the only
role that can read their database (besides the superuser), into a private folder of their home; it is
then moved into the practice's backup folder, which only root can enter. A restore is the other way
round: the superuser sets the current database aside under a new name and makes an empty one for the
coach, and the coach's account fills it (``pg_restore``), so every row belongs to the coach's role.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import shutil
from pathlib import Path

from coachkit.practice import accounts
from coachkit.practice.coaches import run_coachkit
from coachkit.practice.description import Coach, Practice
from coachkit.practice.postgres import Admin, keep_public_out, quoted
from coachkit.private import private_folder
from coachkit.store.pg_backup import check_archive

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


def restore_coach(practice: Practice, coach: Coach, dump: Path) -> str:
    """Put ``dump`` in place of ``coach``'s database; returns the name the replaced one is kept under.

    The coach's open connections are ended first (their clients' open pages are asked to reload).
    """
    check_archive(dump, str(dump))
    admin = Admin.of(practice)
    kept = f"{coach.database}_before_{dt.datetime.now():%Y%m%d_%H%M%S}"
    copy = _hand_to_coach(practice, coach, dump)
    database, role = quoted(coach.database), quoted(coach.name)
    ending = f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{coach.database}'"
    admin.psql(ending, f"ALTER DATABASE {database} RENAME TO {quoted(kept)}")
    try:
        admin.psql(f"CREATE DATABASE {database} OWNER {role}")
        keep_public_out(admin, (coach.database,))
        restore = [str(admin.bin_dir / "pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction"]
        restore += ["-h", str(admin.socket_dir), "-d", coach.database, str(copy)]
        accounts.run_as(coach.name, restore)
    except BaseException:
        back = f"ALTER DATABASE {quoted(kept)} RENAME TO {database}"
        admin.psql(f"DROP DATABASE IF EXISTS {database}", back)
        raise
    finally:
        copy.unlink(missing_ok=True)
    return kept


def _hand_to_coach(practice: Practice, coach: Coach, dump: Path) -> Path:
    """A copy of ``dump`` that only the coach's account can read, in their home."""
    account = pwd.getpwnam(coach.name)
    spool = practice.home(coach) / SPOOL
    accounts.run_as(coach.name, ["mkdir", "-p", "-m", "700", str(spool)])
    copy = spool / "restore.pgdump"
    shutil.copyfile(dump, copy)
    os.chown(copy, account.pw_uid, account.pw_gid)
    copy.chmod(0o600)
    return copy
