"""The ``coachkit`` command: a thin shell over the package. Every command has help text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from coachkit import config
from coachkit.cli_common import database_option, find_one_client, open_store
from coachkit.cli_worksheet import worksheet
from coachkit.exercises import all_worksheets
from coachkit.links import DEFAULT_BASE_URL, client_links
from coachkit.private import use_private_umask
from coachkit.serve import ServeOptions, UnsafeBinding, exec_voila
from coachkit.settings import SETTINGS, Setting, read_settings
from coachkit.store import Client
from coachkit.store.backup import backup_store, backup_suffix, restore_store
from coachkit.store.database import shown_url


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coachkit")
def main() -> None:
    """coachkit: coaching worksheets for your clients, served by Voila, saved per client."""
    use_private_umask()  # client data: what this command and the servers it starts create is 0600/0700


@main.command()
@database_option
@click.option("--port", default=8866, show_default=True, help="Port to listen on.")
@click.option("--ip", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--token", default="", help="Require this token (needed to listen beyond loopback).")
@click.option(
    "--cull-idle-seconds", default=3600, show_default=True, help="Shut down kernels idle this long."
)
def serve(database: str | None, port: int, ip: str, token: str, cull_idle_seconds: int) -> None:
    """Serve the client worksheets with Voila (creating the store if it is missing)."""
    store = open_store(database)
    store.close()
    options = ServeOptions(
        root=config.workbooks_dir(), port=port, ip=ip, token=token, cull_idle_seconds=cull_idle_seconds
    )
    click.echo(f"Store: {shown_url(store.url)}")
    click.echo(f"Worksheets: http://{ip}:{port}/ (give each client their own link)")
    try:
        exec_voila(options, store.url)
    except UnsafeBinding as error:
        raise click.UsageError(str(error)) from error


@main.command()
@database_option
def init(database: str | None) -> None:
    """Create the store, or upgrade it to the newest schema."""
    store = open_store(database)
    store.close()
    click.echo(f"Store ready: {shown_url(store.url)}")


@main.command()
def worksheets() -> None:
    """List the worksheets clients can do."""
    for sheet in all_worksheets().values():
        click.echo(f"{sheet.id}  (v{sheet.version})  {sheet.title}")


@main.command()
@database_option
@click.option(
    "--to",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the copy (default: data/backups/coachkit-DATE-TIME.sqlite, or .pgdump).",
)
def backup(database: str | None, target: Path | None) -> None:
    """Make a consistent copy of the store, even while clients are using it (PostgreSQL: pg_dump)."""
    url = config.database_url(database)
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    name = f"coachkit-{stamp}{backup_suffix(url)}"
    target = target or config.project_dir() / "data" / "backups" / name
    try:
        written = backup_store(url, target)
    except (ValueError, FileNotFoundError, FileExistsError, RuntimeError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {written}")


@main.command()
@database_option
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Is the server stopped? The current store will be set aside, not deleted.")
def restore(database: str | None, backup_file: Path) -> None:
    """Put BACKUP_FILE in place of the store (stop the server first); the current store is kept aside."""
    try:
        kept = restore_store(config.database_url(database), backup_file)
    except (ValueError, RuntimeError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {backup_file}. The store it replaced is kept as {kept}.")


@main.group()
def client() -> None:
    """Add clients and print their worksheet links."""


def _print_links(found: Client, base_url: str, token: str) -> None:
    click.echo(f"{found.name}  code: {found.code}")
    for title, link in client_links(found.code, base_url, token).items():
        click.echo(f"  {title}: {link}")


link_options = [
    click.option("--base-url", default=DEFAULT_BASE_URL, show_default=True, help="Server address."),
    click.option("--token", default="", help="The server's token, if it has one, for the links."),
]


def with_link_options(command):  # type: ignore[no-untyped-def]
    for option in reversed(link_options):
        command = option(command)
    return command


@client.command("add")
@click.argument("name")
@database_option
@with_link_options
def client_add(name: str, database: str | None, base_url: str, token: str) -> None:
    """Add a client called NAME and print their code and links."""
    try:
        added = open_store(database).add_client(name)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="NAME") from error
    _print_links(added, base_url, token)


@client.command("list")
@database_option
def client_list(database: str | None) -> None:
    """List clients with their codes."""
    for found in open_store(database).find_clients():
        click.echo(f"{found.code}  {found.name}  (added {found.created_at:%Y-%m-%d})")


@client.command("links")
@click.argument("name_or_code")
@database_option
@with_link_options
def client_links_command(name_or_code: str, database: str | None, base_url: str, token: str) -> None:
    """Print the worksheet links of the client with this name or code."""
    _print_links(find_one_client(open_store(database), name_or_code), base_url, token)


@main.group()
def settings() -> None:
    """Show or change the coach's settings (where to get help, the quick exit, the page title)."""


@settings.command("show")
@database_option
def settings_show(database: str | None) -> None:
    """Show every setting's current value."""
    values = read_settings(open_store(database))
    for setting in SETTINGS.values():
        click.echo(f"{setting.name}: {values[setting.key]}")


def _setting_command(setting: Setting) -> click.Command:
    @click.argument("text")
    @database_option
    def change(text: str, database: str | None) -> None:
        open_store(database).set_setting(setting.key, text.strip())
        click.echo("Saved.")

    change.__doc__ = f"Set TEXT: {setting.help[0].lower()}{setting.help[1:]}"
    return click.command(setting.name)(change)


for _setting in SETTINGS.values():
    settings.add_command(_setting_command(_setting))


from coachkit.coach_cli import register  # noqa: E402

register(main)

if __name__ == "__main__":
    main()


main.add_command(worksheet)
