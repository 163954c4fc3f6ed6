"""Run real nbgrader on one assignment in a throw-away copy of the course.

The nbgrader helpers are imported inside the functions: the oldest-JAX environment collects the
modules that import this one but has no nbgrader.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent


def make_course(tmp: Path, assignment: str) -> Path:
    """A course folder in ``tmp`` holding ``assignment``'s source, released by real nbgrader."""
    from autograder.grading.course import release
    from autograder.grading.grader import use_this_environment

    use_this_environment()  # nbgrader starts `alembic` by name, and kernels must be this environment's
    course = tmp / "course"
    shutil.copytree(REPO / "solutions" / assignment, course / "solutions" / assignment)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    release(str(course), [assignment])
    return course


def autograde(course: Path, assignment: str, notebook: nbformat.NotebookNode, student: str = "learner") -> tuple[float, float]:
    """Submit ``notebook`` as ``student``, run ``nbgrader autograde`` and return (score, max_score)."""
    from autograder.grading.course import nbgrader
    from nbgrader.api import Gradebook

    name = next((REPO / "solutions" / assignment).glob("*.ipynb")).name
    target = course / "submitted" / student / assignment / name
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    nbgrader(str(course), "autograde", assignment, "--student", student, "--force")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return submission.score, submission.max_score
