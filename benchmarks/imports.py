"""Benchmark: what the imports every process pays cost, and how much of it two packages are.

Every graded notebook, lesson run and test kernel imports JAX; every grading command, worker, nbgrader
run and test worker imports nbformat. Runs each import in fresh interpreters of this environment
(``-X importtime``) and prints the median time of the whole import and of the part that the course's
pins (pyproject.toml) remove: ml_dtypes 0.7's extension (~0.6 s on Python 3.11) inside ``import jax``, and jsonschema
>= 4.24's rfc3987-syntax grammars (~1.6 s) inside ``import nbformat``.

    .venv/bin/python benchmarks/imports.py --repeat 5
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

# the import, and the module inside it that a pin removes
IMPORTS = {"jax": "ml_dtypes", "nbformat": "rfc3987_syntax"}


def _import_times(module: str) -> dict[str, float]:
    """Cumulative import seconds per module of one fresh ``import module``."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True,
                         text=True, check=True).stderr
    times = {}
    for line in err.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and parts[1].strip().isdigit():
            times[parts[2].strip()] = int(parts[1]) / 1e6
    return times


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, jax {_version('jax')}, ml_dtypes {_version('ml_dtypes')}, "
          f"jsonschema {_version('jsonschema')}")
    for module, part in IMPORTS.items():
        runs = [_import_times(module) for _ in range(args.repeat)]
        whole = statistics.median(r[module] for r in runs)
        inside = statistics.median(r.get(part, 0.0) for r in runs)
        print(f"import {module}: {whole:.3f} s   of which {part}: {inside:.3f} s ({inside / whole:.0%})")


if __name__ == "__main__":
    main()
