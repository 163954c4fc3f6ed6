"""A class graded beside a bank of hostile and broken submissions: each gets its score, nothing leaks."""
from __future__ import annotations

import csv
import glob
import hashlib
import os
import subprocess

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.grading.sandbox import _UID_BASE

from .helpers import ASSIGNMENT, copy_course, run_cli
from .hostile_bank import CASES

pytestmark = pytest.mark.slow
HONEST = ["student001_full", "student002_partial", "student003_anti"]


def _totals(course: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{os.path.join(course, 'gradebook.db')}", "jax-course") as gb:
        return {sub.student.id: float(sum(g.score or 0 for nb in sub.notebooks for g in nb.grades))
                for sub in gb.assignment_submissions(ASSIGNMENT)}


def _digest(*paths: str) -> str:
    h = hashlib.sha256()
    for path in paths:
        for name in sorted(glob.glob(os.path.join(path, "**"), recursive=True)):
            if os.path.isfile(name):
                h.update(name.encode() + open(name, "rb").read())
    return h.hexdigest()


def _jailed_processes() -> list[str]:
    """Processes running as a jail's user, except those a live pytest process holds (the kernel that
    each test process's in-process executor starts ahead of time, e.g. in a parallel worker): what is
    left can only have outlived the grading runs."""
    ps = subprocess.run(["ps", "-eo", "uid=,pid=,ppid=,args="], capture_output=True, text=True).stdout
    rows = [line.split(None, 3) for line in ps.splitlines() if len(line.split(None, 3)) == 4]
    parent = {int(pid): int(ppid) for _, pid, ppid, _ in rows}
    pytest_pids = {int(pid) for _, pid, _, args in rows if "pytest" in args}

    def held_by_pytest(pid: int) -> bool:
        while pid > 1:
            if pid in pytest_pids:
                return True
            pid = parent.get(pid, 1)
        return False

    return [" ".join(row) for row in rows if int(row[0]) >= _UID_BASE and not held_by_pytest(int(row[1]))]


@pytest.fixture(scope="module")
def courses(demo_course, tmp_path_factory):
    """The honest class graded alone, and graded again with the hostile bank mixed in."""
    root = tmp_path_factory.mktemp("hostile")
    alone = copy_course(demo_course, str(root / "alone"), HONEST)
    run_cli("grade", ASSIGNMENT, "--course-dir", alone, "--workers", "2", "--timeout", "45", "--quiet", course=alone)
    mixed = copy_course(demo_course, str(root / "mixed"), HONEST)
    released = nbformat.read(os.path.join(mixed, "exercises", ASSIGNMENT, f"{ASSIGNMENT}.ipynb"), as_version=4)
    classmate = os.path.join(mixed, "submitted", HONEST[0], ASSIGNMENT, f"{ASSIGNMENT}.ipynb")
    paths = {"solution": os.path.join(mixed, "solutions", ASSIGNMENT, f"{ASSIGNMENT}.ipynb"),
             "gradebook": os.path.join(mixed, "gradebook.db"), "classmate": classmate}
    for case in CASES:
        case.write(os.path.join(mixed, "submitted", f"zz_{case.name}", ASSIGNMENT), released, paths)
    protected = [os.path.join(mixed, "solutions"), os.path.join(mixed, "nbgrader_config.py"),
                 os.path.join(mixed, "submitted", HONEST[0])]
    before = _digest(*protected)
    done = run_cli("grade", ASSIGNMENT, "--course-dir", mixed, "--workers", "2", "--timeout", "45", "--quiet",
                   course=mixed)
    return alone, mixed, done.stdout, before == _digest(*protected)


def test_every_case_gets_its_score_and_reason(courses):
    _, mixed, _, _ = courses
    totals = _totals(mixed)
    log = sorted(glob.glob(os.path.join(mixed, "reports", ASSIGNMENT, "runs", "*.csv")))[-1]
    rows = {r["student"]: r for r in csv.DictReader(open(log, encoding="utf-8"))}
    wrong = {}
    for case in CASES:
        student = f"zz_{case.name}"
        row = rows.get(student)
        said = (row["reason"] + " " + row["notes"]) if row else ""
        if row is None or totals.get(student) != case.score or case.reason not in said:
            wrong[case.name] = (totals.get(student), case.score, said[:300])
    assert not wrong, wrong
    assert len(CASES) >= 40


def test_classmates_graded_identically_and_nothing_leaked(courses):
    alone, mixed, _, untouched = courses
    assert untouched  # solutions/, the configuration and a classmate's folder were never written
    mixed_totals = _totals(mixed)
    assert {s: mixed_totals[s] for s in HONEST} == _totals(alone)
    assert _totals(alone)["student001_full"] == 6.0
    assert _jailed_processes() == []  # no process of any submission survives the run


def test_tampering_is_recorded_in_the_gradebook(courses):
    _, mixed, _, _ = courses
    with Gradebook(f"sqlite:///{os.path.join(mixed, 'gradebook.db')}", "jax-course") as gb:
        nb = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "zz_patch_jnp_allclose")
        assert nb.flagged
        assert any("patches jnp.allclose" in (c.auto_comment or "") for c in nb.comments)
        empty = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "zz_empty_folder")
        assert all("empty submission" in (c.auto_comment or "") for c in empty.comments)


def test_grading_twice_gives_the_same_scores(courses):
    alone, _, _, _ = courses
    first = _totals(alone)
    run_cli("grade", ASSIGNMENT, "--course-dir", alone, "--workers", "2", "--timeout", "45", "--quiet", "--force",
            course=alone)
    assert _totals(alone) == first
