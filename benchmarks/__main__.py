"""Run the benchmarks named on the command line, or all of them.

After each one it prints how busy other processes kept the machine (also in its section's machine line).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from benchmarks import (
    durable,
    fairness,
    first_input,
    gate,
    kernel_memory,
    lifetimes,
    lighthouse,
    live_cost,
    live_view,
    load,
    mobile,
    practice,
    reminders,
    save_step,
    slow_phone,
    ten_clients,
    tidy_frame,
    worksheet_files,
)

BENCHMARKS: dict[str, Callable[[], None]] = {
    "tidy_frame": tidy_frame.main,
    "save_step": save_step.main,
    "first_input": first_input.main,
    "kernel_memory": kernel_memory.main,
    "ten_clients": ten_clients.main,
    "mobile": mobile.main,
    "slow_phone": slow_phone.main,
    "lighthouse": lighthouse.main,
    "gate": gate.main,
    "lifetimes": lifetimes.main,
    "fairness": fairness.main,
    "durable": durable.main,
    "practice": practice.main,
    "worksheet_files": worksheet_files.main,
    "reminders": reminders.main,
    "live_cost": live_cost.main,
    "live_view": live_view.main,
}


BUSY = 1.0
"""A one-minute load average above this before starting means something else is running."""


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    started = time.monotonic()
    average = os.getloadavg()[0]
    if average > BUSY:
        print(f"warning: load average {average:.1f} before starting; other work will make the figures noisy")
    for name in names or BENCHMARKS:
        print(f"\n== {name}", flush=True)
        load.current = load.Watch().start()
        try:
            BENCHMARKS[name]()
            print(f"({name}{load.describe()})")
        finally:
            load.current.stop()
            load.current = None
    print(f"\nall done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
