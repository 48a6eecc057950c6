"""The practice's PostgreSQL: a cluster of its own (or a server already running), one role and one
database per coach, and nothing any coach's role can use to reach another coach's database.

Connections are over the unix socket only, by *peer* authentication: PostgreSQL asks the kernel which
account is connecting and lets it in only as the role of the same name. A coach's processes run as
the coach's account, so they can only ever be that coach's role; no password exists to leak. Each
coach's role belongs to ``coachkit_coaches`` (``pg_hba.conf`` admits its members and the superuser,
nobody else), owns its database ``coachkit_<name>``, and every database's ``CONNECT`` is taken away
from ``PUBLIC``, so a role can connect to its own database only. Administration runs ``psql`` as the
``postgres`` account (``runuser``), which needs root.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coachkit.practice.description import COACHES_ROLE, Coach, Practice

SERVER_ACCOUNT = "postgres"
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
PG_HBA = f"""# coachkit practice: the unix socket only, and no passwords. Peer authentication lets an account
# in only as the role of its own name: the superuser (the postgres account), and the coaches (members
# of {COACHES_ROLE}, each connecting to the one database its role may CONNECT to).
local   all   {SERVER_ACCOUNT}   peer
local   all   +{COACHES_ROLE}   peer
"""
SETTINGS = """
# coachkit practice
listen_addresses = ''
unix_socket_directories = '{socket}'
max_connections = 300
"""
"""Each open worksheet page holds one connection, and each coach's dashboard one or two."""


class PostgresError(RuntimeError):
    """PostgreSQL's programs are missing, a command failed, or a name is taken by someone else."""


def find_bin_dir() -> Path:
    """The newest installed PostgreSQL's ``bin`` folder (Debian's layout)."""
    found = sorted(glob.glob(PG_BIN_GLOB), key=lambda path: int(Path(path).parent.name))
    if not found or not Path(found[-1], "initdb").exists():
        raise PostgresError(
            f"PostgreSQL's server programs are not installed ({PG_BIN_GLOB}/initdb is missing): "
            "apt-get install postgresql (`make postgres` does, as root)"
        )
    return Path(found[-1])


def _as_server(command: list[str], timeout: float = 120) -> str:
    done = subprocess.run(
        ["runuser", "-u", SERVER_ACCOUNT, "--", *command],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd="/",
    )
    if done.returncode != 0:
        raise PostgresError(f"{Path(command[0]).name} failed:\n{done.stdout}{done.stderr}".strip())
    return done.stdout


