"""``coachkit worksheet``: check, scaffold and preview worksheet files, for coaches who write their own."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from string import Template

import click

from coachkit.exercises.checking import check_files
from coachkit.exercises.files import BUILT_IN, own_folder
from coachkit.worksheet.schema import SCHEMA_PATH

STARTER = BUILT_IN / "starter.yaml.tmpl"
SHEET_ID = re.compile(r"[a-z][a-z0-9-]*")


@click.group()
def worksheet() -> None:
    """Write your own worksheets as files: check them, start one, preview it."""


@worksheet.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Check worksheet (and library) FILES: the format, expressions, questions they name, links."""
    results = check_files(files)
    for result in results:
        if result.ok:
            click.echo(result.summary())
        for problem in result.problems:
            click.echo(str(problem), err=True)
    broken = sum(not result.ok for result in results)
    if broken:
        raise click.ClickException(f"{broken} of {len(results)} file(s) need changes (see above).")


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
    help="Where to write it (default: your worksheet folder, $COACHKIT_WORKSHEETS or ./worksheets).",
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
    if target.exists():
        raise click.ClickException(f"{target} already exists; pick another ID or edit that file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(starter_text(worksheet_id, title.strip(), target), encoding="utf-8")
    [result] = check_files([target])
    for problem in result.problems:
        click.echo(str(problem), err=True)
    click.echo(f"Wrote {target}. Edit it, then: coachkit worksheet check {target}")
