"""Benchmark: one `python -m autograder grade` for the whole class against serial `nbgrader autograde`.

For each class size of --students, builds a demo class from solutions/ (or --course-dir) for the
assignments of --assignments (no hanging submission: serial nbgrader would wait out its cell timeout),
then grades it three ways, one after the other on the same machine: serial `nbgrader autograde
ASSIGNMENT` (once per assignment), ONE `python -m autograder grade` for every assignment without the
shared compilation cache, and the same with it. Checks that every grade of every submission is
identical in the three gradebooks (exit status 1 if not) and prints the speed-ups side by side.

Then, where one notebook's time goes (a full-marks submission, executed alone with nbclient, cold and
with a warm cache): kernel start, `import jax`, set-up cells, learner code, checks, and the JAX
compilation inside them (tracing, lowering, XLA compile, cache reads: JAX's own monitoring events),
with the speed-up those numbers allow on the cores used (the reference solution runs cold first).

    .venv/bin/python benchmarks/grading.py                                  # modest: 8 students, chapter 1
    .venv/bin/python benchmarks/grading.py --students 8 16 40 --assignments 01_arrays_devices 03_grad
"""
from __future__ import annotations

import argparse
import glob
import json
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

# Runs first in the benchmarked kernel: times `import jax` and logs every compilation event with the
# moment it ended (perf_counter is the system-wide monotonic clock: comparable with this process's).
_PROBE = r'''
import time as _bench_t
_bench_t0 = _bench_t.perf_counter()
import jax
_bench_import = (_bench_t0, _bench_t.perf_counter())
_bench_events = []
def _bench_listen(event, duration, **kwargs):
    if "/compile/" in event:  # tracing, lowering, XLA compile (a cache read happens inside the latter)
        _bench_events.append((_bench_t.perf_counter(), duration))
jax.monitoring.register_event_duration_secs_listener(_bench_listen)
'''
_REPORT = "import json as _j; print('@@' + _j.dumps({'import': _bench_import, 'events': _bench_events}))"
_PARTS = ("kernel start", "import jax", "set-up cells", "learner code", "checks", "compilation")


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


def _cell_kind(cell: nbformat.NotebookNode, trusted: set[str]) -> str:
    from nbgrader import utils

    from autograder.grading.screen import squash

    if utils.is_grade(cell):
        return "checks"
    return "set-up cells" if utils.is_locked(cell) or squash(cell.source) in trusted else "learner code"


def breakdown(notebook: str, source: str, cache: str | None) -> dict[str, float]:
    """Seconds per part of executing ``notebook`` alone with nbclient (``cache``: a JAX cache folder).

    ``source`` is the assignment's source notebook: cells found there unchanged are set-up cells.
    The compilation inside each cell is counted under "compilation", not under the cell's part.
    """
    from autograder.grading.compile_cache import cache_environment
    from autograder.grading.screen import course_cells

    nb = nbformat.read(notebook, as_version=4)
    trusted = course_cells(nbformat.read(source, as_version=4))
    nb.cells.insert(0, nbformat.v4.new_code_cell(_PROBE))
    nb.cells.append(nbformat.v4.new_code_cell(_REPORT))
    env = {**os.environ, **(cache_environment(cache) if cache else {})}
    client = NotebookClient(nb, timeout=600, allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(notebook)}})
    parts = dict.fromkeys(_PARTS, 0.0)
    windows = []  # (start, end, part) of every cell
    started = time.perf_counter()
    with client.setup_kernel(env=env, stderr=subprocess.DEVNULL):
        parts["kernel start"] = time.perf_counter() - started
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                t = time.perf_counter()
                client.execute_cell(cell, index)
                windows.append((t, time.perf_counter(), _cell_kind(cell, trusted)))
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    probe = json.loads(printed.split("@@", 1)[1])
    for start, end, kind in windows[1:-1]:
        compiled = sum(d for at, d in probe["events"] if start <= at <= end)
        parts[kind] += max(0.0, end - start - compiled)
        parts["compilation"] += compiled
    imported = probe["import"][1] - probe["import"][0]
    parts["import jax"] = imported
    return parts


