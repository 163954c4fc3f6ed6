"""The grading command against real nbgrader, real kernels, real PostgreSQL and a real Dask cluster."""
from __future__ import annotations

import csv
import glob
import os

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.grading.grader import normalize_db_url

from .helpers import ASSIGNMENT, copy_course, nbgrader, run_cli

pytestmark = pytest.mark.slow

COMPARABLE = ["student001_full", "student002_partial", "student003_anti", "student004_crash",
              "student006_malformed"]
HIDDEN_SOURCE = "secret_hidden_probe"


def scores(db_url: str) -> dict[tuple[str, str], float]:
    """(student, test cell) -> score, as the formgrader and `nbgrader export` read them."""
    with Gradebook(normalize_db_url(db_url), "jax-course") as gb:
        return {(sub.student.id, grade.name): float(grade.score or 0)
                for sub in gb.assignment_submissions(ASSIGNMENT)
                for nb in sub.notebooks for grade in nb.grades}


def sqlite(course: str) -> str:
    return f"sqlite:///{os.path.join(course, 'gradebook.db')}"


@pytest.fixture(scope="module")
def graded(demo_course, tmp_path_factory):
    """The demo class, plus a learner who edited a test cell, graded by `python -m autograder grade`."""
    course = copy_course(demo_course, str(tmp_path_factory.mktemp("graded") / "course"))
    path = os.path.join(course, "submitted", "student007_tamper", ASSIGNMENT, f"{ASSIGNMENT}.ipynb")
    os.makedirs(os.path.dirname(path))
    nb = nbformat.read(os.path.join(course, "submitted", "student002_partial", ASSIGNMENT, f"{ASSIGNMENT}.ipynb"), 4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "ex2_total_test":
            cell.source = "pass  # the learner deleted the test"
    nbformat.write(nb, path)
    done = run_cli("grade", ASSIGNMENT, "--course-dir", course, "--workers", "2", "--timeout", "20", course=course)
    return course, done.stdout


def test_stderr_never_zeroes_a_correct_answer_under_real_nbgrader(demo_course, tmp_path):
    course = copy_course(demo_course, str(tmp_path / "course"), ["student001_full"])
    nbgrader("autograde", ASSIGNMENT, course=course)
    got = scores(sqlite(course))
    assert got[("student001_full", "ex3_stderr_test")] == 1.0  # this test cell prints to stderr
    assert sum(got.values()) == 6.0
    executed = nbformat.read(os.path.join(course, "autograded", "student001_full", ASSIGNMENT, f"{ASSIGNMENT}.ipynb"), 4)
    text = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "Falling back to cpu" in text  # kept for the instructor, just not counted as a failure
    assert "passes all the tests" in nbgrader("validate", f"solutions/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
                                              course=course).stdout
    nbgrader("generate_feedback", ASSIGNMENT, course=course)
    nbgrader("export", course=course)
    with open(os.path.join(course, "grades.csv")) as f:
        assert [r["score"] for r in csv.DictReader(f)] == ["6.0"]
    for page in glob.glob(os.path.join(course, "feedback", "*", ASSIGNMENT, "*.html")):
        assert HIDDEN_SOURCE not in open(page).read()


def test_scores_are_identical_to_serial_nbgrader_autograde(graded, demo_course, tmp_path):
    course, _ = graded
    serial = copy_course(demo_course, str(tmp_path / "serial"), COMPARABLE)
    nbgrader("autograde", ASSIGNMENT, course=serial, check=False)  # exits 1: it reports the broken submissions
    ours = {k: v for k, v in scores(sqlite(course)).items() if k[0] in COMPARABLE}
    theirs = scores(sqlite(serial))
    assert ours == {k: theirs.get(k, 0.0) for k in ours}
    assert ours[("student001_full", "ex1_double_test_hidden")] == 2.0


def test_failures_score_zero_with_a_reason(graded):
    course, stdout = graded
    got = scores(sqlite(course))
    for student in ("student004_crash", "student005_hang", "student006_malformed"):
        assert sum(v for (s, _), v in got.items() if s == student) == 0
    log = sorted(glob.glob(os.path.join(course, "reports", ASSIGNMENT, "runs", "*.csv")))[-1]
    rows = {r["student"]: r for r in csv.DictReader(open(log))}
    assert "kernel died" in rows["student004_crash"]["reason"]
    assert "timeout" in rows["student005_hang"]["reason"]
    assert "not valid notebook JSON" in rows["student006_malformed"]["reason"]
    assert "'ex2_total_test' was edited" in rows["student007_tamper"]["notes"]
    assert rows["student001_full"]["score"] == "6.0"
    with Gradebook(sqlite(course), "jax-course") as gb:
        comments = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "student005_hang").comments
        assert all("timeout" in c.auto_comment for c in comments)
    assert "3 scored 0" in stdout


