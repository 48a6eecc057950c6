"""Each coach's client server as the runner keeps it: its port kept from one start to the next, started
again at once when its coach restarted it, after a growing pause while it keeps failing; and
``coachkit practice restart-my-server`` refused to anyone who is not a coach."""

from __future__ import annotations

import socket
import stat
import subprocess
import time
from pathlib import Path

from click.testing import CliRunner

from coachkit.cli import main
from coachkit.practice import clientservers
from coachkit.practice.clientservers import ClientServer, ClientServers, choose_ports
from coachkit.practice.description import Coach, parse

TWO = """
[hub]
url = "http://localhost:8000"
[paths]
state = "{state}"
[[coaches]]
name = "ana"
[[coaches]]
name = "ben"
"""


def test_each_coach_keeps_their_port_while_it_is_free(tmp_path: Path) -> None:
    practice = parse(tmp_path / "practice.toml", TWO.format(state=tmp_path / "state"))
    (tmp_path / "state").mkdir()
    first = choose_ports(practice)
    assert set(first) == {"ana", "ben"} and first["ana"] != first["ben"]
    assert choose_ports(practice) == first
    kept = tmp_path / "state" / clientservers.PORTS_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    with socket.socket() as taken:  # something else took Ana's port meanwhile
        taken.bind(("127.0.0.1", first["ana"]))
        again = choose_ports(practice)
    assert again["ana"] != first["ana"] and again["ben"] == first["ben"]


def stopped(servers: ClientServers, server: ClientServer, command: list[str]) -> None:
    """``server`` as if its process (a real one running ``command``) had just stopped."""
    server.process = subprocess.Popen(command)
    server.process.wait()
    servers._stopped(server, time.monotonic())


def test_a_server_restarted_by_its_coach_starts_at_once_and_one_that_keeps_failing_waits(tmp_path) -> None:
    said: list[str] = []
    servers = ClientServers(log=lambda line: None, say=said.append)
    server = ClientServer(Coach("ana"), 8123, started_at=time.monotonic(), started_on=time.time())
    stopped(servers, server, ["true"])  # exits 0, as it does when its coach ends it
    assert server.failures == 0 and server.start_after <= time.monotonic()
    assert said[-1] == "ana's client server restarted by its coach; starting it again."
    pauses = []
    for _ in range(8):
        stopped(servers, server, ["false"])  # fails at once, again and again
        pauses.append(round(server.start_after - time.monotonic()))
    assert pauses == [2, 4, 8, 16, 32, 60, 60, 60]
    assert said[-1].startswith("ana's client server stopped (status 1); starting it again in 60 s")


def test_restart_my_server_is_for_coaches_only() -> None:
    result = CliRunner().invoke(main, ["practice", "restart-my-server"])
    assert result.exit_code == 1
    assert "this is for a coach of a practice" in result.output and "Traceback" not in result.output
