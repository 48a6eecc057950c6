"""The ``coachkit`` command: a thin shell over the package. Every command has help text."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

import click

from coachkit import config
from coachkit import serve as serving
from coachkit.capped_logs import LOG_CAP_BYTES
from coachkit.cli_common import database_option, find_one_client, open_store
from coachkit.cli_languages import client_language, language_option, set_in_language, shown_in_languages
from coachkit.cli_worksheet import PlainWorksheetErrors, ready_worksheets, sound_worksheets, worksheet
from coachkit.exercises import all_worksheets
from coachkit.links import (
    LINK_NOTE,
    LINKS_URL_ENV,
    links_base_url,
    new_link,
    record_served_url,
    served_url,
)
from coachkit.private import use_private_umask
from coachkit.serve import ServeOptions, UnsafeBinding, check_binding, default_max_kernels, kernel_log_file
from coachkit.settings import IN_EACH_LANGUAGE, SETTINGS, Setting, read_settings
from coachkit.store import Client, Store
from coachkit.store.backup import backup_now, restore_store
from coachkit.store.database import shown_url


@click.group(cls=PlainWorksheetErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coachkit")
def main() -> None:
    """coachkit: coaching worksheets for your clients, served by Voila, saved per client."""
    use_private_umask()  # client data: what this command and the servers it starts create is 0600/0700


@main.command()
@database_option
@click.option("--port", default=8866, show_default=True, help="Port to listen on.")
@click.option(
    "--ip",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Beyond this machine, only with --certfile/--keyfile or --behind-proxy.",
)
@click.option(
    "--certfile",
    type=click.Path(exists=True, dir_okay=False),
    help="TLS certificate (PEM, with its chain) to serve HTTPS with; needs --keyfile.",
)
@click.option(
    "--keyfile", type=click.Path(exists=True, dir_okay=False), help="The certificate's private key (PEM)."
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="A reverse proxy on this machine terminates HTTPS (Caddy, nginx): trust its X-Forwarded-For.",
)
@click.option(
    "--max-kernels",
    type=click.IntRange(min=1),
    help=f"At most this many pages open at once; more get a 'try again in a minute' page "
    f"[default: from this machine's memory, now {default_max_kernels()}].",
)
@click.option(
    "--pages-per-client",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="At most this many pages open at once for one client (tabs, phone and computer); their newest "
    "page takes over the oldest.",
)
@click.option(
    "--kernel-memory-mb",
    default=serving.KERNEL_LIMIT_MIB,
    show_default=True,
    type=click.IntRange(min=0),
    help="The most memory (address space, MiB) one page's kernel may take; past it the page starts "
    "afresh from what was saved. 0: no limit.",
)
@click.option(
    "--reclaim-after-seconds",
    default=30,
    show_default=True,
    type=click.IntRange(min=5),
    help="Free a page's kernel this long after the page was closed or lost its connection.",
)
@click.option(
    "--ready-kernels",
    default=2,
    show_default=True,
    type=click.IntRange(min=0),
    help="Kernels kept started ahead, so the next pages open sooner (each about 20 MB of its own).",
)
@click.option(
    "--cull-idle-seconds",
    default=3600,
    show_default=True,
    type=click.IntRange(min=10),
    help="Free the kernel of a page left open and unused this long (the page resumes when used again).",
)
@click.option(
    "--log-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the kernels' private log (default: logs/ beside the store).",
)
@click.option(
    "--log-cap-mb",
    default=LOG_CAP_BYTES / 2**20,
    show_default=True,
    type=click.FloatRange(min=0.05),
    help="The most disk the kernels' log may take (MiB), its older files included.",
)
@click.option(
    "--base-url",
    default="/",
    show_default=True,
    help="The path every page is served under, e.g. /services/ana/ as a JupyterHub service.",
)
@click.option(
    "--public-url",
    envvar=LINKS_URL_ENV,
    help="The address clients reach this server at, if not the one it listens on (a proxy's "
    "https://notes.example.org); links printed later point there. Else $" + LINKS_URL_ENV + ".",
)
@click.option(
    "--mail-every-seconds",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="How often due reminders are written and mail waiting in the outbox (alerts to you, reminders to "
    "clients) is sent; 0: never.",
)
@click.option(
    "--leave-out-broken",
    is_flag=True,
    help="Serve your worksheet files that pass `coachkit worksheet check` and leave out the others "
    "(saying which and why) instead of refusing to start; a practice's client servers do.",
)
def serve(
    database: str | None,
    port: int,
    ip: str,
    certfile: str | None,
    keyfile: str | None,
    behind_proxy: bool,
    max_kernels: int | None,
    pages_per_client: int,
    kernel_memory_mb: int,
    reclaim_after_seconds: int,
    ready_kernels: int,
    cull_idle_seconds: int,
    log_dir: Path | None,
    log_cap_mb: float,
    base_url: str,
    public_url: str | None,
    mail_every_seconds: float,
    leave_out_broken: bool,
) -> None:
    """Serve the client worksheets (creating the store if it is missing). Each client's code is their key."""
    if bool(certfile) != bool(keyfile):
        raise click.UsageError("--certfile and --keyfile go together")
    try:
        base_url = serving.normalize_base_url(base_url)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--base-url") from error
    options = ServeOptions(
        root=config.workbooks_dir(),
        port=port,
        ip=ip,
        certfile=certfile or "",
        keyfile=keyfile or "",
        behind_proxy=behind_proxy,
        max_kernels=max_kernels or default_max_kernels(),
        pages_per_client=pages_per_client,
        kernel_memory_mib=kernel_memory_mb,
        reclaim_after_seconds=reclaim_after_seconds,
        ready_kernels=ready_kernels,
        cull_idle_seconds=cull_idle_seconds,
        log_dir=log_dir,
        log_cap_bytes=int(log_cap_mb * 2**20),
        base_url=base_url,
        mail_every_seconds=mail_every_seconds,
        links_url=os.environ.get(LINKS_URL_ENV, ""),
    )
    try:
        check_binding(ip, options.tls, behind_proxy)
    except UnsafeBinding as error:
        raise click.UsageError(str(error)) from error
    address = (public_url or "").strip() or served_url(ip, port, base_url, options.tls or behind_proxy)
    store = open_store(database)
    with ExitStack() as serving_copy:
        try:
            if leave_out_broken:
                log_folder = kernel_log_file(options, store.url).parent
                serving_copy.enter_context(sound_worksheets(store, log_folder))
            else:
                ready_worksheets(store)
            if not record_served_url(store, address):
                click.echo("The store cannot be written now: answers are not saved until it can.", err=True)
        finally:
            store.close()
        click.echo(f"Store: {shown_url(store.url)}")
        click.echo(f"Worksheets: {address}/ (give each client their own links; new links point here)")
        kernel_log = kernel_log_file(options, store.url)
        click.echo(
            f"At most {options.max_kernels} pages open at once, {options.pages_per_client} for one client; "
            f"kernel log: {kernel_log}"
        )
        serving.serve(options, store.url)


