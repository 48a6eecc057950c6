"""Setting a coach up: their account, notebooks, worksheets folder, login, database, store, and demo
clients if asked.

``ensure_coach`` is idempotent, and finishes what a set-up stopped half-way had begun (killed, or a
step that failed): ``coachkit practice start`` runs it for every coach at each start, and
``coachkit practice add-coach`` for the new one. A new database is filled under another name and takes
the coach's only once full (``postgres.ensure_coach_database``), so demo clients are there exactly once.
Everything that touches the coach's store runs as the coach's own account through the ``coachkit``
command (``init``, ``demo``, ``client add``), exactly as the coach would, with their own worksheets
folder, so every table and row belongs to their role.
"""

from __future__ import annotations

import fcntl
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from coachkit import config
from coachkit.practice import accounts, logins
from coachkit.practice.description import Coach, Practice
from coachkit.practice.postgres import Admin, ensure_coach_database
from coachkit.private import private_folder

DEMO_CLIENTS = 4
TRY_ME = "Sam Demo"
"""A demo coach's client with nothing done yet, whose link ``coachkit practice start`` prints."""
FIRST_WORKSHEET = "fight-or-make-it-right"
SETUP_LOCK = "setup.lock"


@dataclass(frozen=True)
class Ready:
    """A coach set up: a password if one was made just now (or a demo coach's), and one client link
    (or why none could be made)."""

    coach: Coach
    password: str = ""
    client_link: str = ""
    link_problem: str = ""


def coachkit_command() -> list[str]:
    """``coachkit`` of the Python running this (an installation every coach's account can read)."""
    return [sys.executable, "-m", "coachkit.cli"]


def run_coachkit(practice: Practice, coach: Coach, *arguments: str, database: str = "") -> str:
    """``coachkit ARGUMENTS --database …`` as the coach, on their own store (or their ``database`` of
    another name), with their own worksheets folder; its output."""
    command = [*coachkit_command(), *arguments, "--database", practice.database_url(coach, database)]
    env = {config.WORKSHEETS_ENV: str(practice.worksheets_dir(coach))}
    return accounts.run_as(coach.name, command, env).stdout


def ensure_login(practice: Practice, coach: Coach) -> str:
    """A password for the coach if they have none yet (returned); a demo coach's is kept to show again
    (kept before it is set, so that a set-up stopped in between never leaves a password nobody knows)."""
    if logins.has_password(practice.passwords_file, coach.name):
        return logins.demo_logins(practice.demo_logins_file).get(coach.name, "") if coach.demo else ""
    password = logins.new_password()
    if coach.demo:
        logins.remember_demo_login(practice.demo_logins_file, coach.name, password)
    logins.set_password(practice.passwords_file, coach.name, password)
    return password


def fill_store(practice: Practice, coach: Coach, database: str) -> None:
    """A new store for ``coach`` in ``database``: the schema, and for a demo coach their demo clients and
    one client with nothing done yet."""
    run_coachkit(practice, coach, "init", database=database)
    if coach.demo:
        seed = sum(map(ord, coach.name))  # each demo coach their own clients
        clients = ("--clients", str(DEMO_CLIENTS), "--seed", str(seed))
        run_coachkit(practice, coach, "demo", *clients, database=database)
        run_coachkit(practice, coach, "client", "add", TRY_ME, database=database)


def ensure_coach(
    practice: Practice, coach: Coach, admin: Admin | None, notebooks: Path | None = None
) -> Ready:
    """Everything ``coach`` needs; the database part only if PostgreSQL is reachable (``admin``).

    One set-up at a time (a running practice sets up a coach that ``add-coach`` is setting up too).
    """
    with one_at_a_time(practice):
        accounts.ensure_account(coach.name, practice.home(coach))
        accounts.install_notebooks(coach.name, notebooks or config.coach_notebooks_dir())
        accounts.ensure_folder(coach.name, practice.worksheets_dir(coach))
        password = ensure_login(practice, coach)
        if admin is None:
            return Ready(coach, password)
        ensure_coach_database(admin, coach, lambda database: fill_store(practice, coach, database))
        try:
            return Ready(coach, password, first_client_link(practice, coach))
        except accounts.AccountError as error:  # e.g. their worksheets folder cannot be read: said, not fatal
            return Ready(coach, password, link_problem=str(error).split("\n", 1)[-1])


@contextmanager
def one_at_a_time(practice: Practice) -> Iterator[None]:
    """Hold the practice's set-up lock (a file in its state folder) until the block ends."""
    private_folder(practice.state_dir)
    with open(practice.state_dir / SETUP_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def first_client_link(practice: Practice, coach: Coach) -> str:
    """A link for the coach's demo client (or their first client), or "" if they have no clients yet."""
    listed = run_coachkit(practice, coach, "client", "list").splitlines()
    chosen = next((line for line in listed if TRY_ME in line), listed[0] if listed else "")
    if not chosen:
        return ""
    code = chosen.split()[0]
    service = practice.service_url(coach)
    printed = run_coachkit(
        practice, coach, "client", "links", code, "--worksheet", FIRST_WORKSHEET, "--base-url", service
    )
    return printed.strip().splitlines()[-1].rsplit(" ", 1)[-1]
