"""Coaches' system accounts: what keeps one coach's JupyterLab out of another coach's files.

Each coach's JupyterLab runs code as its coach (that is what JupyterLab is for), so the operating
system is what keeps coaches apart: each has an account of their own, with a home only they can enter
(0700), and their client server and database connections run as that account too. Accounts made here
carry the comment ``coachkit coach``; an account of the same name made by anyone else is never taken
over or removed. Needs root (``useradd``, ``runuser``).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

MARK = "coachkit coach"
"""The comment (GECOS field) on every account coachkit made for a coach."""
SHELL = "/bin/bash"
NOTEBOOKS = ("dashboard.ipynb", "analysis.ipynb")
"""The coach's notebooks (``coach/`` in the project) copied into each coach's home."""


class AccountError(RuntimeError):
    """An account cannot be made or used as a coach's (not root, the name is taken, a tool failed)."""


def require_root(what: str) -> None:
    if os.geteuid() != 0:
        raise AccountError(
            f"{what} needs root: each coach gets a system account of their own, which is what keeps one "
            "coach's JupyterLab away from another coach's clients (run it with sudo, as root)"
        )


def find_account(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def is_coach_account(name: str) -> bool:
    """Whether ``name`` is an account coachkit made for a coach."""
    found = find_account(name)
    return found is not None and found.pw_gecos == MARK


def _run(command: Sequence[str]) -> None:
    done = subprocess.run(list(command), capture_output=True, text=True, check=False, timeout=120)
    if done.returncode != 0:
        raise AccountError(f"{command[0]} failed: {(done.stderr or done.stdout).strip()}")


def ensure_account(name: str, home: Path) -> pwd.struct_passwd:
    """The coach's account, made if missing (home ``home``, 0700, no password: nobody logs in to it
    directly). An existing account that coachkit did not make is refused, never taken over."""
    found = find_account(name)
    if found is not None and found.pw_gecos != MARK:
        raise AccountError(
            f"there is already an account called {name!r} on this machine that coachkit did not make; "
            "choose another name for the coach"
        )
    if found is None:
        for folder in reversed([home.parent, *home.parent.parents]):
            if not folder.exists():  # the folders above homes: open to pass through, like /home
                folder.mkdir()
                folder.chmod(0o755)
        made = ["useradd", "--create-home", "--home-dir", str(home), "--user-group"]
        _run([*made, "--shell", SHELL, "--comment", MARK, name])
        found = pwd.getpwnam(name)
    Path(found.pw_dir).chmod(0o700)
    return found


def remove_account(name: str) -> None:
    """Remove a coach's account and home (only an account coachkit made)."""
    if is_coach_account(name):
        _run(["userdel", "--remove", name])


def install_notebooks(name: str, source: Path) -> list[Path]:
    """Copy the coach's notebooks from ``source`` into their home if they are not there yet (a coach's
    own changes are kept); the copies belong to the coach. Returns the files copied."""
    account = pwd.getpwnam(name)
    copied = []
    for notebook in NOTEBOOKS:
        target = Path(account.pw_dir) / notebook
        if target.exists():
            continue
        shutil.copyfile(source / notebook, target)
        os.chown(target, account.pw_uid, account.pw_gid)
        target.chmod(0o600)
        copied.append(target)
    return copied


def ensure_folder(name: str, folder: Path) -> None:
    """``folder`` (in the coach's home) made if missing, the coach's own, 0700. One already there is left
    as it is: if it is not the coach's, the coach's commands say so and how to give it back."""
    if folder.exists():
        return
    account = pwd.getpwnam(name)
    folder.mkdir(mode=0o700)
    os.chown(folder, account.pw_uid, account.pw_gid)
    folder.chmod(0o700)


def run_as(
    name: str, command: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as the coach's account, in their home, with only ``env`` (and a plain PATH, HOME,
    USER) in its environment: nothing of root's reaches it. Raises ``AccountError`` if it fails."""
    account = pwd.getpwnam(name)
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": account.pw_dir,
        "USER": name,
        "LANG": "C.UTF-8",
        **(env or {}),
    }
    done = subprocess.run(
        ["runuser", "-u", name, "--", *command],
        capture_output=True,
        text=True,
        env=environment,
        cwd=account.pw_dir,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise AccountError(f"{' '.join(command[:3])}… as {name} failed:\n{done.stderr or done.stdout}")
    return done
