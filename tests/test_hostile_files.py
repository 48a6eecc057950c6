"""Hostile worksheet files (``tests/hostile_files.py``) through the ``coachkit`` command, as a coach runs it.

``worksheet check``, ``worksheet preview``, ``serve`` and ``dashboard`` each run in a child process held
to ``MEMORY`` of address space and ``CPU_SECONDS`` of CPU (``resource`` limits set in the child before it
starts): each must name every hostile file with its message and line, and never print a traceback. The
servers must refuse to start: they are given a port that is already taken, so one that started anyway
would fail differently, never hang.
"""

from __future__ import annotations

import os
import re
import resource
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile_files import CORPUS, Hostile, sheet

MEMORY = 768 * 2**20
"""Address space for one command: about twice what it needs; the billion laughs alone once took GBs."""
CPU_SECONDS = 60
WALL_SECONDS = 180
COACHKIT = Path(sys.executable).with_name("coachkit")


def limited() -> None:  # runs in the child, before the command starts
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def coachkit(*args: str, folder: Path, cwd: Path) -> tuple[int, str]:
    """Run the ``coachkit`` command under the limits, with ``folder`` as the practice's worksheets."""
    env = {**os.environ, "COACHKIT_WORKSHEETS": str(folder), "PYTHONFAULTHANDLER": ""}
    done = subprocess.run(
        [str(COACHKIT), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=WALL_SECONDS,
        preexec_fn=limited,
    )
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "Error:" in output, output[-3000:]
    assert "MemoryError" not in output and "RecursionError" not in output
    return done.returncode, output


def write(folder: Path, hostile: Hostile) -> Path:
    path = folder / f"{hostile.name}.yaml"
    path.write_bytes(hostile.text if isinstance(hostile.text, bytes) else hostile.text.encode("utf-8"))
    return path


def assert_named(output: str, folder: Path, corpus: list[Hostile]) -> None:
    for hostile in corpus:
        where = re.escape(str(folder / f"{hostile.name}.yaml")) + ":?"
        assert re.search(where + hostile.message, output), f"{hostile.name}:\n{output[-3000:]}"


@pytest.fixture
def own(tmp_path) -> Path:
    folder = tmp_path / "worksheets"
    folder.mkdir()
    return folder


@pytest.fixture
def taken_port() -> Iterator[str]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield str(taken.getsockname()[1])


def test_check_names_every_hostile_file_with_its_message_and_line(tmp_path, own):
    paths = [write(own, hostile) for hostile in CORPUS]
    (own / "sound.yaml").write_text(sheet("sound"), encoding="utf-8")
    code, output = coachkit(
        "worksheet", "check", *map(str, paths), str(own / "sound.yaml"), folder=own, cwd=tmp_path
    )
    assert code == 1
    assert_named(output, own, CORPUS)
    assert f"{own / 'sound.yaml'}: fine ('hostile-sound' version 1" in output
    assert f"{len(CORPUS)} of {len(CORPUS) + 1} file(s) need changes" in output


ONE_OF_EACH_KIND = [
    "billion-laughs",
    "nested-999",
    "not-utf8",
    "squarings",
    "format",
    "nested-repeat",
    "checks-list",
]
"""``preview`` checks with ``check``'s own code, which sees every file above: here, one of each kind of
attack (a YAML limit, reading, an expression when read and when run, a pattern, a shape)."""


@pytest.mark.parametrize(
    "hostile",
    [hostile for hostile in CORPUS if hostile.name in ONE_OF_EACH_KIND],
    ids=lambda hostile: hostile.name,
)
def test_preview_refuses_to_start_on_a_hostile_file_and_says_why(tmp_path, hostile, taken_port):
    folder = tmp_path / "mine"
    folder.mkdir()
    path = write(folder, hostile)
    code, output = coachkit(
        "worksheet",
        "preview",
        str(path),
        "--no-browser",
        "--port",
        taken_port,
        folder=tmp_path / "own",
        cwd=tmp_path,
    )
    assert code == 1 and "Fix the file first (see above), then preview it." in output
    assert_named(output, folder, [hostile])
    assert "Preview of" not in output


@pytest.mark.parametrize("command", ["serve", "dashboard"])
def test_the_servers_refuse_to_start_and_name_every_hostile_file(tmp_path, own, command, taken_port):
    for hostile in CORPUS:
        write(own, hostile)
    store = f"sqlite:///{tmp_path}/store.sqlite"
    code, output = coachkit(command, "--database", store, "--port", taken_port, folder=own, cwd=tmp_path)
    assert code == 1 and "Some worksheet files need changes before serving:" in output
    assert_named(output, own, CORPUS)


def test_a_broken_library_names_itself_and_hides_no_other_file(tmp_path, own, taken_port):
    (own / "library").mkdir()
    laughs = next(hostile for hostile in CORPUS if hostile.name == "billion-laughs")
    (own / "library" / "shared.yaml").write_text("library: shared\n" + laughs.text, encoding="utf-8")
    (own / "sound.yaml").write_text(sheet("sound"), encoding="utf-8")
    code, output = coachkit("worksheet", "check", str(own / "sound.yaml"), folder=own, cwd=tmp_path)
    assert code == 1
    assert f"{own / 'sound.yaml'}: fine ('hostile-sound' version 1" in output
    assert re.search(re.escape(str(own / "library" / "shared.yaml")) + r":7: with its aliases", output)
    code, output = coachkit("worksheets", folder=own, cwd=tmp_path)
    assert code == 1 and "library/shared.yaml:7: with its aliases" in output
    store = f"sqlite:///{tmp_path}/store.sqlite"
    code, output = coachkit("serve", "--database", store, "--port", taken_port, folder=own, cwd=tmp_path)
    assert code == 1 and "library/shared.yaml:7: with its aliases" in output
