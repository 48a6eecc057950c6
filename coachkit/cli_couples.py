"""``coachkit couple``: link two clients as partners, see whether it is safe to work with them together,
and approve or withdraw what one shares with the other."""

from __future__ import annotations

import click

from coachkit.cli_common import database_option, find_one_client, open_store
from coachkit.couples.gate import APART
from coachkit.couples.service import approve_share, couple_gate
from coachkit.store import CoupleRefused, MissingEntry


@click.group()
def couple() -> None:
    """Couples: two clients linked as partners, each answering apart."""


@couple.command("link")
@click.argument("first")
@click.argument("second")
@database_option
def couple_link(first: str, second: str, database: str | None) -> None:
    """Link the clients FIRST and SECOND (names or codes) as partners."""
    store = open_store(database)
    a, b = find_one_client(store, first), find_one_client(store, second)
    try:
        store.link_partners(a.id, b.id)
    except CoupleRefused as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Linked {a.name} and {b.name} as partners.")
    _say_gate(store, a.id)


@couple.command("unlink")
@click.argument("name_or_code")
@database_option
def couple_unlink(name_or_code: str, database: str | None) -> None:
    """Unlink this client from their partner (each keeps every answer; shares between them end)."""
    store = open_store(database)
    found = find_one_client(store, name_or_code)
    if store.find_partner(found.id) is None:
        raise click.ClickException(f"{found.name} is not linked to a partner")
    store.unlink_partners(found.id)
    click.echo(f"Unlinked {found.name} from their partner.")


@couple.command("list")
@database_option
def couple_list(database: str | None) -> None:
    """List the couples, and whether it is safe to work with each together."""
    store = open_store(database)
    couples = store.find_couples()
    if not couples:
        click.echo("No couples yet: coachkit couple link NAME NAME")
    for first, second in couples:
        checked = couple_gate(store, first)
        state = "open" if checked.open else "kept apart"
        click.echo(f"{store.get_client(first).name} & {store.get_client(second).name}: {state}")


@couple.command("check")
@click.argument("name_or_code")
@database_option
def couple_check(name_or_code: str, database: str | None) -> None:
    """Say whether it is safe to work with this client and their partner together, and why not."""
    store = open_store(database)
    _say_gate(store, find_one_client(store, name_or_code).id)


@couple.command("approve")
@click.argument("share_id", type=int)
@database_option
def couple_approve(share_id: int, database: str | None) -> None:
    """Approve share SHARE_ID (see the couple on the dashboard first): the partner may then see it."""
    store = open_store(database)
    try:
        approve_share(store, share_id)
    except (CoupleRefused, MissingEntry) as error:
        raise click.ClickException(str(error)) from error
    click.echo("Approved.")


@couple.command("withdraw")
@click.argument("share_id", type=int)
@database_option
def couple_withdraw(share_id: int, database: str | None) -> None:
    """Withdraw share SHARE_ID: the partner sees it no more."""
    try:
        open_store(database).withdraw_share(share_id)
    except MissingEntry as error:
        raise click.ClickException(str(error)) from error
    click.echo("Withdrawn.")


def _say_gate(store, client_id: int) -> None:  # type: ignore[no-untyped-def]
    checked = couple_gate(store, client_id)
    if checked.open:
        click.echo("Safe to work with together: neither has said anyone was hurt or frightened.")
        return
    click.echo("Kept apart:")
    for reason in checked.reasons:
        click.echo(f"  - {reason}")
    click.echo(APART)
