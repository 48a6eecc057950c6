"""The coach's commands: export, delete a client, demo data, and the dashboard.

``register(main)`` adds them to the ``coachkit`` group. The coach's libraries (pandas, matplotlib,
openpyxl) are imported inside the commands, so ``coachkit serve`` never loads them.
"""

from __future__ import annotations

from pathlib import Path

import click

from coachkit import config
from coachkit.cli_common import database_option, find_one_client, open_store
from coachkit.store import Store
from coachkit.store.database import shown_url


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--client", "name_or_code", help="Export only this client (name or code); default: everyone.")
@click.option(
    "--format",
    "formats",
    type=click.Choice(["csv", "xlsx", "json"]),
    multiple=True,
    help="csv, xlsx or json; repeat for several (default: all three).",
)
@database_option
def export(
    folder: Path | None, name_or_code: str | None, formats: tuple[str, ...], database: str | None
) -> None:
    """Export answers to FOLDER (default: exports/ in the data folder) as CSV, Excel and JSON, tidy and per
    worksheet."""
    from coachkit.coach.exports import FORMATS, write_export

    store = open_store(database)
    client_id = find_one_client(store, name_or_code).id if name_or_code else None
    for path in write_export(store, folder or config.exports_dir(), client_id, formats or FORMATS):
        click.echo(str(path))


@click.command("delete")
@click.argument("name_or_code")
@click.option("--yes", is_flag=True, help="Do not ask: delete without typing the name to confirm.")
@database_option
def client_delete(name_or_code: str, yes: bool, database: str | None) -> None:
    """Delete the client with this name or code, and every one of their answers (no undo)."""
    store = open_store(database)
    found = find_one_client(store, name_or_code)
    responses = store.find_responses(found.id)
    click.echo(f"{found.name} ({found.code}): {len(responses)} responses, completed or draft.")
    if not yes:
        typed = click.prompt(
            "This cannot be undone. Type their name to delete them", default="", show_default=False
        )
        if " ".join(typed.split()) != found.name:
            raise click.ClickException("the name did not match; nothing was deleted")
    store.remove_client(found.id)
    click.echo(f"Deleted {found.name} and every one of their answers.")


@click.command("demo")
@click.option(
    "--database",
    help="Where to write the demo store (default: demo.sqlite in the data folder, never your real store).",
)
@click.option(
    "--clients", default=8, show_default=True, type=click.IntRange(1, 500), help="How many clients."
)
@click.option(
    "--seed", default=7, show_default=True, help="The same seed gives the same clients and answers."
)
@click.option("--force", is_flag=True, help="Add demo clients even though the store already has clients.")
def demo(database: str | None, clients: int, seed: int, force: bool) -> None:
    """Fill a separate store with synthetic clients over several months, to try the dashboard."""
    from coachkit.coach.demo import build_demo, default_demo_url

    store = Store(database or default_demo_url())
    existing = store.find_clients()
    if existing and not force:
        raise click.ClickException(
            f"{store.url} already has {len(existing)} clients. Delete that file to start over, "
            "or use --force to add more."
        )
    made = build_demo(store, clients, seed)
    click.echo(f"Demo store: {store.url} ({len(made)} synthetic clients, seed {seed})")
    click.echo("Open it with: coachkit dashboard --demo")


@click.command("dashboard")
@database_option
@click.option(
    "--demo",
    "use_demo",
    is_flag=True,
    help="Show the demo store (demo.sqlite in the data folder), made if missing.",
)
@click.option("--port", default=8867, show_default=True, help="Port to listen on (loopback only).")
@click.option(
    "--set-login",
    is_flag=True,
    help="Set the dashboard's password (asked twice, kept only as a hash), then stop.",
)
def dashboard(database: str | None, use_demo: bool, port: int, set_login: bool) -> None:
    """Serve the coach's dashboard on 127.0.0.1, behind your login, apart from the clients' server.

    Its address stays the same: bookmark it. Once you have set a password (here with --set-login, or on
    the dashboard), its page asks for it. Until then, a link with a token opens it: new each time, or
    $COACHKIT_DASHBOARD_TOKEN if set (never a command-line option, which other users could read).
    """
    from coachkit import serve as serving
    from coachkit.cli_worksheet import ready_worksheets
    from coachkit.coach import login
    from coachkit.coach.server import dashboard_address, dashboard_options, dashboard_url

    if set_login:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=False)
        again = click.prompt("The same again", hide_input=True)
        try:
            login.set_login(open_store(database), password, again)
        except login.LoginRefused as refused:
            raise click.ClickException(str(refused)) from None
        click.echo("Your dashboard's login is set; its page asks for this password from now on.")
        return

    if use_demo:
        from coachkit.coach.demo import build_demo, default_demo_url

        store = Store(default_demo_url())
        if not store.find_clients():
            build_demo(store)
    else:
        store = open_store(database)
    try:
        ready_worksheets(store)
        has_login = login.has_login(store)
    finally:
        store.close()
    options = dashboard_options(port)
    click.echo(f"Store: {shown_url(store.url)}")
    if has_login:
        click.echo(f"Dashboard (bookmark it; it asks for your password): {dashboard_address(options)}")
    else:
        click.echo(f"Dashboard (keep this link to yourself): {dashboard_url(options)}")
        click.echo(
            "For an address that stays the same, set a password: on the dashboard (Your settings), "
            "or with coachkit dashboard --set-login."
        )
    serving.serve(options, store.url)


def register(main: click.Group) -> None:
    """Add the coach's commands to ``coachkit`` (``client delete`` joins the ``client`` group)."""
    for command in (export, demo, dashboard):
        main.add_command(command)
    client_group = main.commands.get("client")
    if isinstance(client_group, click.Group):
        client_group.add_command(client_delete)
    else:
        main.add_command(client_delete, "delete-client")
