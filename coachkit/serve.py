"""Starting Voila for clients, safely by default.

Tracebacks never reach the browser, only the worksheets' folder is served (no static files at all),
idle kernels are culled, and it listens on loopback unless a token protects it.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from coachkit import config

SAFE_KERNEL_MANAGER = "coachkit.kernels.SafeKernelManager"
"""Makes ``allow_tracebacks=False`` work without stalling the page (see ``coachkit.kernels``)."""

IOPUB_TIMEOUT_SECONDS = 60

NO_STATIC_FILES = "(?!)"
"""A pattern that matches nothing: Voila serves no images or other files from the worksheets' folder."""


class UnsafeBinding(ValueError):
    """Listening beyond this machine without a token would expose clients' worksheets."""


@dataclass(frozen=True)
class ServeOptions:
    root: Path
    port: int = 8866
    ip: str = "127.0.0.1"
    token: str = ""
    cull_idle_seconds: int = 3600
    cull_interval_seconds: int = 300


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name) only ever reaches this machine."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        return False
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def check_binding(ip: str, token: str) -> None:
    """Refuse a non-loopback address unless a token is set."""
    if not is_loopback(ip) and not token:
        raise UnsafeBinding(
            f"refusing to listen on {ip} without a token: anyone on the network could open your "
            "clients' worksheets. Use --token (or keep the default 127.0.0.1)."
        )


def with_token(options: ServeOptions) -> ServeOptions:
    """``options`` with a token: the one given, else a fresh unguessable one (``secrets.token_urlsafe``)."""
    if options.token:
        return options
    return replace(options, token=secrets.token_urlsafe(24))


def voila_arguments(options: ServeOptions) -> list[str]:
    """The command line for Voila, every safety setting spelled out."""
    args = [
        str(options.root),
        "--no-browser",
        f"--port={options.port}",
        f"--Voila.ip={options.ip}",
        "--VoilaConfiguration.show_tracebacks=False",
        "--MappingKernelManager.allow_tracebacks=False",
        f"--MappingKernelManager.kernel_manager_class={SAFE_KERNEL_MANAGER}",
        f"--MappingKernelManager.cull_idle_timeout={options.cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={options.cull_interval_seconds}",
        f"--VoilaConfiguration.file_allowlist={NO_STATIC_FILES}",
        # A busy server may take longer than nbclient's 4 s to relay a page's widgets; past that the
        # client would get a blank page.
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_SECONDS}",
        # Unix sockets, not TCP ports: no port can be taken between a kernel's choosing and binding it
        # (jupyter_client issue 487), and nothing listens on the network.
        "--KernelManager.transport=ipc",
    ]
    if options.token:
        args.append(f"--Voila.token={options.token}")
    return args


def exec_voila(options: ServeOptions, database_url: str) -> None:
    """Replace this process with Voila; its kernels inherit the store's URL."""
    check_binding(options.ip, options.token)
    env = {**os.environ, config.DATABASE_URL_ENV: database_url}
    argv = [sys.executable, "-m", "voila", *voila_arguments(options)]
    os.execve(sys.executable, argv, env)