@main.command()
@database_option
def init(database: str | None) -> None:
    """Create the store, or upgrade it to the newest schema."""
    store = open_store(database)
    store.close()
    click.echo(f"Store ready: {shown_url(store.url)}")


@main.command()
@database_option
def paths(database: str | None) -> None:
    """Show where your store, logs, backups, exports and own worksheets are kept."""
    url = config.database_url(database)
    click.echo(f"Data folder: {config.data_dir()}")
    click.echo(f"Store: {shown_url(url)}")
    click.echo(f"Server logs: {config.log_dir(url)}")
    click.echo(f"Backups: {config.backups_dir(url)}")
    click.echo(f"Exports: {config.exports_dir()}")
    click.echo(f"Your own worksheets: {config.own_worksheets_dir()}")


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
    help="Where to write the copy (default: backups/coachkit-DATE-TIME.sqlite beside a SQLite store; "
    "for PostgreSQL, .pgdump in the data folder's backups/).",
)
def backup(database: str | None, target: Path | None) -> None:
    """Make a consistent copy of the store, even while clients are using it (PostgreSQL: pg_dump)."""
    try:
        written = backup_now(config.database_url(database), target)
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
    """Add clients and print links for them."""


def _print_links(store: Store, found: Client, base_url: str | None, sheets: tuple[str, ...] = ()) -> None:
    """The client's code, and a new link (each opens once): to their own page, or to each worksheet."""
    click.echo(f"{found.name}  code: {found.code}")
    base_url = links_base_url(store, base_url)
    known = all_worksheets()
    if not sheets:
        click.echo(f"  Their page ({LINK_NOTE}): {new_link(store, found, None, base_url)}")
    for sheet in sheets:
        click.echo(f"  {known[sheet].title} ({LINK_NOTE}): {new_link(store, found, sheet, base_url)}")


