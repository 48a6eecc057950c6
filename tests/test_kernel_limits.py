"""A client's kernel has a memory limit, and a kernel that meets it ends (its page resumes elsewhere); a
kernel whose page sends more than its share yields the processor to others.

Real child processes: one limited as the server limits a kernel it has just launched, one set up as a
served kernel's logging is, meeting a ``MemoryError``, and one with threads, given a lower priority.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest

from coachkit.kernels import LOWER_PRIORITY, limit_memory, lower_priority
from coachkit.logs import LOG_FILE_ENV, OUT_OF_MEMORY, OUT_OF_MEMORY_EXIT

MIB = 2**20
GROW = "import sys\nsys.stdin.readline()\nheld = bytearray({size})\nprint('grew', flush=True)\n"


@pytest.mark.skipif(not hasattr(resource, "prlimit"), reason="prlimit is Linux's")
def test_a_limited_process_cannot_grow_past_its_limit_and_one_within_it_can():
    for size, grows in ((64 * MIB, True), (512 * MIB, False)):
        child = subprocess.Popen(
            [sys.executable, "-c", GROW.format(size=size)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "MALLOC_ARENA_MAX": "2"},
        )
        assert limit_memory(child.pid, 384 * MIB)
        assert resource.prlimit(child.pid, resource.RLIMIT_AS) == (384 * MIB, 384 * MIB)
        out, err = child.communicate("go\n", timeout=60)
        assert ("grew" in out) is grows
        assert ("MemoryError" in err) is not grows


def test_no_limit_is_set_for_zero():
    assert limit_memory(os.getpid(), 0) is False


MEET_THE_LIMIT = (
    "from coachkit.widgets.guard import log\n"
    "try:\n    held = bytearray(10**15)\n"
    "except MemoryError:\n    log.exception('callback failed')\n"
    "print('carried on', flush=True)\n"
)


def test_a_served_kernel_that_meets_its_limit_logs_it_and_ends(tmp_path):
    env = {**os.environ, LOG_FILE_ENV: str(tmp_path / "kernels.log")}
    done = subprocess.run([sys.executable, "-c", MEET_THE_LIMIT], env=env, capture_output=True, text=True)
    assert done.returncode == OUT_OF_MEMORY_EXIT
    assert "builtins.MemoryError" in done.stderr and OUT_OF_MEMORY in done.stderr
    assert "carried on" not in done.stdout


def test_outside_the_server_a_memory_error_is_only_logged(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != LOG_FILE_ENV}
    done = subprocess.run([sys.executable, "-c", MEET_THE_LIMIT], env=env, capture_output=True, text=True)
    assert done.returncode == 0
    assert "carried on" in done.stdout


THREADS = (
    "import sys, threading\n"
    "threading.Thread(target=sys.stdin.readline, daemon=True).start()\n"
    "print('started', flush=True)\n"
    "sys.stdin.readline()\n"
)


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="threads' niceness is read from /proc")
def test_every_thread_of_a_kernel_given_a_lower_priority_has_it():
    child = subprocess.Popen(
        [sys.executable, "-c", THREADS], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "started\n"
        tasks = [int(task) for task in os.listdir(f"/proc/{child.pid}/task")]
        assert len(tasks) >= 2
        before = os.getpriority(os.PRIO_PROCESS, child.pid)  # a test run may be niced already
        lowered = min(19, max(before + 5, LOWER_PRIORITY))
        assert lowered > before
        lower_priority(child.pid, lowered)
        for task in tasks:
            assert os.getpriority(os.PRIO_PROCESS, task) == lowered
    finally:
        child.communicate("\n\n", timeout=30)
