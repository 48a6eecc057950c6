"""``coachkit mail``: try the mail settings, and see what is waiting in the outbox."""

from __future__ import annotations

import click

from coachkit.cli_common import database_option, open_store
from coachkit.settings import ALERT_EMAIL, read_settings


@click.group()
def mail() -> None:
    """Alerts by email: try your mail settings, see what is waiting to be sent."""


@mail.command("test")
@database_option
def mail_test(database: str | None) -> None:
    """Send a test alert to your alert address now, with your mail settings (coachkit settings show)."""
    from coachkit.mail import MailSettingsError, mail_settings, plain_error, send

    values = read_settings(open_store(database))
    recipient = values[ALERT_EMAIL.key].strip()
    if not recipient:
        raise click.ClickException("no alert address is set: coachkit settings alert-email ADDRESS")
    try:
        settings = mail_settings(values)
        send(settings, recipient, "A test from coachkit", "Your coachkit alerts will arrive like this.\n")
    except MailSettingsError as error:
        raise click.ClickException(str(error)) from error
    except Exception as error:
        raise click.ClickException(f"not sent: {plain_error(error)}") from error
    click.echo(f"Sent a test alert to {recipient}.")


@mail.command("status")
@database_option
def mail_status(database: str | None) -> None:
    """List mail still waiting to be sent, with why the last try failed."""
    waiting = open_store(database).find_mail(unsent_only=True)
    if not waiting:
        click.echo("Nothing is waiting: every mail has been sent.")
    for item in waiting:
        problem = f" (tried {item.attempts}×: {item.last_error})" if item.attempts else ""
        click.echo(f"{item.created_at:%Y-%m-%d %H:%M} {item.kind} to {item.recipient}{problem}")
