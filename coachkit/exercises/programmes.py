"""Programme files: an ordered set of worksheets with offsets, assigned to a client in one go.

A programme is a YAML file in a ``programmes/`` folder beside the worksheets (the built-in ones here, a
practice's own in its worksheets folder), read as untrusted input like a worksheet (``limits.py``) and
checked by ``coachkit worksheet check``. Each item names a worksheet and when it starts: so many days
after the programme starts, or after another item is due (``after``). It may be due some days after it
starts, or repeat (``every_days``, ``times``). Example::

    programme: after-a-fight
    title: After a fight, four weeks
    items:
      - worksheet: fight-or-make-it-right
        due_in_days: 2
      - worksheet: my-anger-plan
        after: fight-or-make-it-right
        start_in_days: 1
        due_in_days: 3
      - worksheet: anger-plan-practice
        after: my-anger-plan
        every_days: 7
        times: 4
        note: After each argument, and at least once a week.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coachkit import config
from coachkit.exercises.files import readable_folder
from coachkit.homework.schedule import MAX_EVERY_DAYS, MAX_TIMES
from coachkit.store.assignments import MAX_NOTE
from coachkit.worksheet.loader import Problem, WorksheetFileError, read_document, read_source
from coachkit.worksheet.yaml_source import Mapping as Located

BUILT_IN = Path(__file__).parent / "programmes"
FOLDER = "programmes"
ID = re.compile(r"[a-z][a-z0-9-]{0,99}")
MAX_ITEMS = 50
MAX_DAYS = 365
ITEM_KEYS = {"id", "worksheet", "after", "start_in_days", "due_in_days", "every_days", "times", "note"}
TOP_KEYS = {"programme", "title", "description", "items"}


@dataclass(frozen=True)
class Item:
    id: str
    worksheet: str
    after: str | None = None
    start_in_days: int = 0
    due_in_days: int | None = None
    every_days: int | None = None
    times: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Programme:
    id: str
    title: str
    items: tuple[Item, ...]
    description: str = ""
    path: str = ""

    def schedule(self, start: dt.date) -> list[dict[str, Any]]:
        """Each item's assignment (for ``Store.add_assignments``) when the programme starts on ``start``,
        in the file's order."""
        starts: dict[str, dt.date] = {}
        ends: dict[str, dt.date] = {}
        for item in in_order(self.items):
            base = ends[item.after] if item.after else start
            begins = base + dt.timedelta(days=item.start_in_days)
            starts[item.id] = begins
            if item.every_days:
                ends[item.id] = begins + dt.timedelta(days=item.every_days * (item.times or 1) - 1)
            elif item.due_in_days is not None:
                ends[item.id] = begins + dt.timedelta(days=item.due_in_days)
            else:
                ends[item.id] = begins
        return [
            {
                "worksheet_id": item.worksheet,
                "starts_on": starts[item.id],
                "due_on": ends[item.id] if item.due_in_days is not None else None,
                "every_days": item.every_days,
                "times": item.times,
                "note": item.note,
                "programme_id": self.id,
            }
            for item in self.items
        ]


def in_order(items: Iterable[Item]) -> list[Item]:
    """Items so that each comes after the one it starts ``after`` (the file is checked for cycles)."""
    pending, placed, ordered = list(items), set(), []
    while pending:
        ready = [item for item in pending if item.after is None or item.after in placed]
        if not ready:
            raise ValueError("the items' `after` make a cycle")
        for item in ready:
            ordered.append(item)
            placed.add(item.id)
            pending.remove(item)
    return ordered


def programme_folders(problems: list[Problem] | None = None) -> list[Path]:
    """The built-in programmes, then the practice's own; an own folder that cannot be opened is added to
    ``problems`` (``files.readable_folder``)."""
    own = config.own_worksheets_dir()
    if not readable_folder(own, problems):
        return [BUILT_IN]
    return [BUILT_IN, *([own / FOLDER] if readable_folder(own / FOLDER, problems) else [])]


def programme_paths(problems: list[Problem] | None = None) -> list[Path]:
    """Every programme file, built-in then the practice's own, each sorted by name."""
    return [path for folder in programme_folders(problems) for path in sorted(folder.glob("*.yaml"))]


def is_programme_path(path: Path) -> bool:
    return path.parent.name == FOLDER


def read_programmes(worksheet_ids: Iterable[str]) -> dict[str, Programme]:
    """Every programme by id; ``WorksheetFileError`` lists the problems of every broken file."""
    known, found, problems = set(worksheet_ids), {}, []
    for path in programme_paths():
        try:
            programme = load_programme(path, known)
        except WorksheetFileError as error:
            problems += error.problems
            continue
        if programme.id in found:
            problems.append(Problem(str(path), 1, "programme", f"another file has the id {programme.id!r}"))
        found[programme.id] = programme
    if problems:
        raise WorksheetFileError(problems)
    return found


def load_programme(path: Path, worksheet_ids: Iterable[str]) -> Programme:
    """A programme file, checked: its shape, its worksheets, its ``after`` references (no cycle)."""
    return read_programme(read_source(path), str(path), set(worksheet_ids))


