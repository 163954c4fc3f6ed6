"""Benchmark: one `python -m autograder grade` for the whole class against serial `nbgrader autograde`.

Builds a demo class of --students learners for every assignment of solutions/ (or --course-dir;
--assignments picks some) (no hanging submission: serial nbgrader would wait out its 300 s cell
timeout), then grades it the way an instructor would: ONE `python -m autograder grade` command for
every assignment (jailed kernels, tamper screen), once without and once with the shared compilation
cache, against `nbgrader autograde ASSIGNMENT` run once per assignment, one after the other. Checks
that every score is identical and prints the speed-ups side by side, and where one notebook's time
goes (kernel start, set-up cells, learner code, checks; each cold and with a warm cache: the
difference is compilation).

    .venv/bin/python benchmarks/grading.py --students 8 16 40
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


def _breakdown(course: str, assignment: str, cache: str | None) -> dict[str, float]:
    """Seconds per part of one full-marks notebook, executed alone with nbclient (cache: a JAX cache folder)."""
    from nbgrader import utils

    from autograder.grading.compile_cache import cache_environment
    from autograder.grading.screen import course_cells, squash

    path = os.path.join(course, "autograded", "student001_full", assignment, f"{assignment}.ipynb")
    nb = nbformat.read(path, as_version=4)
    trusted = course_cells(nbformat.read(os.path.join(course, "solutions", assignment, f"{assignment}.ipynb"), 4))
    env = {**os.environ, **(cache_environment(cache) if cache else {})}
    client = NotebookClient(nb, timeout=600, allow_errors=True, resources={"metadata": {"path": os.path.dirname(path)}})
    parts = {"kernel start": 0.0, "set-up cells": 0.0, "learner code": 0.0, "checks": 0.0}
    started = time.perf_counter()
    with client.setup_kernel(env=env, stderr=subprocess.DEVNULL):
        parts["kernel start"] = time.perf_counter() - started
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            t = time.perf_counter()
            client.execute_cell(cell, index)
            kind = ("checks" if utils.is_grade(cell) else
                    "set-up cells" if utils.is_locked(cell) or squash(cell.source) in trusted else "learner code")
            parts[kind] += time.perf_counter() - t
    return parts


def _print_breakdown(course: str, assignment: str) -> None:
    cache = tempfile.mkdtemp(prefix="bench-cache-")
    try:
        cold = _breakdown(course, assignment, None)
        _breakdown(course, assignment, cache)  # fills the cache, as the reference solution does
        warm = _breakdown(course, assignment, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"  {assignment}: one notebook, cold -> warm cache (the difference is compilation):")
    for part in cold:
        print(f"    {part:13s} {cold[part]:7.1f} s -> {warm[part]:7.1f} s")


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


def _compare(ours: str, serial: str, names: list[str], label: str) -> None:
    for name in names:
        a, b = _scores(ours, name), _scores(serial, name)
        mismatched = {k: (a.get(k), b.get(k, 0.0)) for k in a if a[k] != b.get(k, 0.0)}
        print(f"  {name} ({label}): {len(a)} grades, identical to serial nbgrader: {not mismatched}"
              + (f" MISMATCH {mismatched}" if mismatched else ""))


def _one_class(args: argparse.Namespace, names: list[str], students: int) -> None:
    work = tempfile.mkdtemp(prefix="grading-bench-")
    demo = os.path.join(work, "demo")
    build_demo_class(args.course_dir, demo, students)
    for folder in glob.glob(os.path.join(demo, "submitted", "*_hang")) + [
            f for f in glob.glob(os.path.join(demo, "submitted", "*", "*")) if os.path.basename(f) not in names]:
        shutil.rmtree(folder, ignore_errors=True)
    runs = {}
    for label, extra in (("no cache", ["--no-compile-cache"]), ("with cache", [])):
        course = os.path.join(work, label.replace(" ", "_"))
        shutil.copytree(demo, course)
        cmd = [sys.executable, "-m", "autograder", "grade", "--course-dir", course, "--quiet", *extra]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        runs[label] = (course, _timed(cmd, course, check=True))
    serial = os.path.join(work, "serial")
    shutil.copytree(demo, serial)
    t_serial = t_plain = 0.0
    notebooks = 0
    for name in names:
        t_serial += _timed([sys.executable, "-m", "nbgrader", "autograde", name, f"--course-dir={serial}"], serial)
        t_plain += _plain_execution(serial, name)
        notebooks += len(glob.glob(os.path.join(demo, "submitted", "*", name, "*.ipynb")))
    for label, (course, _) in runs.items():
        _compare(course, serial, names, label)
    cores = args.workers or os.cpu_count() or 1
    print(f"{notebooks} notebooks ({students} students x {len(names)} assignments), {cores} workers, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"  serial nbgrader autograde:            {t_serial:8.1f} s")
    for label, (_, seconds) in runs.items():
        print(f"  python -m autograder grade, {label:10s} {seconds:8.1f} s  speed-up {t_serial / seconds:5.2f}x")
    print(f"  plain nbclient execution (serial):    {t_plain:8.1f} s  (limit on {cores} cores: {t_plain / cores:.1f} s)")
    print("  where a notebook's time goes:")
    for name in names:
        _print_breakdown(serial, name)
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, nargs="+", default=[8, 16, 40])
    parser.add_argument("--course-dir", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--assignments", nargs="*", default=None, help="default: every assignment")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    use_this_environment()
    names = args.assignments or assignments(args.course_dir)
    if not names:
        sys.exit(f"no assignments in {args.course_dir}/solutions/")
    for students in args.students:
        _one_class(args, names, students)


if __name__ == "__main__":
    main()
