"""Every exercise set meets the chapter standard: structure, release in sync, real nbgrader scores,
and its bank of wrong and alternative submissions graded as expected."""
from __future__ import annotations

import json
import re

import nbformat
import pytest

from tests.course_layout import assignments, release_notebook, source_notebook
from tests.exercise_bank import ExerciseNotebook, load_bank
from tests.nbgrader_course import autograde, make_course

ASSIGNMENTS = assignments()
# Each exercise's bank names these kinds of wrong answers where the exercise has them.
HARD_CODED = re.compile(r"hard.?coded", re.I)


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exercise_set_structure(assignment):
    book = ExerciseNotebook(source_notebook(assignment))
    assert len(book.solution_ids) >= 8, f"{assignment}: {len(book.solution_ids)} exercises, the standard asks for 8"
    markdown = "\n".join(c.source for c in book.cells if c.cell_type == "markdown")
    for exercise in book.solution_ids:
        tests = book.test_cells(exercise)
        assert tests, f"{exercise} has no test cells"
        assert all(_meta(c).get("points", 0) > 0 for c in tests), f"{exercise}: a test cell without points"
        assert any("### BEGIN HIDDEN TESTS" in c.source for c in tests), f"{exercise}: no hidden tests"
        assert "NotImplementedError" not in book.reference(exercise), f"{exercise}: the source must hold a solution"
    assert markdown.count("<summary>Hint") >= len(book.solution_ids), f"{assignment}: hints missing"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_is_generated_from_source(assignment, tmp_path):
    course = make_course(tmp_path, assignment)
    fresh = json.loads((course / "exercises" / assignment / f"{assignment}.ipynb").read_text())
    committed = json.loads(release_notebook(assignment).read_text())
    assert fresh == committed, f"exercises/{assignment} is out of date: run `make release`"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_real_nbgrader_full_marks_for_source_and_zero_for_release(assignment, tmp_path):
    course = make_course(tmp_path, assignment)
    score, max_score = autograde(course, assignment, nbformat.read(source_notebook(assignment), 4), "solved")
    assert max_score > 0 and score == max_score, f"source scored {score}/{max_score}"
    score, max_score = autograde(course, assignment, nbformat.read(release_notebook(assignment), 4), "blank")
    assert score == 0 and max_score > 0, f"released stub scored {score}/{max_score}"


def _bank_cases():
    for assignment in ASSIGNMENTS:
        try:
            bank = load_bank(assignment)
        except FileNotFoundError:
            bank = {}
        for exercise, submissions in bank.items():
            for sub in submissions:
                yield pytest.param(assignment, exercise, sub, id=f"{assignment}-{exercise}-{sub.label}")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_has_a_full_bank(assignment):
    book = ExerciseNotebook(source_notebook(assignment))
    bank = load_bank(assignment)
    for exercise in book.solution_ids:
        subs = bank.get(exercise, [])
        right = [s for s in subs if s.correct]
        wrong = [s for s in subs if not s.correct]
        assert len(right) >= 2, f"{exercise}: needs 2 correct alternatives in other styles, has {len(right)}"
        assert len(wrong) >= 3, f"{exercise}: needs wrong submissions, has {len(wrong)}"
        assert any(HARD_CODED.search(s.label) for s in wrong), f"{exercise}: no hard-coded visible answer"
        assert all(s.source.strip() != book.reference(exercise).strip() for s in right), (
            f"{exercise}: an 'alternative' is the reference itself"
        )


@pytest.mark.every_jax
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_solutions_score_full_marks(assignment):
    book = ExerciseNotebook(source_notebook(assignment))
    for exercise in book.solution_ids:
        result = book.grade(exercise, book.reference(exercise))
        assert result.full_marks, f"{exercise}: reference lost points: {result.failures}"


@pytest.mark.every_jax
@pytest.mark.parametrize("assignment,exercise,submission", list(_bank_cases()))
def test_bank_submission(assignment, exercise, submission):
    result = ExerciseNotebook(source_notebook(assignment)).grade(exercise, submission.source)
    if submission.correct:
        assert result.full_marks, f"correct alternative lost points: {result.failures}"
        return
    assert not result.full_marks, "a wrong submission scored full marks"
    if submission.anti_pattern:
        tag = f"[anti-pattern: {submission.anti_pattern}]"
        assert any(tag in msg for msg in result.failures.values()), (
            f"expected a failure tagged {tag}, got: {result.failures}"
        )
