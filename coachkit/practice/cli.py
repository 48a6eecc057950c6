"""``coachkit practice``: start a local practice on JupyterHub, add a coach, list coaches, back up; and
for a coach, restart their own client server.

A thin shell over ``coachkit.practice``. Every command but ``coaches`` and ``restart-my-server`` needs
root: coaches are kept apart by system accounts of their own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from coachkit.practice import accounts
from coachkit.practice.description import (
    PRACTICE_ENV,
    Practice,
    PracticeError,
    add_coach_to_file,
    check_name,
    default_file,
    example_file,
    load,
)

practice_option = click.option(
    "--practice",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=PRACTICE_ENV,
    help="The practice file (default: practice/practice.toml in the data folder, made from the example).",
)


def _load(path: Path | None) -> Practice:
    try:
        return load(path or default_file())
    except PracticeError as error:
        raise click.ClickException(str(error)) from error


def _root(what: str) -> None:
    try:
        accounts.require_root(what)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error


@click.group()
def practice() -> None:
    """A practice on JupyterHub: several coaches, each with their own clients (docs/practice.md)."""


@practice.command("start")
@practice_option
def start(path: Path | None) -> None:
    """Start PostgreSQL, set up every coach, run the Hub and its proxy; Ctrl-C stops everything."""
    from coachkit.practice import runner

    _root("A practice")
    path = path or default_file()
    if not path.exists() and path == default_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        shutil.copyfile(example_file(), path)
        click.echo(f"Practice file: {path} (a copy of {example_file()}; edit it, or add coaches)")
    _load(path)
    try:
        runner.run(path)
    except (PracticeError, accounts.AccountError, RuntimeError) as error:
        raise click.ClickException(str(error)) from error


@practice.command("add-coach")
@click.argument("name")
@click.option("--demo", is_flag=True, help="Give the coach synthetic demo clients.")
@practice_option
def add_coach(name: str, demo: bool, path: Path | None) -> None:
    """Add coach NAME: their account, database, login (printed once) and client server."""
    from coachkit.practice import coaches, runner
    from coachkit.practice.postgres import Admin, Cluster

    _root("Adding a coach")
    path = path or default_file()
    try:
        check_name(name)
        current = _load(path)
        known = {coach.name: coach for coach in current.coaches}
        coach = known.get(name, coaches.Coach(name, demo))
        cluster = Cluster.of(current)
        reachable = cluster is None or cluster.running()
        # Set up first, then named in the file: a running practice picks up a coach who is ready, and a
        # name already taken on this machine never reaches the file.
        ready = coaches.ensure_coach(current, coach, Admin.of(current) if reachable else None)
        if name not in known:
            add_coach_to_file(path, name, demo)
    except (PracticeError, accounts.AccountError, RuntimeError) as error:
        raise click.ClickException(str(error)) from error
    runner.describe(current, ready)
    if ready.password:
        click.echo("  (shown this once; the coach can change it at /hub/auth/change-password)")
    if not reachable:
        click.echo("  Their database is made when the practice next starts.")
    click.echo(
        "A running `coachkit practice start` picks the coach up within seconds: their client server "
        "starts, and they can log in (no other coach is disturbed)."
    )


@practice.command("restart-my-server")
@click.option(
    "--anyway",
    is_flag=True,
    help="Restart even if a worksheet of yours has problems (your server leaves that file out).",
)
def restart_my_server(anyway: bool) -> None:
    """Restart your own client server (a coach, in a terminal of your JupyterLab), e.g. after adding or
    changing a worksheet: it reads your worksheets afresh. Open pages are asked to reload."""
    from coachkit.practice import myserver

    try:
        myserver.this_coach()
    except myserver.RestartError as error:
        raise click.ClickException(str(error)) from error
    broken = myserver.problems()
    if broken and not anyway:
        for result in broken:
            for problem in result.problems:
                click.echo(str(problem), err=True)
        raise click.ClickException(
            "your client server keeps running as it is. Fix the files above (`coachkit worksheet check "
            "FILE` checks one again), then restart it; or restart it --anyway, leaving them out."
        )
    click.echo("Restarting your client server…")
    try:
        restarted = myserver.restart()
    except myserver.RestartError as error:
        raise click.ClickException(str(error)) from error
    own = ", ".join(restarted.own) or "none yet (`coachkit worksheet new` starts one)"
    click.echo(f"Your client server is back. Your own worksheets it serves: {own}.")
    if restarted.left_out:
        click.echo(restarted.left_out.rstrip(), err=True)


@practice.command("coaches")
@practice_option
def list_coaches(path: Path | None) -> None:
    """List the coaches, with their dashboard and where their clients' links point."""
    current = _load(path)
    for coach in current.coaches:
        click.echo(f"{coach.name}{'  (demo)' if coach.demo else ''}")
        click.echo(f"  dashboard:     {current.dashboard_url(coach)}")
        click.echo(f"  client links:  {current.service_url(coach)}link/…  (each opens once)")


@practice.command("backup")
@click.option(
    "--to",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the dumps (default: data/practice/backups).",
)
@practice_option
def backup(folder: Path | None, path: Path | None) -> None:
    """Back up every coach's database (pg_dump, checked), one file each."""
    from coachkit.practice.backups import back_up_all

    _root("Backing up the practice")
    current = _load(path)
    try:
        written = back_up_all(current, folder or current.state_dir / "backups")
    except (accounts.AccountError, OSError) as error:
        raise click.ClickException(str(error)) from error
    for file in written:
        click.echo(f"Backed up to {file}")


@practice.command("restore")
@click.argument("name")
@click.argument("dump", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="The coach's clients' open pages will be asked to reload. Restore now?")
@practice_option
def restore(name: str, dump: Path, path: Path | None) -> None:
    """Put DUMP (from `coachkit practice backup`) in place of coach NAME's database; the one it replaces
    is kept under a new name."""
    from coachkit.practice.backups import restore_coach

    _root("Restoring a coach's database")
    current = _load(path)
    try:
        kept = restore_coach(current, current.coach(name), dump)
    except (PracticeError, accounts.AccountError, RuntimeError) as error:  # PostgresError too
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {name}'s database from {dump}; the one it replaced is kept as {kept}.")
