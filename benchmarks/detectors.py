"""Every detector on its bank: offending functions caught, clean functions flagged, time of one check.

Run from the repository root with any supported JAX: ``python benchmarks/detectors.py``.
One line per detector: ``caught/offending``, ``false alarms/clean`` and the median wall time of
one check over the whole bank: the first check of each function (what a learner waits for), then
``--repeats`` more, and those over its clean functions only. The banks are ``tests/autograder/banks``. Targets: every offending function caught, no
false alarm, and a median under 50 ms for every detector.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import jax  # noqa: E402

from tests.autograder.banks import BANKS, load, run  # noqa: E402


def measure(name: str, repeats: int) -> tuple[int, int, int, int, float, float, float]:
    """(caught, offending, false alarms, clean, median seconds of the first check of each function,
    median of one check, the same over clean functions only: what a correct learner waits for)."""
    bank = load(name)
    first: list[float] = []
    flagged: dict[bool, int] = {True: 0, False: 0}
    for clean, case in [(False, c) for c in bank.OFFENDING] + [(True, c) for c in bank.CLEAN]:
        start = time.perf_counter()
        flagged[clean] += bool(run(bank, case))
        first.append(time.perf_counter() - start)
    caught, alarms = flagged[False], flagged[True]
    times: dict[bool, list[float]] = {True: [], False: []}
    for clean, case in [(False, c) for c in bank.OFFENDING] + [(True, c) for c in bank.CLEAN]:
        for _ in range(repeats):
            start = time.perf_counter()
            run(bank, case)
            times[clean].append(time.perf_counter() - start)
    every = statistics.median(times[True] + times[False])
    return (caught, len(bank.OFFENDING), alarms, len(bank.CLEAN), statistics.median(first), every,
            statistics.median(times[True]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2, help="timed checks per function (default 2)")
    parser.add_argument("banks", nargs="*", default=BANKS, help="banks to run (default: all)")
    options = parser.parse_args()
    print(f"JAX {jax.__version__}, Python {sys.version.split()[0]}, {jax.devices()[0].platform}")
    print(f"{'detector':<22}{'caught':>10}{'false alarms':>15}{'first check':>15}{'median check':>15}"
          f"{'(clean only)':>15}")
    for name in options.banks:
        caught, offending, alarms, clean, first, median, median_clean = measure(name, options.repeats)
        print(f"{name:<22}{f'{caught}/{offending}':>10}{f'{alarms}/{clean}':>15}{first * 1e3:>12.1f} ms"
              f"{median * 1e3:>12.1f} ms{median_clean * 1e3:>12.1f} ms")


if __name__ == "__main__":
    main()
