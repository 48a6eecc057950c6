"""How busy other processes kept the machine while a benchmark ran.

Every half second a background thread reads the CPU time of every process on the machine, and notes
which are this process's descendants (servers, kernels, Chromium), remembering them even after they are
orphaned. Whatever the other processes spent is the "other work" a section's machine line reports.
CPU spent by a process after its last sample is missed, so the figure errs low, never high.
"""

from __future__ import annotations

import os
import threading
import time

import psutil

INTERVAL_SECONDS = 0.5

Key = tuple[int, float]
"""A process: its id and start time (an id alone can be reused)."""


class Watch:
    """Samples CPU use from ``start()`` until ``stop()``; ``other_cores()`` is the figure so far."""

    def __init__(self) -> None:
        self.me = os.getpid()
        self.ours: set[Key] = set()
        self.first: dict[Key, float] = {}
        self.last: dict[Key, float] = {}
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="load-watch", daemon=True)

    def start(self) -> Watch:
        self.sample(baseline=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.done.set()
        self.thread.join(timeout=5)

    def _run(self) -> None:
        while not self.done.wait(INTERVAL_SECONDS):
            self.sample()

    def sample(self, baseline: bool = False) -> None:
        """Read every process's CPU seconds; a process first seen after the baseline started at zero."""
        with self.lock:
            try:
                for child in psutil.Process(self.me).children(recursive=True):
                    self.ours.add((child.pid, child.create_time()))
            except psutil.Error:
                pass
            for process in psutil.process_iter(["create_time", "cpu_times"]):
                times = process.info["cpu_times"]
                if process.pid == self.me or times is None or process.info["create_time"] is None:
                    continue
                key = (process.pid, process.info["create_time"])
                seconds = times.user + times.system
                self.first.setdefault(key, seconds if baseline else 0.0)
                self.last[key] = seconds

    def other_cores(self) -> float:
        """Cores' worth of CPU that processes other than ours used since ``start()``."""
        self.sample()
        with self.lock:
            other = sum(self.last[key] - self.first[key] for key in self.last if key not in self.ours)
        return max(other, 0.0) / (time.monotonic() - self.started)


current: Watch | None = None
"""The watch of the benchmark now running (set by ``python -m benchmarks``)."""


def describe() -> str:
    """ "; other work on the machine meanwhile: … of N cores", or "" when nothing is watching."""
    if current is None:
        return ""
    return f"; other work on the machine meanwhile: {current.other_cores():.2f} of {os.cpu_count()} cores"
