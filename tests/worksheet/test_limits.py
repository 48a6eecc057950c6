"""A worksheet file is untrusted input: held to the limits while it is parsed, before anything is built."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from coachkit.exercises.files import BUILT_IN, LIBRARIES
from coachkit.worksheet import limits
from coachkit.worksheet.loader import WorksheetFileError, read_document, read_source
from coachkit.worksheet.yaml_source import YamlError, read_yaml

HEAD = "id: hostile\nversion: 1\ntitle: Hostile\n"


def laughs(levels: int = 9, each: int = 9) -> str:
    """The "billion laughs": each level an anchor repeating the one before ``each`` times."""
    lines = ['l0: &l0 "lol"']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * each)}]")
    return HEAD + "\n".join(lines) + f"\nsteps:\n  - id: one\n    fields:\n      - label: *l{levels}\n"


def refusal(text: str) -> YamlError:
    with pytest.raises(YamlError) as raised:
        read_yaml(text)
    return raised.value


def test_the_billion_laughs_is_refused_at_the_alias_past_the_limit_having_built_nothing():
    tracemalloc.start()
    try:
        error = refusal(laughs())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "would hold more than 50,000 values" in str(error)
    assert error.line == 9  # l5: the first level past 50,000 values (9**5 = 59,049)
    assert peak < 5 * 2**20


def test_an_alias_under_any_key_counts_where_it_is_used():
    text = laughs(levels=4, each=9) + "again: [" + ", ".join(["*l4"] * 9) + "]\n"
    assert "would hold more than 50,000 values" in str(refusal(text))


@pytest.mark.parametrize("levels", [21, 250, 999])
def test_deep_nesting_is_refused_with_its_line_not_a_recursion_error(levels):
    flow = HEAD + "steps: " + "[" * levels + "]" * levels + "\n"
    error = refusal(flow)
    assert error.line == 4 and f"more than {limits.MAX_DEPTH} levels deep" in str(error)
    shallower = min(levels, 250)  # 999 levels of indentation would be larger than the size limit
    block = HEAD + "x:\n" + "".join("  " * (depth + 1) + f"k{depth}:\n" for depth in range(shallower))
    error = refusal(block + "  " * (shallower + 1) + "end\n")
    assert error.line == 4 + limits.MAX_DEPTH and "levels deep" in str(error)  # the document is level 1


def test_a_list_past_the_limit_is_refused_at_its_first_extra_item():
    items = "".join(f"  - item{number}\n" for number in range(limits.MAX_ITEMS + 5))
    error = refusal(HEAD + "uses:\n" + items)
    assert error.line == 5 + limits.MAX_ITEMS and f"past {limits.MAX_ITEMS} items" in str(error)
    keys = "".join(f"  k{number}: v\n" for number in range(limits.MAX_ITEMS + 1))
    assert f"past {limits.MAX_ITEMS} items" in str(refusal(HEAD + "values:\n" + keys))


def test_many_small_aliases_are_refused_past_their_count():
    uses = ", ".join(["*a"] * (limits.MAX_ALIASES + 1))
    error = refusal(HEAD + f"anchor: &a safety\nuses: [{uses}]\n")
    assert f"more than {limits.MAX_ALIASES} aliases" in str(error)


def test_a_few_aliases_still_read_as_the_values_they_name():
    document = read_yaml(HEAD + "shared: &words [calm, kind]\nuses: *words\nagain: *words\n")
    assert document["uses"] == ["calm", "kind"] and document["again"] is document["uses"]


def test_a_file_past_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    text = HEAD + "intro: " + "x" * limits.MAX_FILE_BYTES + "\n"
    assert "larger than 256 KB" in str(refusal(text))
    path = tmp_path / "large.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(WorksheetFileError) as raised:
        read_source(path)
    assert time.perf_counter() - started < 5
    assert "larger than 256 KB" in str(raised.value) and str(path) in str(raised.value)


def test_an_unreadable_file_or_one_not_in_utf8_is_a_problem_that_names_it(tmp_path):
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"id: \xff\xfe\x00\x01")
    with pytest.raises(WorksheetFileError, match=r"binary\.yaml: it is not UTF-8 text"):
        read_source(binary)
    with pytest.raises(WorksheetFileError, match=r"missing\.yaml: it cannot be read \(No such file"):
        read_source(tmp_path / "missing.yaml")
    with pytest.raises(WorksheetFileError, match=r"it cannot be read \(Is a directory\)"):
        read_source(tmp_path)


def test_problems_from_the_limits_name_the_file_and_line():
    with pytest.raises(WorksheetFileError) as raised:
        read_document(HEAD + "steps: " + "[" * 30 + "]" * 30, "deep.yaml")
    [problem] = raised.value.problems
    assert (problem.path, problem.line) == ("deep.yaml", 4)
    assert str(problem).startswith("deep.yaml:4: it nests lists")


@pytest.mark.parametrize(
    "path", sorted(BUILT_IN.glob("*.yaml")) + sorted(LIBRARIES.glob("*.yaml")), ids=lambda path: path.name
)
def test_every_built_in_file_is_far_inside_the_limits(path):
    text = read_source(path)
    assert len(text.encode("utf-8")) * 10 < limits.MAX_FILE_BYTES
    read_yaml(text)