@dataclass(frozen=True)
class Cluster:
    """The practice's own cluster in ``root`` (``data/`` with its ``server.log``, ``socket/``), run by the
    ``postgres`` account."""

    root: Path
    bin_dir: Path

    @classmethod
    def of(cls, practice: Practice) -> Cluster | None:
        """The practice's own cluster, or None when it uses a server that runs already."""
        if practice.postgres_dir is None:
            return None
        return cls(practice.postgres_dir, find_bin_dir())

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def initialized(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def initialize(self) -> None:
        """A new cluster: peer authentication on the unix socket only, nothing on the network."""
        try:
            account = pwd.getpwnam(SERVER_ACCOUNT)
        except KeyError as error:
            raise PostgresError(f"no {SERVER_ACCOUNT!r} account (apt-get install postgresql)") from error
        # The socket folder inside must be reachable by every coach's account, and the data folder by
        # the postgres account: the folders made on the way are open to pass through (not the data).
        for folder in reversed([self.root, *self.root.parents]):
            if not folder.exists():
                folder.mkdir()
                folder.chmod(0o755)
        self.root.chmod(0o755)
        for folder, mode in ((self.data_dir, 0o700), (self.socket_dir, 0o755)):
            folder.mkdir(exist_ok=True)
            os.chown(folder, account.pw_uid, account.pw_gid)
            folder.chmod(mode)
        initdb = [str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-E", "UTF8", "--locale=C.UTF-8"]
        _as_server([*initdb, "--auth-local=peer", "--auth-host=reject"])
        (self.data_dir / "pg_hba.conf").write_text(PG_HBA)
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write(SETTINGS.format(socket=self.socket_dir))

    def running(self) -> bool:
        pg_ctl = [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "status"]
        done = subprocess.run(
            ["runuser", "-u", SERVER_ACCOUNT, "--", *pg_ctl],
            capture_output=True,
            check=False,
            cwd="/",
        )
        return done.returncode == 0

    def start(self) -> None:
        """Start the cluster (made first if new) and wait until it takes connections."""
        if not self.initialized():
            self.initialize()
            fresh = True
        else:
            fresh = False
        if not self.running():
            log = self.data_dir / "server.log"  # where the postgres account may write
            pg_ctl = [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(log), "-w"]
            _as_server([*pg_ctl, "start"])
        if fresh:
            keep_public_out(Admin(self.socket_dir, self.bin_dir), ("postgres", "template1"))

    def stop(self) -> None:
        if self.initialized() and self.running():
            _as_server([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"])


@dataclass(frozen=True)
class Admin:
    """The superuser, as the ``postgres`` account, through ``psql`` over the socket in ``socket_dir``."""

    socket_dir: Path
    bin_dir: Path

    @classmethod
    def of(cls, practice: Practice) -> Admin:
        return cls(practice.postgres_socket, find_bin_dir())

    def psql(self, *statements: str, database: str = "postgres") -> str:
        """Run each statement on its own (``CREATE DATABASE`` refuses a transaction); rows as text."""
        if shutil.which("runuser") is None:
            raise PostgresError("runuser is missing (util-linux)")
        command = [str(self.bin_dir / "psql"), "--no-psqlrc", "-X", "-qAt", "-v", "ON_ERROR_STOP=1"]
        command += ["-h", str(self.socket_dir), "-d", database]
        for statement in statements:
            command += ["-c", statement]
        return _as_server(command)

    def exists(self, query: str) -> bool:
        return self.psql(query).strip() == "1"


def quoted(name: str) -> str:
    """A coach's (already checked) name as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def keep_public_out(admin: Admin, databases: tuple[str, ...]) -> None:
    """No role but the superuser (and a database's owner) may connect to these databases."""
    admin.psql(*(f"REVOKE CONNECT, TEMPORARY ON DATABASE {quoted(name)} FROM PUBLIC" for name in databases))


def ensure_coach_role(admin: Admin, coach: Coach) -> None:
    """The coach's role, made if missing; one of the coach's name that coachkit did not make (not in
    ``coachkit_coaches``) is refused."""
    if not admin.exists(f"SELECT 1 FROM pg_roles WHERE rolname = '{COACHES_ROLE}'"):
        admin.psql(f"CREATE ROLE {COACHES_ROLE} NOLOGIN")
    if admin.exists(f"SELECT 1 FROM pg_roles WHERE rolname = '{coach.name}'"):
        member = (
            f"SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
            f"JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname = '{coach.name}' "
            f"AND g.rolname = '{COACHES_ROLE}'"
        )
        if not admin.exists(member):
            raise PostgresError(f"PostgreSQL already has a role {coach.name!r} that coachkit did not make")
    else:
        role = quoted(coach.name)
        admin.psql(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE {COACHES_ROLE}")


def database_exists(admin: Admin, name: str) -> bool:
    return admin.exists(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")


def ensure_coach_database(admin: Admin, coach: Coach, fill: Callable[[str], None]) -> bool:
    """The coach's role and database, made if missing; True if the database is new.

    A new database is made under ``Coach.database_in_the_making``, filled by ``fill`` (given its name:
    the schema, demo clients), and only then renamed to the coach's. One left in the making by a set-up
    that stopped half-way (killed, or a step that failed) is dropped and made again, so whatever
    ``fill`` adds is there exactly once.
    """
    ensure_coach_role(admin, coach)
    if database_exists(admin, coach.database):
        return False
    making = coach.database_in_the_making
    if database_exists(admin, making):
        admin.psql(f"DROP DATABASE {quoted(making)} WITH (FORCE)")
    admin.psql(f"CREATE DATABASE {quoted(making)} OWNER {quoted(coach.name)}")
    keep_public_out(admin, (making,))
    fill(making)
    admin.psql(f"ALTER DATABASE {quoted(making)} RENAME TO {quoted(coach.database)}")
    return True
