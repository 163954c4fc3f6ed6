"""The trusted screen of learner code: it flags every way to tamper with the checks, and no honest answer."""
from __future__ import annotations

import glob
import os

import nbformat
import pytest

from autograder.grading.demo import load_bank
from autograder.grading.screen import course_cells, screen_notebook

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCES = sorted(glob.glob(os.path.join(ROOT, "solutions", "*", "*.ipynb")))


def _with(nb: nbformat.NotebookNode, grade_id: str, source: str) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source
    return nb


@pytest.mark.parametrize("path", SOURCES, ids=os.path.basename)
def test_no_honest_answer_is_flagged(path):
    """The reference solution and every submission of the chapter bank (right or wrong) pass the screen."""
    nb = nbformat.read(path, as_version=4)
    trusted = course_cells(nb)
    assert screen_notebook(nb, trusted) == (None, [])
    bank = load_bank(ROOT, os.path.basename(os.path.dirname(path)))
    flagged = {}
    for grade_id, submissions in bank.items():
        for sub in submissions:
            _, found = screen_notebook(_with(nb, grade_id, sub.source), trusted)
            if found:
                flagged[(grade_id, sub.label)] = [str(f) for f in found]
    assert not flagged


FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "solutions", "00_fixture", "00_fixture.ipynb")
ATTACKS = {
    "__eq__": "class A:\n    def __eq__(self, o): return True",
    "__bool__": "class A:\n    def __bool__(self): return True",
    "__array__": "class A:\n    def __array__(self, *a): return 0",
    "__float__": "class A:\n    def __float__(self): return 2.0",
    "__jax_array__": "class A:\n    def __jax_array__(self): return jnp.zeros(3)",
    "rebinds 'trace'": "trace = lambda f, *a: None",
    "patches jnp.allclose": "jnp.allclose = lambda *a, **k: True",
    "uses get_ipython": "get_ipython().ast_transformers.append(None)",
    "uses setattr": "setattr(jnp, 'sum', len)",
    "reaches into __globals__": "double.__globals__['raise_findings'] = print",
    "imports builtins": "import builtins as b",
    "imports importlib": "from importlib import reload",
    "getattr with a computed": "getattr(jnp, '__di' + 'ct__')['allclose'] = lambda *a, **k: True",
    "getattr with a computed or dunder": "getattr(jnp, '__dict__')['sum'] = len",
}


@pytest.mark.parametrize("expected", list(ATTACKS))
def test_each_tampering_move_is_flagged_at_its_cell(expected):
    nb = _with(nbformat.read(FIXTURE, as_version=4), "ex2_total", ATTACKS[expected])
    first, found = screen_notebook(nb, course_cells(nbformat.read(FIXTURE, as_version=4)))
    assert nb.cells[first].metadata["nbgrader"]["grade_id"] == "ex2_total"
    assert any(expected in str(f) for f in found), found


def test_an_edited_setup_cell_is_learner_code():
    """Chapter set-up cells carry no nbgrader metadata (not locked): an edited one is screened like any answer."""
    source = nbformat.read(os.path.join(ROOT, "solutions", "03_grad", "03_grad.ipynb"), as_version=4)
    nb = nbformat.from_dict(source)
    setup = next(c for c in nb.cells if c.cell_type == "code" and "nbgrader" not in c.metadata)
    setup.source += "\nimport numpy\nnumpy.allclose = lambda *a, **k: True"
    first, found = screen_notebook(nb, course_cells(source))
    assert first == nb.cells.index(setup)
    assert any("patches numpy.allclose" in str(f) for f in found)
