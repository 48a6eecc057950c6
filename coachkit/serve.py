"""Starting the client server (and the coach's dashboard), safely by default.

``serve(options, database_url)`` runs ``coachkit.web.app.CoachkitVoila`` in this process with every
setting spelled out in ``voila_config`` (a traitlets ``Config``; no command line to read, and no
Voila config file from the current folder). Tracebacks never reach the browser, only the served folder
is exposed, kernels end soon after their page, at most ``max_kernels`` run at once (and at most
``pages_per_client`` for one client, each within ``kernel_memory_mib``), and beyond this machine it only
listens with TLS (its own certificate, or a reverse proxy that terminates it).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

from coachkit import config
from coachkit.capped_logs import LOG_CAP_BYTES
from coachkit.logs import private_file

SAFE_KERNEL_MANAGER = "coachkit.kernels.SafeKernelManager"
"""Makes ``allow_tracebacks=False`` work without stalling the page, and keeps kernel output private."""
CLIENT_KERNEL_MANAGER = "coachkit.web.presence.PresenceKernelManager"
"""Reclaims kernels whose page has gone and holds the ceiling on how many run at once
(``lifetimes.ClientKernelManager``), and notes which client pages are open (``presence``)."""

COACH_IDENTITY = "coachkit.web.coach_login.CoachIdentityProvider"
"""The dashboard's login: the coach's password from the store, or the token of its start."""

IOPUB_TIMEOUT_SECONDS = 60
KERNEL_MIB = 100
"""Memory set aside per kernel: a worksheet kernel was measured at 66 MiB, with room to grow."""
KERNEL_LIMIT_MIB = 512
"""The most address space one kernel may take by default: a worksheet's kernel was measured at 230-260
MiB of address space (76 MiB in memory) with ``MALLOC_ARENA_MAX=2``; see ``coachkit.kernels``."""
MEMORY_SHARE = 0.5
"""The part of this machine's memory that kernels may take by default; the rest is for everything else."""
WARM_UP_CODE = "import ipywidgets, coachkit.ui.client"
"""What a ready kernel imports before any page needs it (the worksheets' one cell starts with these)."""
FORKED_PROVISIONER = "coachkit-forked"
"""``coachkit.forked_kernels.ForkedProvisioner``, as registered in ``pyproject.toml``."""
UNUSED_EXTENSIONS = ["jupyterlab_pygments"]
"""Labextensions a worksheet page never uses (code highlighting): not loaded."""


def normalize_base_url(path: str) -> str:
    """``path`` as Voila's ``base_url`` wants it: starting and ending with one ``/`` (``services/ana``
    becomes ``/services/ana/``). Only a path: an address (``https://…``) or a query is refused."""
    cleaned = "/" + path.strip().strip("/") + "/" if path.strip().strip("/") else "/"
    if "//" in cleaned or any(mark in cleaned for mark in "?#:\\ "):
        raise ValueError(f"a base URL here is a path such as /services/ana/, not {path!r}")
    return cleaned


class UnsafeBinding(ValueError):
    """Listening beyond this machine without TLS would send clients' answers in the clear."""


def total_memory_mib() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20


