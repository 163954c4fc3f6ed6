"""A grading run: every assignment asked for, through one pool of jailed workers, in the jail only."""
from __future__ import annotations

import glob
import os
import sys
import threading
from collections import deque
from typing import Any, Iterable, Iterator

from nbgrader.apps import AutogradeApp
from tqdm import tqdm

from .compile_cache import class_cache, seal
from .course import assignments as course_assignments
from .course import ensure_in_gradebook
from .executor import ExecutionJob
from .grader import GradeOptions, Outcome, ParallelAutograde, normalize_db_url, use_this_environment
from .pool import open_pool
from .sandbox import check_sandbox

__all__ = ["grade_assignment", "grade_assignments", "submitted_assignments"]


def submitted_assignments(course_dir: str) -> list[str]:
    """Every assignment of the course's solutions/ that has submissions in submitted/."""
    found = []
    for name in course_assignments(course_dir):
        if glob.glob(os.path.join(course_dir, "submitted", "*", name, "*.ipynb")):
            found.append(name)
    return found


def _app(options: GradeOptions, assignment: str) -> AutogradeApp:
    course_dir = os.path.abspath(options.course_dir)
    argv = [assignment, f"--course-dir={course_dir}", "--log-level=ERROR"]
    if options.db:
        argv.append(f"--db={normalize_db_url(options.db)}")
    app = AutogradeApp()
    app.initialize(argv)
    app.coursedir.assignment_id = assignment
    return app


def _converter(app: AutogradeApp) -> ParallelAutograde | None:
    """nbgrader's converter for the app's assignment (None when nothing was submitted)."""
    coursedir = app.coursedir
    ensure_in_gradebook(coursedir.root, coursedir.assignment_id, coursedir.db_url, coursedir.course_id)
    submitted = coursedir.format_path(coursedir.submitted_directory, "*", coursedir.assignment_id)
    if not [p for p in glob.glob(submitted) if os.path.isdir(p)]:
        return None
    return ParallelAutograde(coursedir=coursedir, parent=app)


class _Run:
    """Several assignments through one pool: every notebook is submitted as soon as it is sanitized."""

    def __init__(self, options: GradeOptions, converters: list[ParallelAutograde]):
        self.options, self.converters = options, converters

    def _order(self) -> list[ParallelAutograde]:
        """The longest assignments first: by last run's seconds per notebook, else by source size."""
        expected = [c.expected_seconds() for c in self.converters]
        if all(e is not None for e in expected):
            keys = expected
        else:
            keys = [c.source_size() for c in self.converters]
        order = sorted(range(len(self.converters)), key=lambda i: -keys[i])
        return [self.converters[i] for i in order]

    def _student_jobs(self, bar: tqdm) -> Iterator[ExecutionJob]:
        """Every submission's notebooks, sanitized, the longest assignments first."""
        for converter in self._order():
            if converter.todo:
                yield from converter.submit(bar)

    def _warm_up(self, pool: Any, live: list[ParallelAutograde], cache: str, bar: tqdm) -> list[ExecutionJob]:
        """Run each assignment's reference solution (trusted code) to fill the compilation cache, and
        sanitize every submission meanwhile (a core the reference solution leaves free); returns the
        submissions' jobs, to run once the cache is sealed."""
        references = [job for converter in live for job in converter.reference_jobs()]
        for job in references:
            job.cache_dir, job.writes_cache = cache, True
        # The first submit starts the workers (seconds of imports): the sanitizing goes on meanwhile.
        failed: list[BaseException] = []
        submitting = threading.Thread(target=_submit_all, args=(pool, references, failed))
        submitting.start()
        try:
            jobs = list(self._student_jobs(bar))
        finally:
            submitting.join()
        if failed:
            raise failed[0]
        for result in pool.results():
            if result.error:
                print(f"warning: the reference solution {result.key} failed ({result.error}); "
                      "the compilation cache may be cold", file=sys.stderr)
        seal(cache)
        return jobs

    def execute(self) -> None:
        root = self.converters[0].coursedir.root
        currdir = os.getcwd()
        os.chdir(root)  # as nbgrader's BaseConverter.start does
        pool = None
        bar = None
        try:
            total = sum(c.begin(self.options) for c in self.converters)
            live = [c for c in self.converters if c.todo]
            if not live:
                return
            names = [c.coursedir.assignment_id for c in self.converters]
            desc = f"grading {names[0]}" if len(names) == 1 else f"grading {len(names)} assignments"
            bar = tqdm(total=total, desc=desc, unit="nb", disable=self.options.quiet or total == 0,
                       file=sys.stderr)
            pool = open_pool(self.options.workers, self.options.scheduler)
            by_name = {c.coursedir.assignment_id: c for c in live}
            with class_cache(root, self.options.compile_cache and not self.options.scheduler) as cache:
                jobs = self._warm_up(pool, live, cache, bar) if cache else self._student_jobs(bar)
                for job in _last_without_next_kernel(jobs, pool.workers):
                    job.cache_dir = cache
                    pool.submit(job)
                for result in pool.results():
                    by_name[result.key.split("/", 1)[0]].finish(result.key, result)
                    bar.update(1)
            for converter in live:
                converter.complete()
        finally:
            if bar is not None:
                bar.close()
            if pool is not None:
                pool.close()
            for converter in self.converters:
                converter.save()
            os.chdir(currdir)


def _last_without_next_kernel(jobs: Iterable[ExecutionJob], workers: int) -> Iterator[ExecutionJob]:
    """``jobs`` in order; the last ``workers`` of them start no kernel ahead for a next notebook (no
    worker would use it: each would be a whole kernel start of CPU, wasted)."""
    waiting: deque[ExecutionJob] = deque()
    for job in jobs:
        waiting.append(job)
        if len(waiting) > workers:
            yield waiting.popleft()
    for job in waiting:
        job.next_kernel = False
        yield job


def _submit_all(pool: Any, jobs: list[ExecutionJob], failed: list[BaseException]) -> None:
    try:
        for job in jobs:
            pool.submit(job)
    except BaseException as err:  # noqa: BLE001 - raised again by the thread that waits for this one
        failed.append(err)


def grade_assignments(options: GradeOptions, names: list[str]) -> tuple[dict[str, list[Outcome]], Any]:
    """Grade every new or changed submission of each assignment of ``names``, all through one pool.

    Returns each assignment's outcomes (an assignment nobody submitted has none) and nbgrader's
    course directory settings (``db_url``, ``course_id``...).
    """
    use_this_environment()
    if not options.scheduler:  # a Dask worker checks its own machine when it starts a kernel
        check_sandbox()  # fail closed: never grade outside the jail
    converters, outcomes, coursedir = [], {}, None
    for name in names:
        app = _app(options, name)
        coursedir = coursedir or app.coursedir
        converter = _converter(app)
        outcomes[name] = []
        if converter is not None:
            converters.append(converter)
    if converters:
        _Run(options, converters).execute()
    for converter in converters:
        outcomes[converter.coursedir.assignment_id] = converter.outcomes
    return outcomes, coursedir


def grade_assignment(options: GradeOptions) -> tuple[list[Outcome], Any]:
    """Grade ``options.assignment`` for every submission in submitted/ that is new or changed.

    Returns the outcomes and nbgrader's course directory settings (``db_url``, ``course_id``...).
    """
    by_name, coursedir = grade_assignments(options, [options.assignment])
    return by_name[options.assignment], coursedir
