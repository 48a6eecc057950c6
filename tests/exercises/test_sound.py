"""A coach's own worksheet folder with broken parts: what a practice's client server serves and says,
and what every command says of a folder its account cannot open."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from coachkit import config
from coachkit.exercises import all_worksheets, worksheets_in
from coachkit.exercises.sound import notice, serve_sound
from coachkit.exercises.translations import translation_path, write_translation
from coachkit.store import Store
from tests.hub.running import PRACTICE_BIN
from tests.test_worksheet_cli import GOOD

LINKING = GOOD.replace("id: check-in", "id: follow-up").replace("Weekly check-in", "Follow-up")
LINKING += "next:\n  - {label: Go on, worksheet: check-in}\n"


@pytest.fixture
def own(tmp_path, monkeypatch) -> Iterator[Path]:
    """The coach's own folder (read afresh); ``$COACHKIT_WORKSHEETS`` is put back after the test."""
    folder = tmp_path / "worksheets"
    folder.mkdir()
    monkeypatch.setenv(config.WORKSHEETS_ENV, str(folder))
    all_worksheets.cache_clear()
    yield folder
    all_worksheets.cache_clear()


def test_sound_files_are_served_and_broken_ones_left_out_with_their_reasons(own, tmp_path, store):
    (own / "check-in.yaml").write_text(GOOD.replace("when: calm", "when: clam"), encoding="utf-8")
    (own / "follow-up.yaml").write_text(LINKING, encoding="utf-8")  # links to the broken one
    (own / "calm.yaml").write_text(GOOD.replace("id: check-in", "id: calm"), encoding="utf-8")
    served = tmp_path / "served"
    served.mkdir()

    left_out = serve_sound(served, store)

    assert os.environ[config.WORKSHEETS_ENV] == str(served)  # for this server and its kernels
    assert sorted(path.name for path in served.iterdir()) == ["calm.yaml"]
    assert "calm" in all_worksheets() and "check-in" not in all_worksheets()
    said = notice(left_out)
    assert f"{own / 'check-in.yaml'}:19: card 'Calm': `clam` names clam" in said
    assert (
        f"{own / 'follow-up.yaml'}: link 'Go on': links to 'check-in'" in said
    )  # its own name, not the copy's
    assert str(served) not in said
    assert store.find_definition("calm", 1) is not None  # its words kept with the answers


def test_a_file_changed_under_its_version_is_left_out(own, tmp_path, store):
    (own / "calm.yaml").write_text(GOOD.replace("id: check-in", "id: calm"), encoding="utf-8")
    first = tmp_path / "first"
    first.mkdir()
    assert serve_sound(first, store) == []
    (own / "calm.yaml").write_text(GOOD.replace("id: check-in", "id: calm").replace("Well done", "Good"))
    os.environ[config.WORKSHEETS_ENV] = str(own)  # the next start reads the coach's folder again
    again = tmp_path / "again"
    again.mkdir()

    [problem] = serve_sound(again, store)

    assert problem.path == str(own / "calm.yaml")
    assert "raise its `version` to 2, then restart your client server" in problem.message
    assert list(again.iterdir()) == []


def test_a_files_translations_are_served_with_it_and_left_out_with_it(own, tmp_path, store):
    calm = own / "calm.yaml"
    calm.write_text(GOOD.replace("id: check-in", "id: calm"), encoding="utf-8")
    spanish, _, _ = write_translation(calm, "es", 1)
    text = spanish.read_text(encoding="utf-8")
    spanish.write_text(
        text.replace(
            'msgid "Did you stay calm?"\nmsgstr ""',
            'msgid "Did you stay calm?"\nmsgstr "¿Mantuviste la calma?"',
        ),
        encoding="utf-8",
    )
    broken = own / "check-in.yaml"
    broken.write_text(GOOD.replace("when: calm", "when: clam"), encoding="utf-8")
    translation_path(broken, "es").write_text(text, encoding="utf-8")
    served = tmp_path / "served"
    served.mkdir()

    serve_sound(served, store)

    assert sorted(path.name for path in served.iterdir()) == ["calm.es.po", "calm.yaml"]
    assert worksheets_in("es")["calm"].field("calm").label == "¿Mantuviste la calma?"


def test_nothing_left_out_says_nothing(own, tmp_path, store: Store):
    served = tmp_path / "served"
    served.mkdir()
    assert notice(serve_sound(served, store)) == ""


# -- a folder this account cannot open ---------------------------------------------------------


def python() -> str:
    """As root, the practice's installation (which every account can run), else this test's."""
    return str(PRACTICE_BIN / "python") if os.geteuid() == 0 else sys.executable


def coachkit_as_someone_else(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``coachkit ARGUMENTS`` with ``folder`` as the own worksheets, run by an account that cannot open
    it: ``nobody`` when these tests run as root (root opens everything), else this account once the
    folder is 0000."""
    command = [python(), "-m", "coachkit.cli", *arguments]
    env = {config.WORKSHEETS_ENV: str(folder), "PATH": "/usr/bin:/bin", "HOME": str(folder.parent)}
    if os.geteuid() == 0:
        command = ["/usr/sbin/runuser", "-u", "nobody", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.fixture
def closed_folder() -> Iterator[Path]:
    """A worksheet folder with a file in it, that the account running coachkit cannot open."""
    if os.geteuid() == 0:
        reachable = ["/usr/sbin/runuser", "-u", "nobody", "--", "test", "-x", python()]
        if subprocess.run(reachable, check=False).returncode != 0:
            reason = f"as root, this runs coachkit as nobody, who cannot run {python()} (make practice-deps)"
            if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
                pytest.fail(reason, pytrace=False)
            pytest.skip(reason)
    top = Path(tempfile.mkdtemp(prefix="ck-closed-"))
    top.chmod(0o755)
    folder = top / "worksheets"
    folder.mkdir()
    (folder / "calm.yaml").write_text(GOOD.replace("id: check-in", "id: calm"), encoding="utf-8")
    folder.chmod(0o700 if os.geteuid() == 0 else 0)
    try:
        yield folder
    finally:
        folder.chmod(0o700)
        shutil.rmtree(top)


def test_a_folder_that_cannot_be_opened_is_named_never_a_traceback(closed_folder: Path) -> None:
    for arguments in (("worksheets",), ("worksheet", "new", "more", "--title", "More")):
        done = coachkit_as_someone_else(closed_folder, *arguments)
        said = done.stdout + done.stderr
        assert done.returncode == 1, said
        assert "Traceback" not in said and "PermissionError" not in said
        assert str(closed_folder) in said
    assert "cannot be opened by" in coachkit_as_someone_else(closed_folder, "worksheets").stderr
    assert (
        "cannot write in"
        in coachkit_as_someone_else(closed_folder, "worksheet", "new", "x", "--title", "X").stderr
    )
