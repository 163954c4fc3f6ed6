"""In a real kernel, checks read well: a pass line, the failure message first with few lines under it,
and nbgrader still records exactly what it recorded before (a failing cell errors, a passing one passes)."""
from __future__ import annotations

import nbformat
import pytest

from tests.course_layout import source_notebook
from tests.exercise_bank import ExerciseNotebook, load_bank

CELLS = {
    "imports": "import jax, jax.numpy as jnp\nfrom autograder import assert_close, assert_no_key_reuse, check",
    "two_passing": "assert_close(jnp.ones(3), jnp.ones(3))\nassert_close(2.0, 2.0)",
    "wrong_value": "x = jnp.arange(3.0)\nassert_close(x * 2, jnp.array([0.0, 2.0, 5.0]))",
    "key_reuse": ("def draw(key):\n    a = jax.random.normal(key)\n    b = jax.random.normal(key)\n    return a + b\n"
                  "assert_no_key_reuse(draw, jax.random.key(0))"),
    "self_check": "check(assert_close, 1.0, 1.0)",
    "submodule_import": ("from autograder.detectors.jit_scope import assert_single_jit\n"
                         "assert_single_jit(jax.jit(lambda v: v * 2), jnp.ones(2))"),
    "no_checks": "print('plain cell')",
    "passing_then_error": "assert_close(1.0, 1.0)\nraise ValueError('boom')",
}


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def _error(cell):
    return next((o for o in cell.outputs if o.output_type == "error"), None)


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS.values()]
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    return dict(zip(CELLS, nb.cells))


@pytest.mark.slow
def test_passing_cell_prints_one_short_line(executed):
    assert _text(executed["two_passing"]).strip() == "✓ 2 checks passed"
    assert _error(executed["two_passing"]) is None


@pytest.mark.slow
def test_checks_imported_from_a_submodule_count_too(executed):
    assert _text(executed["submodule_import"]).strip() == "✓ 1 check passed"


@pytest.mark.slow
def test_no_pass_line_where_check_prints_its_own_verdict_or_nothing_was_checked(executed):
    assert _text(executed["self_check"]).strip() == "✅ Correct!"
    assert _text(executed["no_checks"]).strip() == "plain cell"
    assert "✓" not in _text(executed["passing_then_error"]), "a cell that raised must not say it passed"


@pytest.mark.slow
def test_failure_shows_the_message_first_and_few_lines(executed):
    error = _error(executed["wrong_value"])
    assert error is not None and error.ename == "AssertionError"
    message = error.evalue.splitlines()
    assert error.traceback[0] == f"✗ {message[0]}", error.traceback
    assert "yours = 4.0 vs expected = 5.0" in "\n".join(error.traceback[:len(message) + 1])
    lines = "\n".join(error.traceback).splitlines()
    assert len(lines) <= len(message) + 2, lines
    assert lines[-1] == ("The failing check: line 2 of this cell: "
                         "assert_close(x * 2, jnp.array([0.0, 2.0, 5.0]))")
    assert "compare.py" not in "\n".join(lines) and "site-packages" not in "\n".join(lines)


@pytest.mark.slow
def test_anti_pattern_failure_shows_the_whole_explanation_first(executed):
    error = _error(executed["key_reuse"])
    assert error is not None and error.ename == "AntiPatternError"
    shown = "\n".join(error.traceback)
    assert shown.startswith("✗ [anti-pattern: key-reuse]")
    assert error.evalue in shown, "the whole message (what, where, why, fix) is shown"
    assert len(shown.splitlines()) <= len(error.evalue.splitlines()) + 2


@pytest.mark.slow
def test_other_errors_keep_their_usual_traceback(executed):
    error = _error(executed["passing_then_error"])
    assert error is not None and error.ename == "ValueError"
    assert not error.traceback[0].startswith("✗")


@pytest.mark.slow
def test_real_nbgrader_scores_a_wrong_answer_as_before_and_shows_the_same_text(tmp_path):
    from tests.nbgrader_course import autograde, make_course

    assignment, exercise = "03_grad", "ex1_slope"
    wrong = next(s for s in load_bank(assignment)[exercise] if not s.correct and "off-by-one" in s.label)
    book = ExerciseNotebook(source_notebook(assignment))
    # An off-by-one answer still uses autodiff: it loses the values cell's points, not the autodiff cell's.
    lost = sum(c.metadata.nbgrader["points"] for c in book.test_cells(exercise)
               if c.metadata.nbgrader["grade_id"] == f"{exercise}_test")
    nb = nbformat.read(source_notebook(assignment), 4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == exercise:
            cell.source = wrong.source
    course = make_course(tmp_path, assignment)
    score, max_score = autograde(course, assignment, nb, "learner")
    assert score == max_score - lost, f"{score}/{max_score}, expected to lose exactly {lost}"
    graded = nbformat.read(course / "autograded" / "learner" / assignment / f"{assignment}.ipynb", 4)
    tests = [c for c in graded.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade")
             and c.cell_type == "code"]
    failed = [c for c in tests if _error(c) is not None]
    assert failed and all(c.metadata.nbgrader["grade_id"].startswith(exercise) for c in failed)
    for cell in failed:
        error = _error(cell)
        assert error.traceback[0] == f"✗ {error.evalue.splitlines()[0]}"
    assert all(_text(c).strip().startswith("✓") for c in tests if c not in failed and "assert" in c.source)