def test_feedback_explains_and_never_shows_hidden_tests(graded):
    course, _ = graded
    pages = glob.glob(os.path.join(course, "reports", ASSIGNMENT, "feedback", "*.html"))
    assert len(pages) == 7
    for page in pages:
        assert HIDDEN_SOURCE not in open(page).read()
    anti = open(os.path.join(course, "reports", ASSIGNMENT, "feedback", "student003_anti.html")).read()
    assert "[anti-pattern: python-loop]" in anti and "where: line 4 of your cell" in anti
    assert "yours:" in anti and "expected:" in anti and "ex1_double_test_hidden" in anti


def test_class_report(graded):
    course, _ = graded
    assert os.path.getsize(os.path.join(course, "reports", "class.png")) > 10_000
    rows = list(csv.DictReader(open(os.path.join(course, "reports", "class_anti_patterns.csv"))))
    assert {"assignment": ASSIGNMENT, "exercise": "ex2", "anti_pattern": "python-loop", "count": "1"} in rows
    tests = {r["test"]: r for r in csv.DictReader(open(os.path.join(course, "reports", "class_tests.csv")))}
    assert tests["ex1_double_test"]["submissions"] == "7"


def test_grades_only_what_changed(graded):
    course, _ = graded
    assert "0 graded" in run_cli("grade", ASSIGNMENT, "--course-dir", course, "--timeout", "20", course=course).stdout
    path = os.path.join(course, "submitted", "student002_partial", ASSIGNMENT, f"{ASSIGNMENT}.ipynb")
    nb = nbformat.read(path, 4)
    full = nbformat.read(os.path.join(course, "solutions", ASSIGNMENT, f"{ASSIGNMENT}.ipynb"), 4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in full.cells if c.metadata["nbgrader"]["solution"]}
    for cell in nb.cells:
        cell.source = answers.get(cell.metadata.get("nbgrader", {}).get("grade_id"), cell.source)
    nbformat.write(nb, path)
    out = run_cli("grade", ASSIGNMENT, "--course-dir", course, "--timeout", "20", course=course).stdout
    assert "1 graded, 0 scored 0" in out and "6 unchanged" in out
    assert sum(v for (s, _), v in scores(sqlite(course)).items() if s == "student002_partial") == 6.0


def test_postgres_gradebook(demo_course, tmp_path, postgres_url):
    course = copy_course(demo_course, str(tmp_path / "course"), ["student001_full", "student003_anti"])
    run_cli("grade", ASSIGNMENT, "--course-dir", course, "--db", postgres_url, course=course)
    got = scores(postgres_url)
    assert sum(v for (s, _), v in got.items() if s == "student001_full") == 6.0
    assert sum(v for (s, _), v in got.items() if s == "student003_anti") == 0.0
    assert scores(sqlite(course)) == {}  # nothing went to the default sqlite gradebook


def test_dask_cluster(demo_course, tmp_path):
    from distributed import LocalCluster

    course = copy_course(demo_course, str(tmp_path / "course"), ["student001_full", "student002_partial"])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run_cli("grade", ASSIGNMENT, "--course-dir", course, "--scheduler", cluster.scheduler_address,
                course=course)
    got = scores(sqlite(course))
    assert sum(v for (s, _), v in got.items() if s == "student001_full") == 6.0
    assert sum(v for (s, _), v in got.items() if s == "student002_partial") == 4.0
