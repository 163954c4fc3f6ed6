"""Benchmark: what importing JAX costs a fresh kernel, and how much of it is ml_dtypes.

Every graded notebook, lesson run and test kernel pays this once. Runs ``import jax`` in fresh
interpreters of this environment (``-X importtime``) and prints the median time of the whole import
and of ml_dtypes' extension inside it, and that share. ml_dtypes 0.7 takes ~0.6 s on Python 3.11
(0.03 s on 3.13); the Makefile and environment files pin ``ml_dtypes<0.7`` for that reason.

    .venv/bin/python benchmarks/imports.py --repeat 5
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys


def _import_times() -> dict[str, float]:
    """Cumulative import seconds per module of one fresh ``import jax``."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import jax"], capture_output=True,
                         text=True, check=True).stderr
    times = {}
    for line in err.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and parts[1].strip().isdigit():
            times[parts[2].strip()] = int(parts[1]) / 1e6
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    runs = [_import_times() for _ in range(args.repeat)]
    whole = statistics.median(r["jax"] for r in runs)
    dtypes = statistics.median(r.get("ml_dtypes", 0.0) for r in runs)
    from importlib.metadata import version

    print(f"Python {sys.version.split()[0]}, jax {version('jax')}, ml_dtypes {version('ml_dtypes')}")
    print(f"import jax: {whole:.3f} s   of which ml_dtypes: {dtypes:.3f} s ({dtypes / whole:.0%})")


if __name__ == "__main__":
    main()