def read_programme(text: str, path: str, worksheet_ids: set[str]) -> Programme:
    document = read_document(text, path)
    reader = _Reader(path, worksheet_ids)
    programme = reader.programme(document)
    if reader.problems or programme is None:
        raise WorksheetFileError(reader.problems or [Problem(path, 1, "", "not a programme")])
    return programme


@dataclass
class _Reader:
    path: str
    worksheet_ids: set[str]

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, line: int, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, where, message))

    def programme(self, document: Located) -> Programme | None:
        for key in document:
            if key not in TOP_KEYS:
                self.problem(
                    document.line_of(str(key)), str(key), f"unknown key; a programme has {_keys(TOP_KEYS)}"
                )
        programme_id = document.get("programme")
        if not isinstance(programme_id, str) or not ID.fullmatch(programme_id):
            self.problem(
                1, "programme", "a programme file starts with `programme: ID` (lower-case letters, digits, -)"
            )
            programme_id = ""
        title = document.get("title")
        if not isinstance(title, str) or not title.strip() or "\n" in title.strip():
            self.problem(document.line_of("title"), "title", "`title:` is one line of words")
            title = ""
        raw = document.get("items")
        if not isinstance(raw, list) or not raw:
            self.problem(
                document.line_of("items"), "items", "`items:` is a list of worksheets (lines starting with -)"
            )
            return None
        if len(raw) > MAX_ITEMS:
            self.problem(document.line_of("items"), "items", f"at most {MAX_ITEMS} items")
            return None
        items = [item for item in (self.item(entry, number) for number, entry in enumerate(raw, 1)) if item]
        self.references(items, document.line_of("items"))
        description = document.get("description")
        return Programme(
            programme_id,
            str(title).strip(),
            tuple(items),
            description if isinstance(description, str) else "",
            self.path,
        )

    def item(self, entry: Any, number: int) -> Item | None:
        if not isinstance(entry, Located):
            self.problem(0, f"item {number}", "each item is a set of `key: value` lines (worksheet: ID …)")
            return None
        where = f"item {number}"
        for key in entry:
            if key not in ITEM_KEYS:
                self.problem(
                    entry.line_of(str(key)), where, f"unknown key {key!r}; an item has {_keys(ITEM_KEYS)}"
                )
        sheet = entry.get("worksheet")
        if not isinstance(sheet, str) or sheet not in self.worksheet_ids:
            known = ", ".join(sorted(self.worksheet_ids))
            self.problem(entry.line_of("worksheet"), where, f"no worksheet {sheet!r}; known: {known}")
            return None
        item_id = entry.get("id", sheet)
        if not isinstance(item_id, str) or not ID.fullmatch(item_id):
            self.problem(entry.line_of("id"), where, "`id:` is lower-case letters, digits and -")
            return None
        after = entry.get("after")
        if after is not None and not isinstance(after, str):
            self.problem(
                entry.line_of("after"), where, "`after:` names another item (its id, or its worksheet)"
            )
            after = None
        numbers = {
            key: self.number(
                entry, key, where, 1 if key != "start_in_days" and key != "due_in_days" else 0, top
            )
            for key, top in (
                ("start_in_days", MAX_DAYS),
                ("due_in_days", MAX_DAYS),
                ("every_days", MAX_EVERY_DAYS),
                ("times", MAX_TIMES),
            )
        }
        if (numbers["every_days"] is None) != (numbers["times"] is None):
            self.problem(entry.line, where, "`every_days:` and `times:` go together (every 7 days, 4 times)")
        if numbers["every_days"] is not None and numbers["due_in_days"] is not None:
            self.problem(
                entry.line,
                where,
                "a repeating item is due at the end of each repeat: leave out `due_in_days`",
            )
        note = entry.get("note", "")
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            self.problem(entry.line_of("note"), where, f"`note:` is text of at most {MAX_NOTE} characters")
            note = ""
        return Item(
            item_id,
            sheet,
            after,
            numbers["start_in_days"] or 0,
            numbers["due_in_days"],
            numbers["every_days"],
            numbers["times"],
            note.strip(),
        )

    def number(self, entry: Located, key: str, where: str, low: int, high: int) -> int | None:
        value = entry.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(entry.line_of(key), where, f"`{key}:` is a whole number from {low} to {high}")
            return None
        return value

    def references(self, items: list[Item], line: int) -> None:
        ids = [item.id for item in items]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            self.problem(line, "items", f"two items are called {duplicate!r}: give one an `id:`")
        for item in items:
            if item.after is not None and item.after not in ids:
                self.problem(line, f"item {item.id!r}", f"`after: {item.after}`, and no item has that id")
        if self.problems:
            return
        try:
            in_order(items)
        except ValueError:
            looped = " → ".join(_cycle(items))
            self.problem(
                line, "items", f"the items wait for each other in a circle ({looped}): one must start first"
            )


def _cycle(items: list[Item]) -> list[str]:
    after = {item.id: item.after for item in items}
    for start in after:
        seen, at = [start], after[start]
        while at is not None and at not in seen:
            seen.append(at)
            at = after.get(at)
        if at == start:
            return [*seen, start]
    return []


def _keys(keys: set[str]) -> str:
    return ", ".join(f"`{key}`" for key in sorted(keys))