def _print_breakdown(course: str, assignment: str, students: int, cores: int) -> None:
    notebook = os.path.join(course, "autograded", "student001_full", assignment, f"{assignment}.ipynb")
    source = os.path.join(course, "solutions", assignment, f"{assignment}.ipynb")
    cache = tempfile.mkdtemp(prefix="bench-cache-")
    try:
        cold = breakdown(notebook, source, None)
        breakdown(source, source, cache)  # fills the cache, as the reference solution does
        warm = breakdown(notebook, source, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"  {assignment}: one full-marks notebook, cold -> warm cache:")
    for part in _PARTS:
        print(f"    {part:13s} {cold[part]:6.1f} s -> {warm[part]:6.1f} s")
    total_cold, total_warm = sum(cold.values()), sum(warm.values())
    print(f"    {'total':13s} {total_cold:6.1f} s -> {total_warm:6.1f} s  ({total_cold / total_warm:.1f}x less per notebook)")
    # the reference solution runs cold first, then the class on every core, each notebook warm
    bound = students * total_cold / (total_cold + students * total_warm / cores)
    print(f"    at most {bound:.1f}x serial for {students} students on {cores} cores with these numbers "
          f"(serial nbgrader's own overhead aside); start-up (kernel, import) is "
          f"{(warm['kernel start'] + warm['import jax']) / total_warm:.0%} of a warm notebook")


def _compare(ours: str, serial: str, names: list[str], label: str) -> bool:
    same = True
    for name in names:
        a, b = _scores(ours, name), _scores(serial, name)
        mismatched = {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k, 0.0) != b.get(k, 0.0)}
        same = same and not mismatched
        print(f"  {name} ({label}): {len(a)} grades, identical to serial nbgrader: {not mismatched}"
              + (f" MISMATCH {mismatched}" if mismatched else ""))
    return same


def _one_class(args: argparse.Namespace, names: list[str], students: int) -> bool:
    work = tempfile.mkdtemp(prefix="grading-bench-")
    demo = os.path.join(work, "demo")
    build_demo_class(args.course_dir, demo, students)
    for folder in glob.glob(os.path.join(demo, "submitted", "*_hang")) + [
            f for f in glob.glob(os.path.join(demo, "submitted", "*", "*")) if os.path.basename(f) not in names]:
        shutil.rmtree(folder, ignore_errors=True)
    serial = os.path.join(work, "serial")
    shutil.copytree(demo, serial)
    t_serial = 0.0
    notebooks = 0
    for name in names:
        t_serial += _timed([sys.executable, "-m", "nbgrader", "autograde", name, f"--course-dir={serial}"], serial)
        notebooks += len(glob.glob(os.path.join(demo, "submitted", "*", name, "*.ipynb")))
    runs = {}
    for label, extra in (("no cache", ["--no-compile-cache"]), ("with cache", [])):
        course = os.path.join(work, label.replace(" ", "_"))
        shutil.copytree(demo, course)
        cmd = [sys.executable, "-m", "autograder", "grade", "--course-dir", course, "--quiet", *extra]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        runs[label] = (course, _timed(cmd, course, check=True))
    same = all([_compare(course, serial, names, label) for label, (course, _) in runs.items()])
    cores = args.workers or os.cpu_count() or 1
    print(f"{notebooks} notebooks ({students} students x {len(names)} assignments), {cores} workers, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"  serial nbgrader autograde:            {t_serial:8.1f} s")
    for label, (_, seconds) in runs.items():
        print(f"  python -m autograder grade, {label:10s} {seconds:8.1f} s  speed-up {t_serial / seconds:5.2f}x")
    if not args.no_breakdown:
        print("  where a notebook's time goes:")
        for name in names:
            _print_breakdown(serial, name, students, cores)
    shutil.rmtree(work, ignore_errors=True)
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, nargs="+", default=[8], help="class sizes (default: 8)")
    parser.add_argument("--course-dir", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--assignments", nargs="*", default=None,
                        help="default: the first assignment; 'all' for every one")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-breakdown", action="store_true", help="skip where a notebook's time goes")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each line as soon as it is measured, into a log too
    use_this_environment()
    every = assignments(args.course_dir)
    if not every:
        sys.exit(f"no assignments in {args.course_dir}/solutions/")
    names = every if args.assignments == ["all"] else (args.assignments or every[:1])
    same = [_one_class(args, names, students) for students in args.students]
    sys.exit(0 if all(same) else 1)


if __name__ == "__main__":
    main()
