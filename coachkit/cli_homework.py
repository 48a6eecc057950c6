"""``coachkit assign``, ``unassign``, ``homework`` and ``programmes``: homework from the command line."""

from __future__ import annotations

import click

from coachkit.cli_common import database_option, find_one_client, open_store
from coachkit.exercises import all_worksheets
from coachkit.homework.assigning import (
    AssignError,
    Homework,
    assign_programme,
    assign_worksheet,
    client_today,
    coach_name,
    homework_of,
    matching,
    parse_day,
    programmes,
    unassign,
)
from coachkit.homework.schedule import weekday
from coachkit.store import Assignment

STATES = {
    "upcoming": "starts",
    "open": "due",
    "overdue": "overdue since",
    "done": "done",
    "late": "done late",
}


def describe(assignment: Assignment) -> str:
    """One line for an assignment: its number, worksheet, how often and when it is due."""
    sheets = all_worksheets()
    title = (
        sheets[assignment.worksheet_id].title
        if assignment.worksheet_id in sheets
        else assignment.worksheet_id
    )
    when = f"from {assignment.starts_on}"
    if assignment.every_days:
        when += f", every {assignment.every_days} days, {assignment.times} times"
    elif assignment.due_on:
        when += f", due {assignment.due_on}"
    programme = f" [{assignment.programme_id}]" if assignment.programme_id else ""
    return f"#{assignment.id} {title}{programme} ({when})"


def standing_line(homework: Homework) -> str:
    current = homework.current
    if homework.finished:
        return "all done"
    day = current.occurrence.due_on if current.state != "upcoming" else current.occurrence.opens_on
    said = STATES[current.state]
    if day is None:
        return "open, no due date" if current.state == "open" else f"{said} {current.occurrence.opens_on}"
    return f"{said} {weekday(day, homework.today)} ({day})"


@click.command("assign")
@click.argument("name_or_code")
@click.argument("worksheet_id", metavar="WORKSHEET", required=False)
@click.option(
    "--programme", "programme_id", help="Assign this programme's worksheets (`coachkit programmes`)."
)
@click.option("--due", help="Due on this day: 2026-12-04, today, tomorrow or a weekday (their time zone).")
@click.option("--start", help="Starts on this day (default: today, where the client is).")
@click.option("--every", "every_days", type=int, help="Repeat every this many days (with --times).")
@click.option("--times", type=int, help="How many times it repeats (with --every).")
@click.option("--note", default="", help="A short note the client sees with it.")
@database_option
def assign(
    name_or_code: str,
    worksheet_id: str | None,
    programme_id: str | None,
    due: str | None,
    start: str | None,
    every_days: int | None,
    times: int | None,
    note: str,
    database: str | None,
) -> None:
    """Assign a WORKSHEET (its id: `coachkit worksheets`) or a --programme to the client NAME_OR_CODE."""
    if bool(worksheet_id) == bool(programme_id):
        raise click.UsageError("give a WORKSHEET or --programme ID (one of them)")
    store = open_store(database)
    client = find_one_client(store, name_or_code)
    try:
        today = client_today(store, client.id)
        starts_on = parse_day(start, today) if start else None
        if programme_id:
            if due or every_days or times or note:
                raise AssignError("a programme's dates and notes are in its file: give only --start")
            made = assign_programme(
                store, client, programme_id, by=coach_name("command line"), starts_on=starts_on
            )
        else:
            due_on = parse_day(due, today) if due else None
            made = [
                assign_worksheet(
                    store,
                    client,
                    worksheet_id or "",
                    by=coach_name("command line"),
                    due_on=due_on,
                    starts_on=starts_on,
                    every_days=every_days,
                    times=times,
                    note=note,
                )
            ]
    except AssignError as error:
        raise click.ClickException(str(error)) from error
    for assignment in made:
        click.echo(f"Assigned to {client.name}: {describe(assignment)}")


@click.command("unassign")
@click.argument("name_or_code")
@click.argument("what")
@database_option
def unassign_command(name_or_code: str, what: str, database: str | None) -> None:
    """Unassign WHAT from the client: a worksheet's id, a programme's id, or an assignment's #number."""
    store = open_store(database)
    client = find_one_client(store, name_or_code)
    found = matching(store, client, what)
    if not found:
        raise click.ClickException(
            f"{client.name} has no open homework {what!r} (`coachkit homework` lists it)"
        )
    unassign(store, found, by=coach_name("command line"))
    for assignment in found:
        click.echo(f"Unassigned from {client.name}: {describe(assignment)}")


@click.command("homework")
@click.argument("name_or_code", required=False)
@database_option
def homework_command(name_or_code: str | None, database: str | None) -> None:
    """List open homework (one client's, or everyone's) and where each stands today."""
    store = open_store(database)
    clients = [find_one_client(store, name_or_code)] if name_or_code else store.find_clients()
    listed = 0
    for client in clients:
        for homework in homework_of(store, client.id):
            click.echo(f"{client.name}: {describe(homework.assignment)}: {standing_line(homework)}")
            listed += 1
    if not listed:
        click.echo("No homework assigned. `coachkit assign NAME WORKSHEET --due friday` assigns some.")


@click.command("programmes")
def programmes_command() -> None:
    """List the programmes you can assign (files in programmes/ beside the worksheets)."""
    for programme in programmes().values():
        click.echo(f"{programme.id}  {programme.title}  ({len(programme.items)} worksheets)")


COMMANDS = (assign, unassign_command, homework_command, programmes_command)
