"""``coachkit client language`` and ``coachkit settings … --language``: a client's language, and what
clients read in each language."""

from __future__ import annotations

import click

from coachkit.cli_common import database_option, find_one_client, open_store
from coachkit.i18n import DEFAULT, LANGUAGES, served
from coachkit.setting_checks import SettingRefused, checked
from coachkit.settings import IN_EACH_LANGUAGE, Setting, language_key

SPOKEN = ", ".join(f"{code} ({language.english})" for code, language in LANGUAGES.items())


def _language(_ctx: click.Context, _param: click.Parameter, code: str | None) -> str | None:
    if code is None:
        return None
    found = served(code)
    if found is None or found != code.strip().lower():
        raise click.BadParameter(f"use one of {SPOKEN}")
    return found


LANGUAGE_HELP = (
    f"Show or set the language NAME_OR_CODE's pages are in ({SPOKEN}); --none removes yours. A "
    "language the client picks on their page wins over yours; with neither, their browser's is used."
)


@click.command("language", help=LANGUAGE_HELP)
@click.argument("name_or_code")
@click.argument("language", required=False, callback=_language)
@click.option("--none", "clear", is_flag=True, help="Remove your setting (the client's browser decides).")
@database_option
def client_language(name_or_code: str, language: str | None, clear: bool, database: str | None) -> None:
    """A client's languages: the coach's setting, shown or changed (``LANGUAGE_HELP``)."""
    store = open_store(database)
    found = find_one_client(store, name_or_code)
    if language is not None or clear:
        store.set_client_language(found.id, None if clear else language)
    kept = store.get_languages(found.id)
    shown = {code: LANGUAGES[code].english for code in LANGUAGES}
    click.echo(f"{found.name}: set by you: {shown.get(kept.coach or '', 'none')}")
    click.echo(f"  chosen on their page: {shown.get(kept.chosen or '', 'none')}")
    click.echo(f"  their browser's, last seen: {shown.get(kept.browser or '', 'none')}")


language_option = click.option(
    "--language",
    callback=_language,
    help=f"Set the text clients reading this language see ({SPOKEN}); default: English, whose "
    "text the others follow with the default in their own language.",
)


def set_in_language(store, setting: Setting, text: str, language: str | None) -> None:  # type: ignore[no-untyped-def]
    """Check and keep ``text`` as ``setting`` for clients reading ``language`` (None: English)."""
    if language not in (None, DEFAULT) and setting not in IN_EACH_LANGUAGE:
        raise click.BadParameter("this setting is the same in every language", param_hint="--language")
    try:
        value = checked(setting, text)
    except SettingRefused as refused:
        raise click.BadParameter(str(refused), param_hint="TEXT") from None
    store.set_setting(language_key(setting, language or DEFAULT), value)


def shown_in_languages(store, setting: Setting) -> list[str]:  # type: ignore[no-untyped-def]
    """The lines ``settings show`` adds for ``setting``'s own text in each other language."""
    lines = []
    for code, language in LANGUAGES.items():
        own = store.get_setting(language_key(setting, code)) if code != DEFAULT else None
        if own:
            lines.append(f"{setting.name} --language {code} ({language.english}): {own}")
    return lines
