"""Run the benchmarks named on the command line, or all of them."""

from __future__ import annotations

import sys
from collections.abc import Callable

from benchmarks import tidy_frame

BENCHMARKS: dict[str, Callable[[], None]] = {"tidy_frame": tidy_frame.main}


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    for name in names or BENCHMARKS:
        BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
