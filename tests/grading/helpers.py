"""Helpers of the grading tests: run the real commands on a real course."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys

import nbformat

from autograder.grading.attest import Marked, instrument, read_record, setup_bindings, unattested
from autograder.grading.executor import ExecutionJob, ExecutionResult, execute_notebook
from autograder.grading.grader import use_this_environment

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
ASSIGNMENT = "00_fixture"

use_this_environment()  # nbgrader needs `alembic` on PATH and this environment's kernel


def run_cli(*args: str, course: str, check: bool = True) -> subprocess.CompletedProcess:
    """``python -m autograder ...`` as an instructor types it."""
    done = subprocess.run([sys.executable, "-m", "autograder", *args], cwd=course, capture_output=True, text=True)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def nbgrader(*args: str, course: str, check: bool = True) -> subprocess.CompletedProcess:
    """A real nbgrader command in ``course``."""
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def copy_course(src: str, dest: str, students: list[str] | None = None) -> str:
    """A copy of a built course with only ``students``' submissions and no results (the gradebook knows the assignment)."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("autograded", "reports", "feedback"))
    if students is not None:
        for folder in glob.glob(os.path.join(dest, "submitted", "*")):
            if os.path.basename(folder) not in students:
                shutil.rmtree(folder)
    return dest


def run_attested(
    nb: nbformat.NotebookNode, key: str, timeout: int
) -> tuple[ExecutionResult, Marked, list[str], list[str]]:
    """Run ``nb`` in a jailed kernel with the enclave on and every test cell marked, as the grader does:
    (the run, the marked test cells, those the enclave withholds, its notes). ``nb`` is marked in place."""
    marked = instrument(nb, setup_bindings(nb))
    result = execute_notebook(ExecutionJob(key=key, notebook=nbformat.writes(nb), timeout=timeout, config={}))
    assert result.error is None, result.error
    report = read_record(result.enclave_key, result.enclave_record)
    withheld, notes = unattested({gid: 1.0 for gid in marked.digests}, marked, report)
    return result, marked, withheld, notes + report.notes
