"""Every detector on its bank: offending functions caught, clean functions flagged, time of one check.

Run from the repository root with any supported JAX: ``python benchmarks/detectors.py``.
One line per detector: ``caught/offending``, ``false alarms/clean`` and the median wall time of
one check over the whole bank, and over its clean functions only (each function checked once to
warm up, then timed ``--repeats`` times). The banks are ``tests/autograder/banks``. Targets: every offending function caught, no
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


def measure(name: str, repeats: int) -> tuple[int, int, int, int, float, float]:
    """(caught, offending, false alarms, clean, median seconds of one check, the same over clean
    functions only: what a correct learner waits for) for one bank."""
    bank = load(name)
    caught = sum(bool(run(bank, case)) for case in bank.OFFENDING)
    alarms = sum(bool(run(bank, case)) for case in bank.CLEAN)
    times: dict[bool, list[float]] = {True: [], False: []}
    for clean, case in [(False, c) for c in bank.OFFENDING] + [(True, c) for c in bank.CLEAN]:
        for _ in range(repeats):
            start = time.perf_counter()
            run(bank, case)
            times[clean].append(time.perf_counter() - start)
    every = statistics.median(times[True] + times[False])
    return caught, len(bank.OFFENDING), alarms, len(bank.CLEAN), every, statistics.median(times[True])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2, help="timed checks per function (default 2)")
    parser.add_argument("banks", nargs="*", default=BANKS, help="banks to run (default: all)")
    options = parser.parse_args()
    print(f"JAX {jax.__version__}, Python {sys.version.split()[0]}, {jax.devices()[0].platform}")
    print(f"{'detector':<22}{'caught':>10}{'false alarms':>15}{'median check':>15}{'(clean only)':>15}")
    for name in options.banks:
        caught, offending, alarms, clean, median, median_clean = measure(name, options.repeats)
        print(f"{name:<22}{f'{caught}/{offending}':>10}{f'{alarms}/{clean}':>15}{median * 1e3:>12.1f} ms"
              f"{median_clean * 1e3:>12.1f} ms")


if __name__ == "__main__":
    main()
