"""Every lesson runs top to bottom headless, creates its figures and widgets, and follows the standard."""
from __future__ import annotations

import re

import nbformat
import pytest

from tests.course_layout import assignments, lessons
from tests.nbval_run import run_nbval

LESSONS = lessons()


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_follows_the_standard(path):
    nb = nbformat.read(path, as_version=4)
    first_md = next(c for c in nb.cells if c.cell_type == "markdown")
    assert "colab.research.google.com" in first_md.source and path.name in first_md.source, "Colab badge"
    assert "mybinder.org" in first_md.source and path.name in first_md.source, "Binder link"
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    for needed in ("jax.__version__", "jax.default_backend()", "jax.devices()"):
        assert needed in first_code.source, f"the first code cell should show {needed}"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    chapter = path.stem
    assert chapter in assignments(), f"no exercise set solutions/{chapter}"
    assert f"exercises/{chapter}" in text, "the lesson should point to its exercise set"
    last_md = [c for c in nb.cells if c.cell_type == "markdown"][-1].source
    assert re.search(r"^\|.*\|\s*$", last_md, re.M), "the lesson should end with the cheatsheet map table"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "from autograder import" in code or "import autograder" in code, "try-it cells use autograder"
    assert "ipywidgets" in code and "matplotlib" in code


@pytest.mark.slow
@pytest.mark.every_jax
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_under_nbval_with_figures_and_widgets(path):
    """Executed once, headless, under `pytest --nbval-lax`: every cell runs (tagged ones raise), it draws a
    figure and creates a widget, and cells tagged nbval-check-output still print their saved output."""
    run_nbval(path)


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_saved_lesson_shows_its_figure_in_a_static_render(path):
    nb = nbformat.read(path, as_version=4)
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]
    assert any("image/png" in out.get("data", {}) for out in outputs), "save the lesson with its figure output"
