"""``coachkit worksheet``: check, scaffold and preview worksheet files, for coaches who write their own."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from string import Template

import click

from coachkit import config
from coachkit.cli_common import database_option
from coachkit.exercises import all_worksheets, versions
from coachkit.exercises.checking import Checked, check_all, check_files
from coachkit.exercises.files import BUILT_IN, WORKSHEETS_ENV, own_folder, this_account, whose
from coachkit.exercises.translations import languages_of, translation_path, write_translation
from coachkit.links import new_link
from coachkit.private import private_folder, write_private_file
from coachkit.settings import SETTINGS
from coachkit.store import DefinitionChanged, Store, StoreUnavailable
from coachkit.worksheet.loader import WorksheetFileError
from coachkit.worksheet.schema import SCHEMA_PATH

STARTER = BUILT_IN / "starter.yaml.tmpl"
SHEET_ID = re.compile(r"[a-z][a-z0-9-]*")


class PlainWorksheetErrors(click.Group):
    """A command group in which a broken worksheet file is a plain message listing its problems."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except WorksheetFileError as error:
            refuse_broken([Checked(Path(), error.problems)], "going on")
            raise


@click.group()
def worksheet() -> None:
    """Write your own worksheets as files: check them, start one, preview it, translate it."""


@worksheet.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Check worksheet (and library) FILES: the format, expressions, questions they name, links, and
    their translations (words missing, extra or stale in each NAME.LANG.po beside them)."""
    results = check_files(files)
    for result in results:
        if result.ok:
            click.echo(result.summary())
        for problem in [*result.problems, *result.notes, *result.translations]:
            click.echo(str(problem), err=True)
    broken = sum(not result.ok for result in results)
    untranslated = sum(bool(result.translations) for result in results)
    if broken or untranslated:
        said = [f"{broken} of {len(results)} file(s) need changes"] if broken else []
        said += [f"{untranslated} file(s) have translations to bring up to date"] if untranslated else []
        raise click.ClickException(f"{'; '.join(said)} (see above).")


@worksheet.command("translate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--language", "language", required=True, help="The language to translate it into, e.g. es.")
def translate(file: Path, language: str) -> None:
    """Start, or bring up to date, FILE's translation into a language: NAME.LANG.po beside it, one entry
    per piece of words; changed words keep their old translation marked fuzzy, to check. Then fill in
    each msgstr (any text editor, or Poedit) and run `coachkit worksheet check FILE`."""
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", language):
        raise click.BadParameter("a language tag, such as es or ar", param_hint="--language")
    [result] = check_files([file])
    if not result.ok:
        refuse_broken([result], "translating it")
    sheet = result.worksheet
    target, entries, todo = write_translation(file, language, sheet.version if sheet else None)
    click.echo(f"Wrote {target}: {entries} entries, {todo} to translate or check.")
    click.echo(f"Fill in each msgstr, then: coachkit worksheet check {file}")


def starter_text(worksheet_id: str, title: str, target: Path) -> str:
    """The starter worksheet for ``target``, naming the schema relative to it for the coach's editor."""
    schema = os.path.relpath(SCHEMA_PATH, target.parent.resolve())
    shown = os.path.relpath(target) if not target.is_absolute() or Path.cwd() in target.parents else target
    values = {
        "id": worksheet_id,
        "title": title,
        "title_yaml": json.dumps(title, ensure_ascii=False),  # JSON's quoting is YAML's too
        "measure_title": json.dumps(f"{title}: good moments, of 2", ensure_ascii=False),
        "schema": schema,
        "file": shown,
    }
    return Template(STARTER.read_text(encoding="utf-8")).substitute(values)


@worksheet.command("new")
@click.argument("worksheet_id", metavar="ID")
@click.option("--title", required=True, help="The title clients see.")
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write it (default: your own worksheets folder, $COACHKIT_WORKSHEETS; `coachkit paths`).",
)
def new(worksheet_id: str, title: str, folder: Path | None) -> None:
    """Start a worksheet ID (lower-case letters, digits and -) from a starter that passes check."""
    if not SHEET_ID.fullmatch(worksheet_id):
        raise click.BadParameter(
            "use lower-case letters, digits and -, starting with a letter", param_hint="ID"
        )
    if "\n" in title or not title.strip():
        raise click.BadParameter("a title is one line of words", param_hint="--title")
    target = (folder or own_folder()) / f"{worksheet_id}.yaml"
    try:
        if target.exists():
            raise click.ClickException(f"{target} already exists; pick another ID or edit that file.")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as file:
            file.write(starter_text(worksheet_id, title.strip(), target))
    except OSError as error:
        raise click.ClickException(cannot_write(target.parent, error)) from None
    [result] = check_files([target])
    for problem in result.problems:
        click.echo(str(problem), err=True)
    click.echo(f"Wrote {target}. Edit it, then: coachkit worksheet check {target}")


def cannot_write(folder: Path, error: OSError) -> str:
    """Why a worksheet cannot be written in ``folder``, in plain words, with the ways out."""
    reason = error.strerror or type(error).__name__
    return (
        f"cannot write in {folder} ({reason}){whose(folder)}. Write it elsewhere with --folder, or "
        f"`sudo chown -R {this_account()} {folder}` gives the folder back."
    )


