"""``coachkit worksheet new`` and ``check``: a starter that passes, and plain messages for broken files."""

from __future__ import annotations

import re
import socket
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.exceptions import ClickException
from click.testing import CliRunner

from coachkit.cli import main
from coachkit.exercises.files import BUILT_IN, LIBRARIES, read_worksheet
from coachkit.worksheet.schema import SCHEMA_PATH

BUILT_IN_FILES = sorted(BUILT_IN.glob("*.yaml")) + sorted(LIBRARIES.glob("*.yaml"))
GOOD = textwrap.dedent(
    """
    id: check-in
    version: 1
    title: Weekly check-in
    uses: [safety]
    steps:
      - id: safety
        title: Before you start
        fields:
          - use: felt_unsafe
      - id: week
        title: Your week
        fields:
          - {id: calm, kind: yes_no, label: Did you stay calm?}
          - {id: mood, kind: rating, label: How was your week?, shown_if: not danger}
    feedback:
      - tone: insight
        title: Calm
        when: calm
        text: Well done.
    """
)


@pytest.fixture
def own(tmp_path, monkeypatch) -> Iterator[Path]:
    """The practice's own worksheet folder, read afresh in this test (and forgotten after it)."""
    from coachkit.exercises import all_worksheets

    folder = tmp_path / "worksheets"
    monkeypatch.setenv("COACHKIT_WORKSHEETS", str(folder))
    all_worksheets.cache_clear()
    yield folder
    all_worksheets.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def check(tmp_path: Path, text: str, name: str = "sheet.yaml") -> tuple[int, str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run("worksheet", "check", str(path))


def test_every_built_in_file_passes_check(own):
    code, output = run("worksheet", "check", *map(str, BUILT_IN_FILES))
    assert code == 0, output
    assert output.count(": fine (") == len(BUILT_IN_FILES)


@pytest.mark.parametrize("path", BUILT_IN_FILES, ids=lambda path: path.name)
def test_every_built_in_file_names_the_schema_for_the_editor(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    assert (path.parent / match.group(1)).resolve() == SCHEMA_PATH


def test_new_writes_a_starter_that_passes_check_and_loads(own):
    code, output = run("worksheet", "new", "check-in", "--title", 'Check-in: "how it went"')
    assert code == 0, output
    target = own / "check-in.yaml"
    assert f"Wrote {target}" in output
    code, output = run("worksheet", "check", str(target))
    assert code == 0, output
    assert "'check-in' version 1: 2 steps, 8 questions, 2 measures" in output
    sheet = read_worksheet(target)
    assert sheet.title == 'Check-in: "how it went"'
    assert sheet.measures[0].title == 'Check-in: "how it went": good moments, of 2'
    assert [step.id for step in sheet.steps] == ["safety", "this_week"]
    schema = re.search(r"\$schema=(\S+)", target.read_text(encoding="utf-8")).group(1)
    assert (target.parent / schema).resolve() == SCHEMA_PATH


def test_new_never_overwrites_and_wants_a_plain_id(own):
    assert run("worksheet", "new", "check-in", "--title", "One")[0] == 0
    code, output = run("worksheet", "new", "check-in", "--title", "Two")
    assert code == 1 and "already exists" in output
    assert "One" in (own / "check-in.yaml").read_text(encoding="utf-8")
    code, output = run("worksheet", "new", "Check In", "--title", "Three")
    assert code == 2 and "lower-case letters, digits and -" in output


def test_a_sound_file_is_fine(tmp_path, own):
    code, output = check(tmp_path, GOOD)
    assert code == 0, output
    assert "'check-in' version 1: 2 steps, 3 questions" in output


BROKEN = [
    (
        "not YAML",
        GOOD.replace("title: Your week", "title: [Your week"),
        r"sheet\.yaml:\d+: it is not valid YAML",
    ),
    (
        "unknown key",
        GOOD.replace("version: 1", "version: 1\ncolour: blue"),
        r":4: `colour` is not a key here",
    ),
    (
        "misspelt key",
        GOOD.replace("label: Did", "lable: Did"),
        r":14: steps › 'week' › fields › 'calm': `lable`",
    ),
    ("unknown kind", GOOD.replace("kind: yes_no", "kind: yesno"), r"'yesno' is not one of: single_choice"),
    ("no version", GOOD.replace("version: 1\n", ""), r"needs `version`"),
    (
        "unknown field",
        GOOD.replace("when: calm", "when: clam"),
        r":19: card 'Calm': `clam` names clam, which is not a question of this worksheet",
    ),
    (
        "later field",
        GOOD.replace("shown_if: not danger", "shown_if: not calm and mood > 2"),
        r"must be asked before",
    ),
    (
        "attribute",
        GOOD.replace("when: calm", "when: calm.__class__"),
        r"a dot \(attribute access\) is not allowed",
    ),
    (
        "import",
        GOOD.replace("when: calm", "when: __import__('os')"),
        r"the name '__import__' starts with an underscore",
    ),
    ("dunder", GOOD.replace("when: calm", "when: __builtins__"), r"'__builtins__' starts with an underscore"),
    ("call", GOOD.replace("when: calm", "when: open('/etc/passwd')"), r"there is no function 'open'"),
    (
        "library",
        GOOD.replace("uses: [safety]", "uses: [safty]"),
        r"no library 'safty' \(known: safety, wellbeing\)",
    ),
    (
        "placeholder",
        GOOD.replace("Well done.", "Well done, {name}."),
        r"the text names \{name\}, which is not known",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(text, expected) for _, text, expected in BROKEN], ids=[n for n, *_ in BROKEN]
)
def test_a_broken_file_gets_a_plain_message_with_its_line(tmp_path, own, text, expected):
    code, output = check(tmp_path, text)
    assert code == 1
    assert re.search(expected, output), output
    assert "1 of 1 file(s) need changes" in output
    assert "Error:" in output and "Exception" not in output and 'File "' not in output


def test_an_id_a_built_in_worksheet_has_is_refused(tmp_path, own):
    code, output = check(tmp_path, GOOD.replace("id: check-in", "id: my-anger-plan"))
    assert code == 1
    assert "another file already has the id 'my-anger-plan'" in output


def test_a_link_to_no_worksheet_is_refused(tmp_path, own):
    code, output = check(tmp_path, GOOD + "next:\n  - {label: Go on, worksheet: nowhere}\n")
    assert code == 1
    assert "link 'Go on': links to 'nowhere', and no worksheet has that id" in output


def test_a_missing_file_is_said_plainly(tmp_path, own):
    code, output = run("worksheet", "check", str(tmp_path / "nothing.yaml"))
    assert code == 1
    assert "nothing.yaml: it cannot be read (No such file or directory)" in output


def test_a_broken_file_of_ones_own_stops_no_command_that_needs_no_worksheet(tmp_path, own):
    own.mkdir()
    (own / "broken.yaml").write_text("id: [", encoding="utf-8")
    code, output = run("worksheet", "check", str(own / "broken.yaml"))
    assert code == 1 and "not valid YAML" in output


def test_serve_refuses_to_start_with_a_broken_worksheet_file_and_says_why(tmp_path, own, monkeypatch):
    own.mkdir()
    (own / "broken.yaml").write_text(GOOD.replace("kind: yes_no", "kind: yesno"), encoding="utf-8")
    with socket.socket() as taken:  # were the file let through, serve would stop at once, never hang
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        code, output = run("serve", "--database", f"sqlite:///{tmp_path}/store.sqlite", "--port", port)
    assert code == 1
    assert "Some worksheet files need changes before serving:" in output
    assert re.search(  # what `check` says: serve applies the same schema and checks
        r"broken\.yaml:14: steps › 'week' › fields › 'calm' › kind: 'yesno' is not one of: single_choice",
        output,
    )


def test_a_file_changed_without_a_new_version_stops_the_server_with_what_to_do(store, own):
    from coachkit.cli_worksheet import ready_worksheets
    from coachkit.exercises import all_worksheets, versions

    sheet = all_worksheets()["my-anger-plan"]
    store.record_definition(sheet.id, sheet.version, versions.definition_text(sheet) + "# an older wording")
    with pytest.raises(
        ClickException,
        match=rf"'my-anger-plan' has changed since version {sheet.version} was first used; "
        rf"raise its `version` to {sheet.version + 1}",
    ):
        ready_worksheets(store)


def test_serving_keeps_every_worksheet_versions_words(store):
    from coachkit.cli_worksheet import ready_worksheets
    from coachkit.exercises import all_worksheets

    ready_worksheets(store)
    ready_worksheets(store)  # again, as at every start: nothing changed, nothing refused
    for sheet in all_worksheets().values():
        assert store.find_definition(sheet.id, sheet.version)
