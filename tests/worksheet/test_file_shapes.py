"""A part of a worksheet or library file in the wrong shape is a problem with its line, never an exception.

Every kind of place of the built-in files (each list item and each option alike) gets, in turn, a value
of each other shape; reading the result must raise ``WorksheetFileError`` naming what the format's
schema says, or succeed. This is what the server's kernels and the dashboard rely on for a file changed
after the server checked it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from coachkit.exercises.files import BUILT_IN, LIBRARIES, read_libraries
from coachkit.worksheet.loader import WorksheetFileError, load_worksheet, read_library

SHAPES = [None, "many", 7, ["r"], {"k": "v"}]
Place = tuple[Any, ...]


def places(node: object, place: Place = ()) -> Iterator[Place]:
    """Every key and item below ``node``, as the path to it."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        yield (*place, key)
        yield from places(child, (*place, key))


@cache
def parsed(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


NAMED = {"options", "checks", "values", "fields", "cards", "flags"}
"""Sets of `name: ...` lines: an option's, value's or card's name is any name."""


def kind_of(place: Place) -> Place:
    """The place with list items and names made alike (``steps › * › fields › * › options › *``)."""
    return tuple(
        "*" if isinstance(step, int) or (index and place[index - 1] in NAMED) else step
        for index, step in enumerate(place)
    )


def cases(paths: list[Path]) -> list[tuple[Path, Place]]:
    """Each place once per kind of place (``steps › * › fields › * › label`` in one file only)."""
    seen, found = set(), []
    for path in paths:
        for place in places(parsed(path)):
            if kind_of(place) not in seen:
                seen.add(kind_of(place))
                found.append((path, place))
    return found


def changed(path: Path, place: Place, value: object) -> str:
    document = copy.deepcopy(parsed(path))
    node = document
    for step in place[:-1]:
        node = node[step]
    node[place[-1]] = value
    return yaml.dump(document, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)


def read_or_problems(text: str, path: str, libraries: dict) -> None:
    try:
        load_worksheet(text, path, libraries)
    except WorksheetFileError as error:
        assert error.problems
        assert not any("a shape the format does not allow" in problem.message for problem in error.problems)


WORKSHEETS = sorted(BUILT_IN.glob("*.yaml"))


def named(item: object) -> str:
    return item.stem if isinstance(item, Path) else "›".join(map(str, item))


@pytest.mark.parametrize(("path", "place"), cases(WORKSHEETS), ids=named)
def test_a_worksheet_part_of_any_shape_reads_or_is_a_problem(path, place):
    libraries = read_libraries()
    for value in SHAPES:
        read_or_problems(changed(path, place, value), str(path), libraries)


def user_of(library: Path) -> Path:
    return next(path for path in WORKSHEETS if parsed(library)["library"] in parsed(path).get("uses", []))


@pytest.mark.parametrize(
    ("path", "place"),
    cases(sorted(LIBRARIES.glob("*.yaml"))),
    ids=named,
)
def test_a_library_part_of_any_shape_reads_or_is_a_problem_of_the_worksheets_using_it(path, place):
    worksheet = user_of(path)
    for value in SHAPES:
        try:
            library = read_library(changed(path, place, value), str(path))
        except WorksheetFileError:
            continue
        libraries = {**read_libraries(), library.name: library}
        read_or_problems(worksheet.read_text(encoding="utf-8"), str(worksheet), libraries)
