"""Time each lesson run headless, against the chapter standard's 60 s budget.

Prints, per lesson, the seconds to execute it top to bottom in a fresh kernel, the baseline
(a fresh kernel that only imports JAX and runs one jitted op, measured in the same run), and
the lesson's time as a fraction of the budget.

    python benchmarks/lessons.py [notebooks/01_arrays_devices.ipynb ...]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
BUDGET_S = 60.0
BASELINE = "import jax, jax.numpy as jnp\njax.jit(lambda x: x + 1)(jnp.ones(3)).block_until_ready()"


def execute_seconds(nb: nbformat.NotebookNode) -> float:
    """Seconds to start a kernel and run ``nb`` top to bottom."""
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(REPO / "notebooks")}}).execute()
    return time.perf_counter() - start


def main(paths: list[str]) -> None:
    lessons = [Path(p) for p in paths] or sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    baseline = execute_seconds(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE)]))
    print(f"baseline (kernel start + import jax + one jit): {baseline:.1f} s")
    print(f"{'lesson':<28} {'seconds':>8} {'x baseline':>11} {'of 60 s budget':>15}")
    for path in lessons:
        seconds = execute_seconds(nbformat.read(path, as_version=4))
        print(f"{path.stem:<28} {seconds:8.1f} {seconds / baseline:11.1f} {seconds / BUDGET_S:14.0%}")


if __name__ == "__main__":
    main(sys.argv[1:])
