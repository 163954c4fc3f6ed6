"""The nbval run the suite uses really compares: a tagged cell whose saved output no longer matches fails,
timings, addresses and device lists are sanitised, and the course's own extra checks hold."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tests.nbval_run import run_nbval


def _notebook(folder: Path, name: str, cells: list[tuple[str, str, list[str]]]) -> Path:
    """A notebook whose code cells carry saved stdout ``saved`` and ``tags``."""
    nb = nbformat.v4.new_notebook()
    for count, (source, saved, tags) in enumerate(cells, 1):
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": tags}, execution_count=count)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=saved)] if saved else []
        nb.cells.append(cell)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_tagged_output_is_compared_after_sanitising(tmp_path):
    stable = [
        ("print(6 * 7)", "42\n", ["nbval-check-output"]),
        ("import jax\nprint('took 1.25 ms on', jax.devices(), hex(id(jax)))",
         "took 88 ms on [CpuDevice(id=0), CpuDevice(id=1)] 0x7f00deadbeef\n", ["nbval-check-output"]),
        ("print('untagged: free to change')", "something else\n", []),
    ]
    run_nbval(_notebook(tmp_path, "stable.ipynb", stable))
    drifted = [("print(6 * 7)", "41\n", ["nbval-check-output"])]
    with pytest.raises(AssertionError, match="nbval failed"):
        run_nbval(_notebook(tmp_path, "drifted.ipynb", drifted))


@pytest.mark.slow
def test_a_tagged_cell_that_does_not_raise_fails(tmp_path):
    with pytest.raises(AssertionError, match="tagged raises-exception but did not raise"):
        run_nbval(_notebook(tmp_path, "quiet.ipynb", [("x = 1", "", ["raises-exception"])]))


@pytest.mark.slow
def test_a_lesson_without_figure_or_widget_fails(tmp_path):
    with pytest.raises(AssertionError, match="did not create a figure"):
        run_nbval(_notebook(tmp_path / "notebooks", "00_plain.ipynb", [("print(1)", "1\n", [])]))
