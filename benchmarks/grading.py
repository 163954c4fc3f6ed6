"""Benchmark: one `python -m autograder grade` for the whole class against serial `nbgrader autograde`.

Builds a demo class of --students learners for every assignment of solutions/ (or --course-dir)
(no hanging submission: serial nbgrader would wait out its 300 s cell timeout), then grades it the
way an instructor would: ONE `python -m autograder grade` command for every assignment, against
`nbgrader autograde ASSIGNMENT` run once per assignment, one after the other. Checks that every
score is identical and prints the speed-up and the time per notebook beyond one plain nbclient
execution of it.

    .venv/bin/python benchmarks/grading.py --students 40
"""
from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbgrader.api import Gradebook

from autograder.grading.course import assignments
from autograder.grading.demo import build_demo_class
from autograder.grading.grader import use_this_environment


def _scores(course: str, assignment: str) -> dict:
    with Gradebook(f"sqlite:///{course}/gradebook.db", "jax-course") as gb:
        return {(s.student.id, g.name): float(g.score or 0) for s in gb.assignment_submissions(assignment)
                for nb in s.notebooks for g in nb.grades}


def _timed(cmd: list[str], cwd: str, check: bool = False) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if check and done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def _plain_execution(course: str, assignment: str) -> float:
    """Executing every notebook once as it is graded (hidden tests restored, as nbgrader's
    ``autograded/`` copy holds it) with nbclient, one after the other."""
    total = 0.0
    for path in sorted(glob.glob(os.path.join(course, "autograded", "*", assignment, "*.ipynb"))):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # noqa: BLE001 - the malformed one does not execute at all
            continue
        started = time.perf_counter()
        try:
            NotebookClient(nb, timeout=300, allow_errors=True,
                           resources={"metadata": {"path": os.path.dirname(path)}}).execute()
        except Exception:  # noqa: BLE001 - the crashing one
            pass
        total += time.perf_counter() - started
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--course-dir", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    use_this_environment()
    names = assignments(args.course_dir)
    if not names:
        sys.exit(f"no assignments in {args.course_dir}/solutions/")
    work = tempfile.mkdtemp(prefix="grading-bench-")
    demo = os.path.join(work, "demo")
    build_demo_class(args.course_dir, demo, args.students)
    for folder in glob.glob(os.path.join(demo, "submitted", "*_hang")):
        shutil.rmtree(folder)
    ours, serial = os.path.join(work, "ours"), os.path.join(work, "serial")
    shutil.copytree(demo, ours)
    shutil.copytree(demo, serial)
    cmd = [sys.executable, "-m", "autograder", "grade", "--course-dir", ours, "--quiet"]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    t_ours = _timed(cmd, ours, check=True)  # every assignment, one command
    t_serial = t_plain = 0.0
    notebooks = 0
    for name in names:
        t_serial += _timed([sys.executable, "-m", "nbgrader", "autograde", name, f"--course-dir={serial}"], serial)
        t_plain += _plain_execution(serial, name)
        a, b = _scores(ours, name), _scores(serial, name)
        mismatched = {k: (a.get(k), b.get(k, 0.0)) for k in a if a[k] != b.get(k, 0.0)}
        print(f"{name}: {len(a)} grades, identical: {not mismatched}" + (f" MISMATCH {mismatched}" if mismatched else ""))
        notebooks += len(glob.glob(os.path.join(demo, "submitted", "*", name, "*.ipynb")))
    print(f"{notebooks} notebooks ({args.students} students x {len(names)} assignments), {os.cpu_count()} cores")
    print(f"serial nbgrader autograde ({len(names)} commands): {t_serial:8.1f} s  ({(t_serial - t_plain) / notebooks:+.2f} s/notebook beyond one plain execution)")
    cores = args.workers or os.cpu_count() or 1
    print(f"python -m autograder grade (1 command):   {t_ours:8.1f} s  ({(t_ours - t_plain / cores) / notebooks:+.2f} s/notebook beyond one plain execution on {cores} cores)")
    print(f"plain nbclient execution:                 {t_plain:8.1f} s  (serial, the baseline)")
    print(f"limit (plain execution / {cores} cores):       {t_plain / cores:8.1f} s  "
          f"(ours reaches {t_plain / cores / t_ours:.0%} of it)")
    print(f"speed-up: {t_serial / t_ours:.2f}x (serial nbgrader autograde / one grading command)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