def default_max_kernels(memory_mib: int | None = None) -> int:
    """How many kernels fit: ``MEMORY_SHARE`` of this machine's memory at ``KERNEL_MIB`` each (at least 2)."""
    memory = total_memory_mib() if memory_mib is None else memory_mib
    return max(2, int(memory * MEMORY_SHARE) // KERNEL_MIB)


@dataclass(frozen=True)
class ServeOptions:
    root: Path
    port: int = 8866
    ip: str = "127.0.0.1"
    certfile: str = ""
    keyfile: str = ""
    behind_proxy: bool = False
    max_kernels: int = 0
    """0: ``default_max_kernels()``."""
    pages_per_client: int = 2
    """At most this many pages (kernels) for one client; their newest page takes over the oldest."""
    kernel_memory_mib: int = KERNEL_LIMIT_MIB
    """The most address space one client's kernel may take (0: no limit; the dashboard has none)."""
    reclaim_after_seconds: int = 30
    ready_kernels: int = 2
    cull_idle_seconds: int = 3600
    log_dir: Path | None = None
    log_cap_bytes: int = LOG_CAP_BYTES
    """The most disk the kernel log may take, older files included."""
    token: str = ""
    """The coach's dashboard only; client links carry a client's code instead."""
    gate: bool = True
    template: str = "coachkit"
    mail_every_seconds: float = 30.0
    """How often the outbox's due mail (alerts to the coach) is sent; 0: never (a preview)."""
    coach_login: bool = False
    """The coach's dashboard: their password (or the token) opens it (``coachkit.web.coach_login``)."""
    links_url: str = ""
    """The address clients reach the server at, path included, for the links in reminders (empty: its
    own ``http(s)://ip:port/base_url``)."""
    base_url: str = "/"
    """The path every page is served under: ``/`` alone, or e.g. ``/services/ana/`` as a JupyterHub
    service (the Hub's proxy passes the path on whole)."""

    @property
    def tls(self) -> bool:
        return bool(self.certfile)


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


def check_binding(ip: str, tls: bool, behind_proxy: bool) -> None:
    """Refuse a non-loopback address unless the server speaks TLS or a proxy in front of it does."""
    if not is_loopback(ip) and not (tls or behind_proxy):
        raise UnsafeBinding(
            f"refusing to listen on {ip} without TLS: clients' answers would cross the network in the "
            "clear. Use --certfile and --keyfile, or put a reverse proxy with HTTPS in front and add "
            "--behind-proxy (or keep the default 127.0.0.1)."
        )


def own_address(options: ServeOptions) -> str:
    """The server's own address, with its base URL: what clients' links point to unless told otherwise."""
    scheme = "https" if options.tls or options.behind_proxy else "http"
    return f"{scheme}://{options.ip}:{options.port}{normalize_base_url(options.base_url)}".rstrip("/")


def kernel_log_file(options: ServeOptions, database_url: str) -> Path:
    return (options.log_dir or config.log_dir(database_url)) / "kernels.log"


def voila_config(options: ServeOptions, database_url: str) -> Config:
    """Every setting of the server, spelled out."""
    c = Config()
    c.Voila.root_dir = str(options.root)
    c.Voila.port = options.port
    c.Voila.base_url = normalize_base_url(options.base_url)
    c.Voila.ip = options.ip
    c.Voila.open_browser = False
    c.Voila.config_file_paths = []  # no voila.json/voila.py from wherever the coach happens to be
    if options.token:
        c.Voila.token = options.token
    if options.coach_login:
        from coachkit.web.coach_login import cookie_secret

        c.Voila.identity_provider_class = COACH_IDENTITY
        c.CoachIdentityProvider.database_url = database_url
        c.Voila.cookie_secret = cookie_secret()
    c.CoachkitVoila.gate = options.gate
    c.CoachkitVoila.database_url = database_url
    c.CoachkitVoila.certfile = options.certfile
    c.CoachkitVoila.keyfile = options.keyfile
    c.CoachkitVoila.behind_proxy = options.behind_proxy
    c.CoachkitVoila.mail_every_seconds = options.mail_every_seconds
    c.CoachkitVoila.links_url = options.links_url or own_address(options)
    c.VoilaConfiguration.template = options.template
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.allow_template_override = "NO"
    c.VoilaConfiguration.allow_theme_override = "NO"
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.file_allowlist = []
    c.VoilaConfiguration.extension_denylist = UNUSED_EXTENSIONS
    c.VoilaConfiguration.multi_kernel_manager_class = CLIENT_KERNEL_MANAGER
    c.MappingKernelManager.allow_tracebacks = False
    c.MappingKernelManager.kernel_manager_class = SAFE_KERNEL_MANAGER
    c.MappingKernelManager.cull_idle_timeout = options.cull_idle_seconds
    c.ClientKernelManager.max_kernels = options.max_kernels or default_max_kernels()
    c.ClientKernelManager.kernels_per_client = options.pages_per_client
    c.ClientKernelManager.reclaim_after = float(options.reclaim_after_seconds)
    c.ClientKernelManager.ready_kernels = options.ready_kernels
    c.ClientKernelManager.warm_up_code = WARM_UP_CODE
    c.PresenceKernelManager.database_url = database_url if options.gate else ""
    c.SafeKernelManager.log_file = str(kernel_log_file(options, database_url))
    c.SafeKernelManager.log_cap_bytes = options.log_cap_bytes
    c.SafeKernelManager.kernel_env = {config.DATABASE_URL_ENV: database_url}
    # Clients' kernels only: the coach's dashboard (no gate) runs pandas and matplotlib for the coach.
    c.SafeKernelManager.memory_limit_bytes = options.kernel_memory_mib * 2**20 if options.gate else 0
    if options.gate and forking_installed():  # clients' kernels share what they import (forked_kernels)
        c.KernelProvisionerFactory.default_provisioner_name = FORKED_PROVISIONER
    # A busy server may take longer than nbclient's 4 s to relay a page's widgets; past that the
    # client would get a blank page.
    c.VoilaExecutor.iopub_timeout = IOPUB_TIMEOUT_SECONDS
    # Unix sockets, not TCP ports: no port can be taken between a kernel's choosing and binding it
    # (jupyter_client issue 487), and nothing listens on the network.
    c.KernelManager.transport = "ipc"
    return c


def forking_installed() -> bool:
    """Whether this installation registers ``FORKED_PROVISIONER`` (an editable install made before it
    existed does not, until it is installed again): without it, no kernel could start."""
    from importlib.metadata import entry_points

    return bool(entry_points(group="jupyter_client.kernel_provisioners", name=FORKED_PROVISIONER))


def serve(options: ServeOptions, database_url: str) -> None:
    """Run the server in this process until it is stopped (Ctrl-C or SIGTERM)."""
    check_binding(options.ip, options.tls, options.behind_proxy)
    private_file(kernel_log_file(options, database_url))
    launch(voila_config(options, database_url))


def launch(settings: Config) -> None:
    """Start ``CoachkitVoila`` with these settings and serve until stopped."""
    from coachkit.web.app import CoachkitVoila

    CoachkitVoila.launch_instance(argv=[], config=settings)
