"""coachkit as a coach installs it: a wheel built from this checkout, installed into a venv of its own.

No checkout in sight: the coach's commands are typed by name in a shell whose PATH holds only that venv,
in an empty folder, with a home and a data folder of their own. A client completes a worksheet in
Chromium; the answers are in the store in the coach's data folder, the dashboard shows them, and the
folder the coach worked in is still empty.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from coachkit.coach.server import TOKEN_ENV
from coachkit.store import Store
from tests.browser.conftest import PROJECT, free_port, screenshot, wait_for_http
from tests.browser.test_dashboard import screenshot_top
from tests.browser.test_fight_worksheet import walk_calmly_to_the_last_step

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
INSTALL_TIMEOUT = 900
TOKEN = "installed-dashboard-token-0123456789"
WORKSHEET = "fight-or-make-it-right"
CHOSEN = {"role": "both", "approach": "expect", "fight_or_right": "unsure", "frequency": "rarely"}
"""Answers of the calm walk, beyond its safety step (whose questions are not this test's concern)."""


def source_files() -> list[str]:
    """The files git knows in this checkout (tracked, or new and not ignored), as they are now."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT,
        capture_output=True,
        check=True,
    ).stdout
    return [name for name in listed.decode().split("\0") if name and (PROJECT / name).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built by pip from a copy of the checkout's own files (nothing ignored by git, such as
    data/ or .venv, and no build/ folder left in the checkout)."""
    folder = tmp_path_factory.mktemp("wheel")
    source = folder / "source"
    for name in source_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / name, source / name)
    built = folder / "built"
    pip = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--wheel-dir",
        str(built),
        str(source),
    ]
    quietly(pip, cwd=folder, env=without_this_venv())
    [found] = built.glob("coachkit-*.whl")
    return found


def quietly(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    """Run ``command``; its output is shown only if it fails (pip warns about this machine's indexes)."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"


def without_this_venv() -> dict[str, str]:
    """This process's environment without anything that would lead a child to this checkout or venv."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("COACHKIT_", "JUPYTER", "PYTHON", "VIRTUAL_ENV", "XDG_"))
    }
    this_venv = str(Path(sys.executable).parent)
    kept["PATH"] = os.pathsep.join(
        part for part in kept.get("PATH", "").split(os.pathsep) if part != this_venv
    )
    return kept


@dataclass
class Installed:
    """A venv with coachkit installed from the wheel, and a coach's home, data folder and work folder."""

    venv: Path
    home: Path
    data_home: Path
    folder: Path

    @property
    def data_dir(self) -> Path:
        return self.data_home / "coachkit"

    def env(self, **extra: str) -> dict[str, str]:
        """A coach's shell: the venv's programs first, then the system's; a home of its own."""
        return {
            "PATH": f"{self.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.home),
            "XDG_DATA_HOME": str(self.data_home),
            "LANG": "C.UTF-8",
            **extra,
        }

    def shell(self, command: str, **extra: str) -> str:
        """``command`` typed in that shell, in the coach's work folder; its output."""
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=self.folder,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    @contextmanager
    def running(self, command: str, ready_path: str, **extra: str) -> Iterator[str]:
        """``command --port FREE`` typed in that shell until the block ends (always stopped); its address."""
        port = free_port()
        log_path = self.home / f"{command.split()[1]}-{port}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                ["bash", "-c", f"exec {command} --port {port}"],
                cwd=self.folder,
                env=self.env(**extra),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for_http(base_url + ready_path, process, timeout=120)
            yield base_url
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def server_logs(self) -> str:
        return "".join(path.read_text(errors="replace") for path in sorted(self.home.glob("*.log")))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A fresh venv with ``coachkit[coach]`` from the wheel (pip resolves the rest as it is configured
    on this machine: its own index, or local wheels through ``PIP_FIND_LINKS``)."""
    root = tmp_path_factory.mktemp("installed")
    venv, home, folder = root / "venv", root / "home", root / "work"
    home.mkdir()
    folder.mkdir()
    environment = without_this_venv()
    quietly([sys.executable, "-m", "venv", str(venv)], cwd=root, env=environment)
    # --no-compile: byte-compiling every installed module took half of pip's time; Python compiles what
    # the servers import as they import it.
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-compile",
        f"coachkit[coach] @ {wheel.as_uri()}",
    ]
    quietly(pip, cwd=root, env=environment)
    return Installed(venv, home, root / "data-home", folder)


def first_link(links_output: str) -> str:
    """The first link ``coachkit client links`` prints: where a client starts."""
    found = re.search(r"https?://\S+", links_output)
    assert found, links_output
    return found.group(0)


def open_as_client(page: Page, installed: Installed, name: str, base_url: str) -> None:
    """Open the link to the fight worksheet that the coach's ``coachkit client links`` prints, as the
    client would."""
    printed = installed.shell(f'coachkit client links "{name}" --worksheet {WORKSHEET} --base-url {base_url}')
    page.goto(first_link(printed))
    page.get_by_role("button", name="Open").click()  # a link opens once, when its client presses Open
    page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)


def finish_calmly(page: Page) -> None:
    """A client who feels safe, through "Fight or make it right?" to its summary."""
    expect(page.get_by_text("Step 1 of 6", exact=True)).to_be_visible()
    walk_calmly_to_the_last_step(page)
    page.get_by_label("Rarely, a few times a year").check()
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_text("None of the five sounded like you.")).to_be_visible()


def test_the_wheel_holds_every_file_of_the_package(wheel: Path) -> None:
    """Notebooks, templates, static files, worksheets and the practice's settings ship in the wheel."""
    in_git = {name for name in source_files() if name.startswith("coachkit/")}
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    assert sorted(in_git - in_wheel) == []


