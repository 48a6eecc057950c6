"""Client kernels forked from the fork server: real kernels, started, used, interrupted, restarted and
shut down through the server's own kernel manager, as ``coachkit serve`` starts them."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import psutil
import pytest
from jupyter_client.provisioning.factory import KernelProvisionerFactory
from traitlets.config import Config

from coachkit import forked_kernels
from coachkit.forked_kernels import FORK_SERVERS, ForkedProcess, forkable
from coachkit.forkserver import LAUNCHER, PRELOAD, preloaded
from coachkit.kernels import SafeKernelManager
from coachkit.serve import FORKED_PROVISIONER

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="kernels are forked on Linux only")
MIB = 2**20


@pytest.fixture
def forking():
    """Kernel managers of this process fork their kernels; the fork server is ended afterwards."""
    factory = KernelProvisionerFactory.instance()
    was = factory.default_provisioner_name
    factory.default_provisioner_name = FORKED_PROVISIONER
    yield
    factory.default_provisioner_name = was
    FORK_SERVERS.close()


def manager(tmp_path: Path) -> SafeKernelManager:
    settings = Config()
    settings.SafeKernelManager.kernel_env = {"COACHKIT_TEST_MARK": "every kernel"}
    settings.SafeKernelManager.log_file = str(tmp_path / "kernels.log")
    settings.KernelManager.transport = "ipc"
    return SafeKernelManager(config=settings, connection_file=str(tmp_path / "kernel-forked.json"))


async def run(client, code: str) -> str:  # type: ignore[no-untyped-def]
    """What ``code`` prints in the kernel."""
    printed: list[str] = []

    def keep(message):  # type: ignore[no-untyped-def]
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    reply = await client.execute_interactive(code, timeout=30, output_hook=keep)
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(printed)


async def start(kernels: SafeKernelManager, cwd: Path, query: str):  # type: ignore[no-untyped-def]
    await kernels.start_kernel(env={**os.environ, "QUERY_STRING": query}, cwd=str(cwd))
    client = kernels.client()
    client.start_channels()
    await client.wait_for_ready(timeout=60)
    return client


def test_a_client_kernel_is_forked_and_is_the_kernel_its_command_says(forking, tmp_path):
    async def scenario():
        kernels = manager(tmp_path)
        client = await start(kernels, tmp_path, "session=7")
        try:
            kernel = psutil.Process(kernels.provisioner.pid)
            assert isinstance(kernels.provisioner.process, ForkedProcess)
            assert kernel.ppid() == FORK_SERVERS.server.process.pid
            command = " ".join(kernel.cmdline())
            assert LAUNCHER in command and "kernel-forked.json" in command
            assert os.getpgid(kernel.pid) == kernel.pid  # its own process group: signals reach it alone
            said = await run(
                client,
                "import os, sys\n"
                "print(os.environ['QUERY_STRING'], os.environ['COACHKIT_TEST_MARK'], os.getcwd(), sep='|')\n"
                "print('COACHKIT_LOG_FILE' in os.environ, 'sqlalchemy' in sys.modules, sep='|')\n"
                "print('to the log', file=sys.__stdout__, flush=True)\n",
            )
            assert said.splitlines() == [f"session=7|every kernel|{tmp_path}", "True|True"]
            assert kernel.environ()["MALLOC_ARENA_MAX"] == "2"  # set as the fork server started
            assert FORK_SERVERS.server.process.pid == kernel.ppid()
            assert psutil.Process(kernel.ppid()).num_threads() == 1  # so each fork is a whole copy
        finally:
            client.stop_channels()
            await kernels.shutdown_kernel()
        assert not kernel.is_running() or kernel.status() == psutil.STATUS_ZOMBIE
        for _ in range(50):
            if "to the log" in (tmp_path / "kernels.log").read_text():
                break
            await asyncio.sleep(0.1)
        assert "to the log" in (tmp_path / "kernels.log").read_text()

    asyncio.run(scenario())


def test_a_forked_kernel_is_interrupted_restarted_and_shares_what_it_imported(forking, tmp_path):
    async def scenario():
        kernels = manager(tmp_path)
        client = await start(kernels, tmp_path, "session=8")
        try:
            running = client.execute("import time\ntime.sleep(60)")
            await asyncio.sleep(1)
            await kernels.interrupt_kernel()
            reply = await client.get_shell_msg(timeout=30)
            assert reply["parent_header"]["msg_id"] == running
            assert reply["content"]["ename"] == "KeyboardInterrupt"
            memory = psutil.Process(kernels.provisioner.pid).memory_full_info()
            assert memory.uss < memory.rss - 20 * MIB  # ipykernel, SQLAlchemy, coachkit: shared pages
            first = kernels.provisioner.pid
            await kernels.restart_kernel(now=True)
            await client.wait_for_ready(timeout=60)
            assert kernels.provisioner.pid != first and not psutil.pid_exists(first)
            assert await run(client, "print('after the restart')") == "after the restart\n"
        finally:
            client.stop_channels()
            await kernels.shutdown_kernel(now=True)

    asyncio.run(scenario())


def test_two_kernels_share_nothing_they_make(forking, tmp_path):
    async def scenario():
        first, second = manager(tmp_path / "a"), manager(tmp_path / "b")
        for folder in ("a", "b"):
            (tmp_path / folder).mkdir()
        one = await start(first, tmp_path / "a", "session=1")
        other = await start(second, tmp_path / "b", "session=2")
        try:
            await run(one, "secret = 'only mine'")
            assert await run(other, "print('secret' in globals())") == "False\n"
            draws = [await run(client, "import random\nprint(random.random())") for client in (one, other)]
            assert draws[0] != draws[1]  # each child's generator is seeded afresh
        finally:
            for client, kernels in ((one, first), (other, second)):
                client.stop_channels()
                await kernels.shutdown_kernel(now=True)

    asyncio.run(scenario())


def test_a_fork_server_that_has_gone_is_replaced(forking, tmp_path):
    async def scenario():
        kernels = manager(tmp_path)
        client = await start(kernels, tmp_path, "session=3")
        gone = FORK_SERVERS.server.process
        client.stop_channels()
        await kernels.shutdown_kernel(now=True)
        gone.kill()
        gone.wait()
        kernels = manager(tmp_path)
        client = await start(kernels, tmp_path, "session=4")
        try:
            assert psutil.Process(kernels.provisioner.pid).ppid() == FORK_SERVERS.server.process.pid
            assert FORK_SERVERS.server.process.pid != gone.pid
            assert await run(client, "print('here')") == "here\n"
        finally:
            client.stop_channels()
            await kernels.shutdown_kernel(now=True)

    asyncio.run(scenario())


def test_only_a_client_kernel_of_this_python_is_forked():
    assert forkable([sys.executable, "-m", LAUNCHER, "-f", "kernel.json"])
    assert not forkable([sys.executable, "-m", "ipykernel_launcher", "-f", "kernel.json"])
    assert not forkable(["/usr/bin/python3", "-m", LAUNCHER, "-f", "kernel.json"])


def test_without_a_fork_server_a_kernel_still_starts_as_its_own_process(forking, tmp_path, monkeypatch):
    monkeypatch.setattr(forked_kernels, "READY_TIMEOUT_SECONDS", 0.01)  # it never gets ready in time

    async def scenario():
        kernels = manager(tmp_path)
        client = await start(kernels, tmp_path, "session=5")
        try:
            assert psutil.Process(kernels.provisioner.pid).ppid() == os.getpid()  # Popen'd, by this server
            assert await run(client, "print('started anyway')") == "started anyway\n"
            assert FORK_SERVERS.server is None  # given up for a while: the next kernels start at once
        finally:
            client.stop_channels()
            await kernels.shutdown_kernel(now=True)

    asyncio.run(scenario())
    FORK_SERVERS.failed_at = -forked_kernels.RETRY_AFTER_SECONDS


def test_a_practice_s_kernels_share_the_postgresql_driver_too():
    assert "sqlalchemy.dialects.postgresql.psycopg" in preloaded("postgresql+psycopg://coach@/practice")
    assert "sqlalchemy.dialects.postgresql.psycopg" not in preloaded("sqlite:////srv/coach/store.sqlite")
    assert set(PRELOAD) <= set(preloaded(""))
