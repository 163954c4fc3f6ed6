"""One `python -m autograder grade` command grading several assignments through one pool of workers."""
from __future__ import annotations

import csv
import glob
import os
import shutil

import pytest
from nbgrader.api import Gradebook

from autograder.grading.demo import build_demo_class

from .helpers import ASSIGNMENT, FIXTURES, run_cli

pytestmark = pytest.mark.slow

SECOND = "01_fixture_copy"
EXPECTED = {"student001_full": 6.0, "student002_partial": 4.0, "student003_anti": 0.0, "student004_crash": 0.0}


def _two_assignment_source(root: str) -> str:
    """The fixture course with its assignment also copied under a second name."""
    src = os.path.join(root, "source")
    shutil.copytree(FIXTURES, src)
    os.makedirs(os.path.join(src, "solutions", SECOND))
    shutil.copy(os.path.join(src, "solutions", ASSIGNMENT, f"{ASSIGNMENT}.ipynb"),
                os.path.join(src, "solutions", SECOND, f"{SECOND}.ipynb"))
    shutil.copy(os.path.join(src, "tests", "banks", f"{ASSIGNMENT}.py"),
                os.path.join(src, "tests", "banks", f"{SECOND}.py"))
    return src


def _totals(course: str, assignment: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{os.path.join(course, 'gradebook.db')}", "jax-course") as gb:
        return {sub.student.id: float(sum(g.score or 0 for nb in sub.notebooks for g in nb.grades))
                for sub in gb.assignment_submissions(assignment)}


def test_one_command_grades_every_assignment(tmp_path):
    course = str(tmp_path / "course")
    build_demo_class(_two_assignment_source(str(tmp_path)), course, students=len(EXPECTED))
    # no assignment named: every assignment of solutions/ that has submissions, in one run
    out = run_cli("grade", "--course-dir", course, "--workers", "2", "--timeout", "30", "--quiet",
                  course=course).stdout
    for name in (ASSIGNMENT, SECOND):
        assert f"{name}: 3 graded, 1 scored 0" in out, out
        assert _totals(course, name) == EXPECTED
        assert len(glob.glob(os.path.join(course, "reports", name, "runs", "*.csv"))) == 1
        assert len(glob.glob(os.path.join(course, "reports", name, "feedback", "*.html"))) == len(EXPECTED)
    scores = list(csv.DictReader(open(os.path.join(course, "reports", "class_scores.csv"))))
    assert {(r["assignment"], r["student"]) for r in scores} == {(a, s) for a in (ASSIGNMENT, SECOND)
                                                                 for s in EXPECTED}
    patterns = list(csv.DictReader(open(os.path.join(course, "reports", "class_anti_patterns.csv"))))
    assert {r["assignment"] for r in patterns if r["anti_pattern"] == "python-loop"} == {ASSIGNMENT, SECOND}
    assert os.path.getsize(os.path.join(course, "reports", "class.png")) > 10_000

    # incremental: nothing changed, nothing runs; naming both assignments works too
    again = run_cli("grade", ASSIGNMENT, SECOND, "--course-dir", course, "--timeout", "30", "--quiet",
                    course=course).stdout
    for name in (ASSIGNMENT, SECOND):
        assert f"{name}: 0 graded, 0 scored 0 (could not be graded), 4 unchanged" in again, again
        assert _totals(course, name) == EXPECTED
