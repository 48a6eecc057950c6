"""The per-coach parts of the Hub's configuration, derived from the practice file.

``deploy/jupyterhub_config.py`` sets the Hub's own settings and takes from here what depends on the
coaches: their JupyterLab's environment, the ``user`` role, and the runner's own token and role (it
registers each coach's client server with the Hub: ``clientservers``, ``hubapi``). Everything that
names a coach is read from the practice file as it is now (``description.Current``), so a coach added
while the Hub runs can log in, and their server starts, without restarting the Hub. Plain data, so
tests can check it without starting a Hub.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coachkit import config
from coachkit.links import LINKS_URL_ENV
from coachkit.practice.description import Coach, Practice

USER_SCOPES = (
    "read:users!user",
    "users:activity!user",
    "servers!user",
    "tokens!user",
    "access:servers!user",
)
"""What a coach may do through the Hub: their own user, server and tokens, nothing else.

JupyterHub's default ``user`` role is ``self``, which also lets a user share their server with other
users (``shares!user``); a coach's server shows their clients, so sharing is left out. No role here
gives ``access:services`` (the client servers need no Hub login at all), and there are no admins."""
RUNNER = "coachkit-practice"
"""The Hub service (a token, no server) as which ``coachkit practice start`` registers client servers."""
RUNNER_SCOPES = ("admin:services", "proxy")
"""Adding and removing the services made at run time (never those of the config file, nor users or
servers), and bringing the proxy's routes up to date."""
RUNNER_TOKEN_FILE = "runner-token"
"""In the practice's state folder (root only, 0600): the runner's token, made at its first start."""
RUNTIME_DIR = ".runtime"
"""In the coach's home: their server's runtime files and kernels' unix sockets. Short on purpose: a
socket's path must fit in 107 bytes (``~/.local/share/jupyter/runtime/kernel-<uuid>-ipc-4`` may not)."""
PROXY = Path(".venv/node/node_modules/.bin/configurable-http-proxy")


def runtime_bin() -> Path:
    """The ``bin`` folder of the Python running the Hub: coaches' servers run its programs (so every
    coach's account must be able to read it)."""
    return Path(sys.executable).parent


def server_config_file() -> Path:
    """``deploy/jupyter_server_config.py``: the settings of every coach's own server."""
    return config.deploy_dir() / "jupyter_server_config.py"


def search_path() -> str:
    """PATH for coaches' processes: this installation's programs first (``coachkit`` in a terminal)."""
    return f"{runtime_bin()}:/usr/local/bin:/usr/bin:/bin"


def proxy_command(practice: Practice) -> list[str]:
    """configurable-http-proxy: as the practice file says, else the checkout's (``make practice``
    installs it under ``.venv/node``), else the one on PATH."""
    if practice.proxy_command:
        return [practice.proxy_command]
    checkout = config.checkout()
    if checkout is not None and (checkout / PROXY).exists():
        return [str(checkout / PROXY)]
    return [shutil.which("configurable-http-proxy") or "configurable-http-proxy"]


def roles() -> list[dict[str, Any]]:
    """``load_roles``: the ``user`` role narrowed to ``USER_SCOPES``, and the runner's."""
    return [
        {
            "name": "user",
            "description": "A coach: their own server and tokens only (no sharing, no services)",
            "scopes": list(USER_SCOPES),
        },
        {
            "name": RUNNER,
            "description": "coachkit practice start: registers each coach's client server",
            "scopes": list(RUNNER_SCOPES),
            "services": [RUNNER],
        },
    ]


def runner_service(token: str) -> dict[str, Any]:
    """The runner as a Hub service: a token only (no server, nothing shown to coaches)."""
    return {"name": RUNNER, "api_token": token, "display": False}


def spawner_environment(current: Callable[[], Practice]) -> dict[str, Callable[[Any], str] | str]:
    """Environment of each coach's JupyterLab: their own store, their own worksheets, and links to their
    own client server.

    JupyterHub calls each function with the coach's spawner when it starts their server; ``current``
    gives the practice as its file is then (see ``description.Current``).
    """

    def coach_of(spawner: Any) -> tuple[Practice, Coach]:
        practice = current()
        return practice, practice.coach(spawner.user.name)

    def database(spawner: Any) -> str:
        practice, coach = coach_of(spawner)
        return practice.database_url(coach)

    def links(spawner: Any) -> str:
        practice, coach = coach_of(spawner)
        return practice.service_url(coach).rstrip("/")

    def worksheets(spawner: Any) -> str:
        practice, coach = coach_of(spawner)
        return str(practice.worksheets_dir(coach))

    def runtime(spawner: Any) -> str:
        practice, coach = coach_of(spawner)
        return str(practice.home(coach) / RUNTIME_DIR)

    return {
        config.DATABASE_URL_ENV: database,
        LINKS_URL_ENV: links,
        config.WORKSHEETS_ENV: worksheets,
        "JUPYTER_RUNTIME_DIR": runtime,
        "PATH": search_path(),
    }
