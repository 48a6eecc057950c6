"""The fork server: one process that has imported everything a client's kernel needs, and forks kernels.

A client's kernel is a whole Python process; most of its memory is code it imports (IPython, ipykernel,
ipywidgets, SQLAlchemy, coachkit), and every kernel imports the same. This process imports it all once,
then, asked by the server (``coachkit.forked_kernels``), forks a child that becomes the kernel: a copy
that shares those pages with this process and every other kernel until it writes to them (copy on
write), so each new client adds only what their own kernel changes. Nothing here is a client's: the
process only imports modules; it opens no store, no socket but the server's, and starts no thread, so
a fork is a clean copy.

Run as ``python -m coachkit.forkserver FD``, ``FD`` being its end of a ``SOCK_SEQPACKET`` socket pair.
Each request is a JSON message (``argv``, ``env``, ``cwd``) carrying the kernel's stdout and stderr as
file descriptors; the answer is ``{"pid": …}``. When the server's end closes, this process ends; kernels
it forked carry on until their server stops them, or end on their own when it has gone (ipykernel's
parent poller).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import json
import os
import runpy
import signal
import socket
import sys
import traceback

from coachkit.config import DATABASE_URL_ENV

READY = b"ready"
MAX_REQUEST_BYTES = 1 << 20
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipywidgets",
    "coachkit.ui.client",
    "coachkit.exercises.translations",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "setproctitle",
)
"""What every client's kernel imports: ipykernel, then the client's page (its widgets, the store on
SQLite, the worksheets' reading and translations). What only some pages need (the card's PDF, say) is
left to the kernels that need it."""
ON_POSTGRESQL = ("sqlalchemy.dialects.postgresql.psycopg",)
"""Imported too when the server's store is on PostgreSQL (a practice): every kernel connects to it."""

LAUNCHER = "coachkit.ipykernel_launcher"
"""ipykernel's launcher without the debugger: ``python -m`` this, in place of ``ipykernel_launcher``
(``coachkit.kernels``); a forked kernel runs it as its main module."""


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops this process by closing its socket
    signal.signal(signal.SIGCHLD, reap)
    server = socket.socket(fileno=int(sys.argv[1]))
    for module in preloaded(os.environ.get(DATABASE_URL_ENV, "")):
        __import__(module)
    from setproctitle import getproctitle, setproctitle

    setproctitle(getproctitle().strip())  # set up before a fork: each kernel then takes its own title
    gc.collect()
    gc.freeze()  # the collector leaves what is imported alone: its pages stay shared with every kernel
    try:
        server.send(READY)
        while request := receive(server):
            message, descriptors = request
            try:
                pid: int | None = fork_kernel(server, json.loads(message), descriptors)
            except OSError:  # no memory or processes left for a fork: the server starts it itself
                pid = None
            server.send(json.dumps({"pid": pid}).encode())
    except ConnectionError:  # the server gave up on this process, or has gone
        return


def preloaded(database_url: str) -> tuple[str, ...]:
    """The modules to import for kernels whose store is at ``database_url``."""
    return PRELOAD + (ON_POSTGRESQL if database_url.startswith("postgresql") else ())


def receive(server: socket.socket) -> tuple[bytes, list[int]] | None:
    """The next request and its file descriptors, or None once the server has gone."""
    message, descriptors, _flags, _address = socket.recv_fds(server, MAX_REQUEST_BYTES, 2)
    return (message, descriptors) if message else None


def reap(_signum: int, _frame: object) -> None:
    """Collect every kernel that has ended (the server watches them by pidfd, not by waiting)."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def fork_kernel(server: socket.socket, request: dict, descriptors: list[int]) -> int:
    """Fork a child that runs ``request["argv"]``'s kernel; in this process, its pid."""
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
        if pid == 0:
            server.close()
            become_kernel(request, descriptors)  # ends the child
    finally:
        for descriptor in descriptors:  # the kernel's copies are its own
            os.close(descriptor)
    return pid


def become_kernel(request: dict, descriptors: list[int]) -> None:
    """In the child: run the kernel, then end (never returns into the fork server's loop)."""
    code = 1
    try:
        set_up_as_launched(request, descriptors)
        runpy.run_module(LAUNCHER, run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else 0 if leaving.code is None else 1
    except BaseException:
        traceback.print_exc()
    finally:
        atexit._run_exitfuncs()  # the kernel's own clean-up (its connection file, say), then no further:
        for stream in (sys.__stdout__, sys.__stderr__):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)  # the fork server's loop and its socket are not the child's to unwind


def set_up_as_launched(request: dict, descriptors: list[int]) -> None:
    """Make this child what ``python -m coachkit.ipykernel_launcher …`` (``request["argv"]``), started
    by jupyter_client with ``request``'s environment and folder, would be."""
    from setproctitle import setproctitle

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setsid()  # a session and process group of its own, as jupyter_client starts kernels
    setproctitle(" ".join(request["argv"]))  # what ``ps`` and the tests see: the kernel's own command
    stdout, stderr = descriptors
    null = os.open(os.devnull, os.O_RDONLY)
    for descriptor, target in ((null, 0), (stdout, 1), (stderr, 2)):
        os.dup2(descriptor, target)
        os.close(descriptor)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"], JPY_PARENT_PID=str(os.getppid()))
    sys.path[0] = os.getcwd()  # where ``python -m`` puts the folder it started in
    # ipykernel read $JPY_PARENT_PID as it was imported, here: the fork server is the parent to watch
    parent = f"--IPKernelApp.parent_handle={os.getppid()}"
    setup = "--IPKernelApp.extensions=coachkit.forkserver"  # load_ipython_extension, below
    sys.argv = [request["argv"][0], *request["argv"][3:], parent, setup]


def load_ipython_extension(_shell: object) -> None:
    """In a forked kernel, once it is a kernel: what the preloaded modules do as they are imported into
    one, which they could not do in the fork server. ipywidgets registers its comm targets (without
    them no widget reaches the page), and coachkit's kernel logging takes over ipykernel's own loggers,
    so that nothing they write can reach the page (``coachkit.logs.configure_kernel_logging``)."""
    import ipywidgets

    from coachkit.logs import configure_kernel_logging
    from coachkit.widgets.guard import log

    ipywidgets.register_comm_target()
    configure_kernel_logging(log)


if __name__ == "__main__":
    main()
