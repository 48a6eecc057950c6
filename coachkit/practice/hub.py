"""The per-coach parts of the Hub's configuration, derived from the practice file.

``deploy/jupyterhub_config.py`` sets the Hub's own settings and takes from here what depends on the
coaches: one managed service each (their client server), their JupyterLab's environment, and the
``user`` role. Plain data, so tests can check it without starting a Hub.
"""

from __future__ import annotations

import shutil
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coachkit import config
from coachkit.links import LINKS_URL_ENV
from coachkit.practice.description import Coach, Practice
from coachkit.serve import default_max_kernels

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
SERVICE_LOG_DIR = ".coachkit/logs"
"""In the coach's home: their client server's private kernel log."""
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


def free_port() -> int:
    """A loopback port nothing listens on now (each client server gets one when the Hub starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def max_kernels(practice: Practice) -> int:
    """Pages open at once per coach: as set, else this machine's share of kernels split between coaches."""
    return practice.max_kernels or max(2, default_max_kernels() // max(1, len(practice.coaches)))


def service(practice: Practice, coach: Coach, port: int) -> dict[str, Any]:
    """The Hub service running ``coach``'s client server: ``coachkit serve`` under ``/services/<name>/``,
    as the coach's account, on the coach's database. Clients reach it with their code, no Hub login."""
    home = practice.home(coach)
    command = [str(runtime_bin() / "coachkit"), "serve", "--port", str(port)]
    command += ["--base-url", coach.service_prefix, "--behind-proxy"]
    command += ["--ready-kernels", str(practice.ready_kernels), "--max-kernels", str(max_kernels(practice))]
    command += ["--log-dir", str(home / SERVICE_LOG_DIR)]
    return {
        "name": coach.name,
        "user": coach.name,
        "url": f"http://127.0.0.1:{port}",
        "command": command,
        "cwd": str(home),
        "environment": {
            config.DATABASE_URL_ENV: practice.database_url(coach),
            LINKS_URL_ENV: practice.service_url(coach).rstrip("/"),  # the links in reminders
            "HOME": str(home),
            "PATH": search_path(),
        },
        "display": False,
    }


def services(practice: Practice, port: Callable[[], int] = free_port) -> list[dict[str, Any]]:
    return [service(practice, coach, port()) for coach in practice.coaches]


def user_roles() -> list[dict[str, Any]]:
    """``load_roles``: the ``user`` role narrowed to ``USER_SCOPES``."""
    return [
        {
            "name": "user",
            "description": "A coach: their own server and tokens only (no sharing, no services)",
            "scopes": list(USER_SCOPES),
        }
    ]


def spawner_environment(practice: Practice) -> dict[str, Callable[[Any], str] | str]:
    """Environment of each coach's JupyterLab: their own store, and links to their own client server.

    JupyterHub calls each function with the coach's spawner when it starts their server.
    """

    def coach_of(spawner: Any) -> Coach:
        return practice.coach(spawner.user.name)

    return {
        config.DATABASE_URL_ENV: lambda spawner: practice.database_url(coach_of(spawner)),
        LINKS_URL_ENV: lambda spawner: practice.service_url(coach_of(spawner)).rstrip("/"),
        "JUPYTER_RUNTIME_DIR": lambda spawner: str(practice.home(coach_of(spawner)) / RUNTIME_DIR),
        "PATH": search_path(),
    }
