"""A throw-away PostgreSQL server for the tests: its own cluster in a temporary folder, unix socket only.

As root the server runs as the ``postgres`` user (PostgreSQL refuses root), otherwise as the current
user. A watchdog process stops the server when the test process ends in any way (even killed), so no
server outlives a run. Fast but unsafe settings (no fsync): the data is thrown away afterwards.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from coachkit.practice import postgres as practice_postgres

SERVER_USER = "postgres"
SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}

WATCHDOG = """
import os, shutil, signal, subprocess, sys
from pathlib import Path
command, root = sys.argv[1:-1], Path(sys.argv[-1])
sys.stdin.read()  # returns when the test process has ended (its end of the pipe is closed)
pid_file = root / "data" / "postmaster.pid"
if pid_file.exists():
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, timeout=60)
    if pid_file.exists():
        os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
shutil.rmtree(root, ignore_errors=True)
"""


class PostgresUnavailable(Exception):
    """PostgreSQL's server programs are missing, or this user cannot run them."""


def find_bin_dir() -> Path:
    """The newest installed PostgreSQL's ``bin`` folder (the practice's own finder)."""
    try:
        return practice_postgres.find_bin_dir()
    except practice_postgres.PostgresError as error:
        raise PostgresUnavailable(str(error)) from error


@dataclass
class PostgresServer:
    """A running throw-away cluster; ``new_database()`` gives each test a database of its own."""

    bin_dir: Path
    root: Path
    as_user: list[str]
    superuser: str
    watchdog: subprocess.Popen | None = None
    _names: itertools.count = field(default_factory=itertools.count)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    @classmethod
    def start(cls) -> PostgresServer:
        bin_dir = find_bin_dir()
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam(SERVER_USER)
            except KeyError as error:
                raise PostgresUnavailable(f"there is no {SERVER_USER!r} user to run the server as") from error
            as_user, superuser = ["runuser", "-u", SERVER_USER, "--"], SERVER_USER
        else:
            account, as_user, superuser = pwd.getpwuid(os.geteuid()), [], pwd.getpwuid(os.geteuid()).pw_name
        root = Path(tempfile.mkdtemp(prefix="coachkit-pg-"))
        os.chown(root, account.pw_uid, account.pw_gid)
        server = cls(bin_dir, root, as_user, superuser)
        try:
            server._run("mkdir", "-m", "700", str(server.socket_dir))
            server._run(str(bin_dir / "initdb"), "-D", str(server.data_dir), "-A", "trust", "-E", "UTF8")
            server._start_watchdog()
            options = " ".join([f"-k {server.socket_dir}", *(f"-c {k}={v}" for k, v in SETTINGS.items())])
            log = server.root / "server.log"
            server._run(
                str(bin_dir / "pg_ctl"),
                "-D",
                str(server.data_dir),
                "-l",
                str(log),
                "-o",
                options,
                "-w",
                "start",
            )
        except BaseException:
            server.stop()
            raise
        return server

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            [*self.as_user, *command], capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            raise PostgresUnavailable(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")

    def _pg_ctl_stop(self) -> list[str]:
        return [*self.as_user, str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "stop"]

    def _start_watchdog(self) -> None:
        command = [sys.executable, "-c", WATCHDOG, *self._pg_ctl_stop(), str(self.root)]
        self.watchdog = subprocess.Popen(command, stdin=subprocess.PIPE, start_new_session=True)

    def postmaster_pid(self) -> int | None:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            return int(pid_file.read_text().split()[0])
        except (FileNotFoundError, IndexError, ValueError):
            return None

    def stop(self) -> None:
        """Stop the server (fast shutdown, else kill its postmaster) and remove its folder."""
        try:
            pid = self.postmaster_pid()
            if pid is not None:
                subprocess.run(self._pg_ctl_stop(), capture_output=True, timeout=60, check=False)
                deadline = time.monotonic() + 10
                while self.postmaster_pid() is not None and time.monotonic() < deadline:
                    time.sleep(0.05)
                if self.postmaster_pid() is not None:
                    os.kill(pid, signal.SIGKILL)
        finally:
            if self.watchdog is not None:
                self.watchdog.stdin.close()  # type: ignore[union-attr]
                self.watchdog.wait(timeout=60)
            shutil.rmtree(self.root, ignore_errors=True)

    # -- databases ------------------------------------------------------------------------

    def url(self, database: str, user: str | None = None) -> str:
        """The SQLAlchemy URL of ``database`` on this server, over its unix socket."""
        return f"postgresql+psycopg://{user or self.superuser}@/{database}?host={self.socket_dir}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the superuser, outside a transaction (CREATE DATABASE needs that)."""
        import psycopg

        with psycopg.connect(dbname=database, host=str(self.socket_dir), user=self.superuser) as connection:
            connection.autocommit = True
            connection.execute(statement)  # type: ignore[arg-type]

    def query(self, statement: str, *params: object, database: str = "postgres") -> list[tuple]:
        """The rows of one query, run as the superuser."""
        import psycopg

        with psycopg.connect(dbname=database, host=str(self.socket_dir), user=self.superuser) as connection:
            return connection.execute(statement, params).fetchall()  # type: ignore[arg-type]

    def lock_waits(self, url: str) -> int:
        """How many sessions on the database at ``url`` are waiting for a lock."""
        from sqlalchemy.engine import make_url

        statement = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
        return self.query(statement, make_url(url).database)[0][0]

    def new_database(self, prefix: str = "store") -> str:
        """A new, empty database; returns its URL."""
        name = f"{prefix}_{next(self._names)}"
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database at ``url``, closing any connection still open to it."""
        from sqlalchemy.engine import make_url

        self.sql(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