def _known_worksheets(
    _ctx: click.Context, _param: click.Parameter, sheets: tuple[str, ...]
) -> tuple[str, ...]:
    unknown = [sheet for sheet in sheets if sheet not in all_worksheets()]
    if unknown:
        raise click.BadParameter(f"no worksheet {', '.join(unknown)} (`coachkit worksheets` lists them)")
    return sheets


base_url_option = click.option(
    "--base-url",
    envvar=LINKS_URL_ENV,
    help=f"The server's address as clients reach it, with any path (e.g. https://notes.example.org, "
    f"or a JupyterHub service's https://hub.example.org/services/ana); else ${LINKS_URL_ENV}; else the "
    "address `coachkit serve` last served on; else http://127.0.0.1:8866.",
)


@client.command("add")
@click.argument("name")
@database_option
@base_url_option
def client_add(name: str, database: str | None, base_url: str | None) -> None:
    """Add a client called NAME and print their code and a link to their page."""
    store = open_store(database)
    try:
        added = store.add_client(name)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="NAME") from error
    _print_links(store, added, base_url)


@client.command("list")
@database_option
def client_list(database: str | None) -> None:
    """List clients with their codes."""
    for found in open_store(database).find_clients():
        click.echo(f"{found.code}  {found.name}  (added {found.created_at:%Y-%m-%d})")


@client.command("links")
@click.argument("name_or_code")
@click.option(
    "--worksheet",
    "sheets",
    multiple=True,
    callback=_known_worksheets,
    help="A link straight to this worksheet (its id; repeat for more). Default: a link to their page.",
)
@database_option
@base_url_option
def client_links_command(
    name_or_code: str, sheets: tuple[str, ...], database: str | None, base_url: str | None
) -> None:
    """Print new links for the client with this name or code: each opens once, for up to 14 days."""
    store = open_store(database)
    _print_links(store, find_one_client(store, name_or_code), base_url, sheets)


@main.group()
def settings() -> None:
    """Show or change the coach's settings (where to get help, the quick exit, the page title)."""


@settings.command("show")
@database_option
def settings_show(database: str | None) -> None:
    """Show every setting's current value."""
    store = open_store(database)
    values = read_settings(store)
    for setting in SETTINGS.values():
        click.echo(f"{setting.name}: {values[setting.key]}")
        for line in shown_in_languages(store, setting) if setting in IN_EACH_LANGUAGE else []:
            click.echo(line)


def _setting_command(setting: Setting) -> click.Command:
    @click.argument("text")
    @database_option
    def change(text: str, database: str | None, language: str | None = None) -> None:
        set_in_language(open_store(database), setting, text, language)
        click.echo("Saved.")

    change.__doc__ = f"Set TEXT: {setting.help[0].lower()}{setting.help[1:]}"
    if setting in IN_EACH_LANGUAGE:
        change = language_option(change)
    return click.command(setting.name)(change)


for _setting in SETTINGS.values():
    settings.add_command(_setting_command(_setting))


from coachkit.cli_couples import couple  # noqa: E402
from coachkit.cli_homework import COMMANDS as HOMEWORK_COMMANDS  # noqa: E402
from coachkit.cli_mail import mail  # noqa: E402
from coachkit.coach_cli import register  # noqa: E402
from coachkit.practice.cli import practice  # noqa: E402

register(main)
main.add_command(practice)
main.add_command(worksheet)
main.add_command(mail)
main.add_command(couple)
client.add_command(client_language)
for _command in HOMEWORK_COMMANDS:
    main.add_command(_command)

if __name__ == "__main__":
    main()