def refuse_broken(results: list[Checked], doing: str) -> None:
    """Stop with every problem of every broken file, in plain words (``doing``: "serving", say); say the
    notes (and what translations lack: those words are shown as written), and go on, when there is no
    problem."""
    for note in (note for result in results for note in [*result.notes, *result.translations]):
        click.echo(str(note), err=True)
    problems = [str(problem) for result in results for problem in result.problems]
    if problems:
        listed = "\n".join(problems)
        raise click.ClickException(
            f"Some worksheet files need changes before {doing}:\n{listed}\n"
            "(`coachkit worksheet check FILE` checks a file again.)"
        )


def ready_worksheets(store: Store) -> None:
    """Before serving: every worksheet file passes ``check``, and each version's words are kept with the
    answers.

    A broken file, or one changed without raising its version, stops the server with plain words.
    """
    refuse_broken(check_all(), "serving")
    try:
        sheets = all_worksheets()
    except WorksheetFileError as error:  # changed since it was checked, a moment ago
        refuse_broken([Checked(Path(), error.problems)], "serving")
        return
    for sheet in sheets.values():
        try:
            versions.record(store, sheet)
        except DefinitionChanged as error:
            raise click.ClickException(f"{error}, then start again.") from None
        except StoreUnavailable as error:  # the pages say so to each client; nothing else to refuse
            click.echo(f"Warning: the store cannot keep the worksheets' words now ({error}).", err=True)
            return


PREVIEW_SKIPS = ("alert_email", "smtp_host")
"""Settings a preview never takes from the coach: it sends no alert."""


def _copy_settings(database: str | None, preview: Store) -> None:
    """The coach's settings into the preview's store (from an existing store only: none is made)."""
    url = config.database_url(database)
    found = config.store_file(url)
    if found is not None and not found.exists():
        return
    try:
        own = Store(url)
    except Exception:  # no store yet, or out of reach: the defaults will do for a preview
        return
    try:
        for setting in SETTINGS.values():
            value = own.get_setting(setting.key)
            if value is not None and setting.key not in PREVIEW_SKIPS:
                preview.set_setting(setting.key, value)
    finally:
        own.close()


@contextmanager
def sound_worksheets(store: Store, log_folder: Path) -> Iterator[None]:
    """For ``serve --leave-out-broken``: serve a copy of the coach's files that pass (see
    ``exercises.sound``) until the block ends, and say what was left out, on the error output and in
    ``LEFT_OUT_FILE`` in ``log_folder`` (for ``coachkit practice restart-my-server`` to read back)."""
    from coachkit.exercises.sound import LEFT_OUT_FILE, notice, serve_sound

    with tempfile.TemporaryDirectory(prefix="coachkit-served-") as folder:
        try:
            said = notice(serve_sound(Path(folder), store))
        except WorksheetFileError as error:  # a built-in file: a broken installation
            refuse_broken([Checked(Path(), error.problems)], "serving")
            raise
        except StoreUnavailable as error:  # the pages say so to each client; nothing else to refuse
            said = ""
            click.echo(f"Warning: the store cannot keep the worksheets' words now ({error}).", err=True)
        record = private_folder(log_folder) / LEFT_OUT_FILE
        if said:
            click.echo(said, err=True)
            write_private_file(record, said.encode())
        else:
            record.unlink(missing_ok=True)
        yield


@worksheet.command("preview")
@database_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--port", default=8869, show_default=True, help="Port to listen on (this computer only).")
@click.option("--no-browser", is_flag=True, help="Print the link without opening a browser.")
def preview(file: Path, port: int, no_browser: bool, database: str | None) -> None:
    """Try FILE as a client would: a server of its own, a practice client, a store thrown away after.

    Nothing reaches your clients' store. Stop it with Ctrl-C.
    """
    from coachkit import serve as serving

    libraries = sorted((file.parent / "library").glob("*.yaml"))
    results = check_files([file, *libraries])  # what the preview will serve: the file and its libraries
    for problem in (problem for result in results for problem in [*result.problems, *result.notes]):
        click.echo(str(problem), err=True)
    if not all(result.ok for result in results) or results[0].worksheet is None:
        raise click.ClickException("Fix the file first (see above), then preview it.")
    sheet = results[0].worksheet
    with tempfile.TemporaryDirectory(prefix="coachkit-preview-") as folder:
        own = Path(folder) / "worksheets"
        own.mkdir()
        shutil.copy(file, own / file.name)
        for language in languages_of(file):  # its translations: a browser in that language reads them
            shutil.copy(translation_path(file, language), own)
        if (file.parent / "library").is_dir():
            shutil.copytree(file.parent / "library", own / "library")
        os.environ[WORKSHEETS_ENV] = str(own)  # read by this server and the kernels it starts
        url = f"sqlite:///{Path(folder) / 'preview.sqlite'}"
        store = Store(url)
        _copy_settings(database, store)  # the coach's help texts and page title, so it reads as theirs
        client = store.add_client("Preview")
        link = new_link(store, client, sheet.id, f"http://127.0.0.1:{port}")
        store.close()
        click.echo(f"Preview of {file} (a practice client; nothing is kept): {link}")
        click.echo("Stop it with Ctrl-C.")
        if not no_browser:
            threading.Timer(2.0, webbrowser.open, args=(link,)).start()
        options = serving.ServeOptions(
            root=config.workbooks_dir(),
            port=port,
            ready_kernels=0,
            log_dir=Path(folder) / "logs",
            mail_every_seconds=0,
        )
        serving.serve(options, url)
