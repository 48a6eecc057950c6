"""``coachkit practice start`` when things go wrong: killed half-way through setting coaches up, then
started again with one coach's worksheets folder taken over by root (0700), then killed outright. (Its
name puts it before the modules that share the package's practice: two never run at once.)

A practice of its own, with two demo coaches (module scope; the steps run in order). Started again, it
finishes what the killed start had begun: each demo coach's demo clients are there exactly once. The
unreadable folder is a clear message naming it, never a traceback; that coach's client server serves
the built-in worksheets, and the other coach is set up and served as usual. A runner killed with
SIGKILL takes its Hub, proxy and client servers with it.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator

import psutil
import pytest

from coachkit.practice import coaches
from coachkit.practice.description import Coach
from coachkit.practice.postgres import Cluster
from tests.hub.conftest import need_a_practice
from tests.hub.running import WORKSHEET_PAGE, RunningPractice, running_practice, wait_ready

pytestmark = pytest.mark.hub

KILL_TIMEOUT = 300.0


@pytest.fixture(scope="module")
def demo_practice() -> Iterator[RunningPractice]:
    """Two demo coaches; not waited for: the first test kills it half-way."""
    need_a_practice()
    with running_practice(demo=True, ready=False) as running:
        yield running


def setting_up_demo(coach: Coach) -> bool:
    """Whether ``coachkit demo`` is running as ``coach`` right now (their set-up, half-way)."""
    for process in psutil.process_iter(["username", "cmdline"]):
        command = process.info["cmdline"] or []
        if process.info["username"] == coach.name and "coachkit.cli" in command and "demo" in command:
            return True
    return False


def client_names(practice: RunningPractice, coach: Coach, database: str = "") -> list[str]:
    return practice.query(coach, "SELECT name FROM clients ORDER BY name", database=database).splitlines()


def databases(practice: RunningPractice) -> set[str]:
    return set(practice.admin().psql("SELECT datname FROM pg_database").split())


def test_a_start_killed_half_way_is_finished_by_the_next_and_demo_clients_are_there_once(
    demo_practice: RunningPractice,
) -> None:
    practice, (ana, ben) = demo_practice, demo_practice.practice.coaches
    deadline = time.monotonic() + KILL_TIMEOUT
    while not setting_up_demo(ben):  # Ana is set up, and Ben's demo clients are being made
        assert practice.process.poll() is None, practice.runner_log.read_text()[-2000:]
        assert time.monotonic() < deadline, practice.runner_log.read_text()[-2000:]
        time.sleep(0.05)
    os.killpg(practice.process.pid, signal.SIGKILL)  # the runner and what it runs now, at once
    practice.process.wait()
    assert ben.database not in databases(practice)  # nothing half-made under Ben's name
    assert len(client_names(practice, ana)) == coaches.DEMO_CLIENTS + 1

    # Meanwhile root takes Ana's worksheets folder over (as `sudo` with the wrong folder might).
    folder = practice.practice.worksheets_dir(ana)
    os.chown(folder, 0, 0)
    folder.chmod(0o700)

    practice.start()
    wait_ready(practice)
    said = practice.runner_log.read_text()
    for coach in (ana, ben):
        names = client_names(practice, coach)
        assert len(names) == coaches.DEMO_CLIENTS + 1 and len(set(names)) == len(names), names
        assert names.count(coaches.TRY_ME) == 1
        status, _, body = practice.get(practice.practice.service_url(coach))
        assert status == 200 and b"Quick exit" in body, coach.name
    assert ben.database_in_the_making not in databases(practice)
    assert "Traceback" not in said and "PermissionError" not in said
    assert re.search(rf"a client's link: http://\S+/services/{ben.name}/link/", said)  # Ben: as usual


def test_a_worksheets_folder_its_coach_cannot_open_is_named_and_stops_nobody(
    demo_practice: RunningPractice,
) -> None:
    practice, ana = demo_practice, demo_practice.practice.coaches[0]
    folder = practice.practice.worksheets_dir(ana)
    said = practice.runner_log.read_text().split("PostgreSQL:")[-1]  # the second start
    unreadable = f"{folder}: this folder cannot be opened by {ana.name} (it belongs to root, mode 0700)"
    assert f"{ana.name}'s client server: Left out of the worksheets your clients see" in said, said
    assert said.count(unreadable) == 2, said  # making her client's link, and her client server
    assert f"sudo chown -R {ana.name} {folder}" in said
    # Her clients are still served the built-in worksheets, through the proxy (the link is made with
    # a worksheets folder she can read: hers says what is wrong, as above).
    elsewhere = practice.folder / "readable-worksheets"  # (the practice's folder is open to pass through)
    elsewhere.mkdir(mode=0o755)
    code = practice.query(ana, f"SELECT code FROM clients WHERE name = '{coaches.TRY_ME}'").strip()
    link = practice.link(ana, code, env={"COACHKIT_WORKSHEETS": str(elsewhere)})
    status, _, body = practice.client_page(link)
    assert status == 200 and WORKSHEET_PAGE in body
    assert "Traceback" not in practice.hub_log.read_text()


def test_a_runner_killed_outright_takes_the_hub_and_the_client_servers_with_it(
    demo_practice: RunningPractice,
) -> None:
    practice = demo_practice
    hub = psutil.Process(practice.process.pid).children(recursive=True)
    assert any("jupyterhub" in " ".join(child.cmdline()) for child in hub)
    practice.process.kill()  # the runner alone: nobody stops its children for it
    practice.process.wait()
    _, alive = psutil.wait_procs(hub, timeout=90)
    assert [process for process in alive if not _is_postgres(process)] == []
    # PostgreSQL is a server of its own and carries on (the next start uses it); stopped here.
    cluster = Cluster.of(practice.practice)
    assert cluster is not None and cluster.running()
    cluster.stop()


def _is_postgres(process: psutil.Process) -> bool:
    try:
        return process.username() == "postgres"
    except psutil.Error:
        return True