def test_a_coach_installs_the_wheel_adds_a_client_serves_and_reads_the_answers(
    installed: Installed, desktop: Page
) -> None:
    assert shutil.which("coachkit", path=installed.env()["PATH"]) == str(installed.venv / "bin" / "coachkit")
    located = installed.shell("python -c 'import coachkit; print(coachkit.__file__)'")
    assert Path(located.strip()).is_relative_to(installed.venv)
    assert f"Data folder: {installed.data_dir}\n" in installed.shell("coachkit paths")
    assert "code: " in installed.shell('coachkit client add "Sam"')

    with installed.running("coachkit serve", ready_path="/") as base_url:
        open_as_client(desktop, installed, "Sam", base_url)
        finish_calmly(desktop)
        screenshot(desktop, "installed-fight-summary")

    store = Store(f"sqlite:///{installed.data_dir / 'coachkit.sqlite'}")
    try:
        [sam] = store.find_clients()
        [response] = store.find_responses(sam.id)
        assert (sam.name, response.worksheet_id, response.status) == (
            "Sam",
            WORKSHEET,
            "completed",
        )
        answers = store.get_answers(response.id)
        assert {key: answers.get(key) for key in CHOSEN} == CHOSEN
    finally:
        store.close()
    assert (installed.data_dir / "logs" / "kernels.log").is_file()

    # The dashboard, from the same installation, shows Sam and what they shared.
    with installed.running("coachkit dashboard", ready_path=f"/?token={TOKEN}", **{TOKEN_ENV: TOKEN}) as url:
        desktop.goto(f"{url}/voila/render/dashboard.ipynb?token={TOKEN}")
        desktop.locator(".ck-dash").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        rows = desktop.locator("table.ck-clients tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.locator("td").nth(0)).to_have_text("Sam")
        expect(rows.locator("td").nth(2)).to_have_text("1")  # worksheets done
        desktop.locator(".ck-picker select").select_option(index=1)  # after "pick a client"
        expect(desktop.get_by_role("heading", name="Sam")).to_be_visible()
        expect(desktop.locator("details.ck-entry summary")).to_contain_text("Fight or make it right?")
        expect(desktop.locator("figure.ck-chart img").first).to_be_visible()  # pandas and matplotlib
        desktop.wait_for_timeout(500)  # let the chart paint
        screenshot_top(desktop, "installed-dashboard", height=1100)

    assert list(installed.folder.iterdir()) == []  # nothing in the folder the coach happened to be in
    assert "Traceback" not in installed.server_logs()
