"""Key-reuse detection: the autograder against JAX's own checker, over the test bank.

Run from the repository root: ``python benchmarks/key_reuse.py``. Prints, for each
detector, how many offending cases it caught and how many clean cases it flagged,
split by key style, then the median wall time of one autograder check.
"""
from __future__ import annotations

import functools
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import jax  # noqa: E402
from jax.experimental.key_reuse import _core as jax_key_reuse  # noqa: E402

import autograder  # noqa: E402
from tests.autograder.key_reuse_bank import CASES  # noqa: E402


def autograder_flags(case) -> bool:
    return bool(autograder.find_key_reuse(case.fn, *case.args, **case.kwargs))


def jax_flags(case) -> bool:
    """JAX's experimental checker (the one behind ``jax_debug_key_reuse``)."""
    try:
        jax_key_reuse.check_key_reuse(functools.partial(case.fn, **case.kwargs), *case.args)
    except jax_key_reuse.KeyReuseError:
        return True
    return False


def tally(flags, cases) -> dict[str, tuple[int, int, int, int]]:
    rows = {}
    for style in ("typed", "legacy", "all"):
        chosen = [c for c in cases if style == "all" or c.name.endswith(f"[{style}]")]
        bad = [c for c in chosen if c.offending]
        good = [c for c in chosen if not c.offending]
        rows[style] = (
            sum(flags[c.name] for c in bad), len(bad),
            sum(flags[c.name] for c in good), len(good),
        )
    return rows


def main() -> None:
    start = time.perf_counter()
    ours = {c.name: autograder_flags(c) for c in CASES}  # also warms up tracing caches
    theirs = {c.name: jax_flags(c) for c in CASES}
    times = []
    for case in CASES:
        for _ in range(3):
            t0 = time.perf_counter()
            autograder.find_key_reuse(case.fn, *case.args, **case.kwargs)
            times.append(time.perf_counter() - t0)

    print(f"JAX {jax.__version__}: {len(CASES)} cases "
          f"({sum(c.offending for c in CASES)} offending, {sum(not c.offending for c in CASES)} clean)")
    print(f"{'detector':<28}{'keys':<8}{'caught':>10}{'false alarms':>15}")
    for label, flags in (("autograder.find_key_reuse", ours), ("jax key_reuse checker", theirs)):
        for style, (hit, bad, false, good) in tally(flags, CASES).items():
            print(f"{label:<28}{style:<8}{f'{hit}/{bad}':>10}{f'{false}/{good}':>15}")
    missed_by_jax = sorted(c.name for c in CASES if c.offending and not theirs[c.name])
    jax_false = sorted(c.name for c in CASES if not c.offending and theirs[c.name])
    ours_wrong = sorted(c.name for c in CASES if ours[c.name] != c.offending)
    print(f"autograder wrong on: {ours_wrong or 'none'}")
    print(f"JAX checker missed {len(missed_by_jax)}: {', '.join(missed_by_jax) or 'none'}")
    print(f"JAX checker false alarms: {', '.join(jax_false) or 'none'}")
    print(f"median wall time of one autograder check: {statistics.median(times) * 1e3:.1f} ms "
          f"(max {max(times) * 1e3:.1f} ms); benchmark took {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
