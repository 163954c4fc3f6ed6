"""Parent side: grade every new or changed submission of an assignment, in parallel.

This is nbgrader's own ``Autograde`` converter, run once in this process, with one change: the
``Execute`` step of each notebook happens in a worker (a local process or a Dask worker) while this
process sanitizes the next submissions. Everything else - the sanitizing preprocessors, the
preprocessors after ``Execute`` (``SaveAutoGrades``...), the gradebook writes - is nbgrader's code
with the course configuration, in this one process, so the gradebook holds what serial
``nbgrader autograde`` would have written, and only this process writes to it.
"""
from __future__ import annotations

import csv
import datetime
import glob
import hashlib
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

import nbformat
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import AutogradeApp
from nbgrader.converters import Autograde
from nbgrader.converters.base import BaseConverter
from nbconvert.writers import FilesWriter
from nbgrader.preprocessors import Execute
from tqdm import tqdm

from .course import assignments as course_assignments
from .course import ensure_in_gradebook
from .executor import ExecutionJob, ExecutionResult
from .pool import open_pool

__all__ = ["GradeOptions", "Outcome", "grade_assignment", "grade_assignments", "submitted_assignments",
           "normalize_db_url"]

_EXECUTE_CONFIG_SECTIONS = ("NotebookClient", "ExecutePreprocessor", "Execute")


@dataclass
class GradeOptions:
    """What the ``grade`` command was asked to do."""

    assignment: str | None = None  # one assignment; or several in ``assignments``
    course_dir: str = "."
    workers: int | None = None
    scheduler: str | None = None
    db: str | None = None
    timeout: float = 600.0
    force: bool = False
    quiet: bool = False
    assignments: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        """The assignments asked for, in order (empty: every assignment with submissions)."""
        names = list(self.assignments) or ([self.assignment] if self.assignment else [])
        return list(dict.fromkeys(names))


@dataclass
class Outcome:
    """One notebook of one submission after a run."""

    student: str
    notebook: str
    status: str  # graded | failed | unchanged
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def use_this_environment() -> None:
    """nbgrader calls ``alembic`` and Jupyter finds kernels by path: use this interpreter's."""
    bindir = os.path.dirname(sys.executable)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    share = os.path.join(sys.prefix, "share", "jupyter")
    paths = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
    if os.path.isdir(share) and share not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([share] + [p for p in paths if p])


def normalize_db_url(url: str) -> str:
    """SQLAlchemy 2.1 reads ``postgresql://`` as psycopg 3; the grading extra installs psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


def _digest_tree(root: str, h: Any) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in (".ipynb_checkpoints", "__pycache__"))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            h.update(os.path.relpath(path, root).encode() + b"\0")
            with open(path, "rb") as f:
                h.update(hashlib.sha256(f.read()).digest())


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class ParallelAutograde(Autograde):
    """nbgrader's ``Autograde`` for one assignment, with ``Execute`` farmed out to a pool of workers.

    One converter per assignment (nbgrader's converter state - its course directory, exporter and
    writer - is per assignment), so several assignments share one pool: :meth:`begin` finds what to
    grade, :meth:`submit` sanitizes and submits it, :meth:`finish` takes each executed notebook back,
    :meth:`complete` marks the graded submissions, :meth:`save` writes the state.
    """

    def grade(self, options: GradeOptions) -> list[Outcome]:
        """Grade this converter's assignment alone, with a pool of its own."""
        run = _Run(options, [self])
        run.execute()
        return self.outcomes

    def begin(self, options: GradeOptions) -> int:
        """nbgrader's set-up (``BaseConverter.start`` up to ``convert_notebooks``); returns how many notebooks to run."""
        self.options = options
        self.outcomes: list[Outcome] = []
        self.force = True  # submissions to grade are chosen by content hash, not by nbgrader's timestamps
        self.init_notebooks()
        self.writer = FilesWriter(parent=self, config=self.config)
        self.exporter = self.exporter_class(parent=self, config=self.config)
        for pp in self.preprocessors:
            self.exporter.register_preprocessor(pp)
        self.state = GradingState.load(self.coursedir, self.coursedir.assignment_id)
        source_digest = self._source_digest()
        self.todo: list[tuple[str, str, str]] = []
        for folder in sorted(self.assignments):
            student = os.path.basename(os.path.dirname(folder))
            digest = self._submission_digest(folder, source_digest)
            if not self.options.force and self.state.unchanged(student, digest):
                for nb in self.assignments[folder]:
                    self.outcomes.append(Outcome(student, _notebook_id(nb), "unchanged"))
                continue
            self.todo.append((folder, student, digest))
        # the longest submissions first (as long as last time), so that no worker is left alone at the end
        self.todo.sort(key=lambda t: -self.state.seconds(t[1]))
        return sum(len(self.assignments[f]) for f, _, _ in self.todo)

    def expected_seconds(self) -> float | None:
        """Seconds per notebook of this assignment in earlier runs, if it ran before."""
        return self.state.mean_seconds()

    def source_size(self) -> int:
        folder = self.coursedir.format_path(self.coursedir.source_directory, ".", self.coursedir.assignment_id)
        return sum(os.path.getsize(p) for p in glob.glob(os.path.join(folder, "*.ipynb")))

    def submit(self, bar: tqdm) -> Iterator[ExecutionJob]:
        """Sanitize each submission to grade; yields its notebooks to execute, as they are ready."""
        for folder, student, _ in self.todo:
            self.state.forget(student)
            yield from self._prepare(folder, student, bar)

    def finish(self, key: str, result: ExecutionResult) -> None:
        _, student, notebook = key.split("/", 2)
        self._finish(student, notebook, result)

    def complete(self) -> None:
        """Only a run that finished marks submissions as graded."""
        for _, student, digest in self.todo:
            self.state.record(student, digest, [o for o in self.outcomes if o.student == student])

    def save(self) -> None:
        if hasattr(self, "state"):
            self.state.save()

    def convert_notebooks(self) -> None:  # nbgrader's own path is never taken
        raise NotImplementedError("use begin/submit/finish/complete")

    def _source_digest(self) -> str:
        h = hashlib.sha256()
        _digest_tree(self.coursedir.format_path(self.coursedir.source_directory, ".", self.coursedir.assignment_id), h)
        config = os.path.join(self.coursedir.root, "nbgrader_config.py")
        if os.path.exists(config):
            with open(config, "rb") as f:
                h.update(f.read())
        h.update(str(self.options.timeout).encode())
        return h.hexdigest()

    @staticmethod
    def _submission_digest(folder: str, source_digest: str) -> str:
        h = hashlib.sha256(source_digest.encode())
        _digest_tree(folder, h)
        return h.hexdigest()

    def _prepare(self, folder: str, student: str, bar: tqdm) -> list[ExecutionJob]:
        """nbgrader's per-submission set-up and sanitizing; returns the notebooks to execute."""
        assignment = self.coursedir.assignment_id
        dest = self._format_dest(assignment, student)
        if os.path.exists(dest):
            shutil.rmtree(dest)
        self.notebooks = sorted(self.assignments[folder])
        try:
            self.run_pre_convert_hook()
            self.init_assignment(assignment, student)  # student, submission, copied files; drops unknown notebooks
        except Exception as err:  # noqa: BLE001 - this submission scores zero, the others are graded
            for path in self.notebooks:
                self._fail(student, _notebook_id(path), _explain(err), 0.0)
                bar.update(1)
            return []
        jobs = []
        for path in self.notebooks:
            notebook = _notebook_id(path)
            started = time.perf_counter()
            try:
                notes = self._tampering(path, notebook)
                self._sanitizing = True
                self._init_preprocessors()
                BaseConverter.convert_single_notebook(self, path)
                sanitized = os.path.join(dest, os.path.basename(path))
                notes += self._deleted_tests(sanitized, notebook)
                before, _ = self._split_at_execute()
                if before:
                    self._run_preprocessors(before, sanitized)
            except Exception as err:  # noqa: BLE001 - a malformed submission scores zero, the run goes on
                self._fail(student, notebook, _explain(err), time.perf_counter() - started)
                bar.update(1)
                continue
            self._notes[(student, notebook)] = notes
            with open(sanitized, encoding="utf-8") as f:
                text = f.read()
            jobs.append(ExecutionJob(
                key=f"{assignment}/{student}/{notebook}", notebook=text, cwd=dest, timeout=self.options.timeout,
                config=self._execute_config(), files=self._files(dest)))
        return jobs

    @property
    def _notes(self) -> dict[tuple[str, str], list[str]]:
        if not hasattr(self, "_notes_store"):
            self._notes_store = {}
        return self._notes_store

    def _finish(self, student: str, notebook: str, result: ExecutionResult) -> None:
        """Write the executed notebook, then nbgrader's preprocessors after ``Execute`` (grades to the gradebook)."""
        assignment = self.coursedir.assignment_id
        path = os.path.join(self._format_dest(assignment, student), notebook + ".ipynb")
        if result.notebook is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(result.notebook)
        if result.error is not None:
            self._fail(student, notebook, result.error, result.seconds)
            return
        try:
            _, after = self._split_at_execute()
            with utils.setenv(NBGRADER_EXECUTION="autograde"):
                self._run_preprocessors(after, path)
            self.set_permissions(assignment, student)
            self.run_post_convert_hook()
        except Exception as err:  # noqa: BLE001
            self._fail(student, notebook, _explain(err), result.seconds)
            return
        self.outcomes.append(Outcome(student, notebook, "graded", notes=self._notes.get((student, notebook), []),
                                     seconds=result.seconds))

    def _run_preprocessors(self, preprocessors: list, path: str) -> None:
        self._sanitizing = False
        self.exporter._preprocessors = []
        for pp in preprocessors:
            self.exporter.register_preprocessor(pp)
        try:
            BaseConverter.convert_single_notebook(self, path)
        finally:
            self._sanitizing = True

    def _split_at_execute(self) -> tuple[list, list]:
        steps = list(self.autograde_preprocessors)
        at = next(i for i, pp in enumerate(steps) if isinstance(pp, type) and issubclass(pp, Execute))
        return steps[:at], steps[at + 1:]

    def _execute_config(self) -> dict[str, dict[str, Any]]:
        return {name: _plain(dict(self.config[name])) for name in _EXECUTE_CONFIG_SECTIONS if name in self.config}

    @staticmethod
    def _files(dest: str) -> dict[str, bytes]:
        """The submission's other files, shipped for workers on machines without the course folder."""
        files = {}
        for dirpath, _, filenames in os.walk(dest):
            for name in filenames:
                if not name.endswith(".ipynb"):
                    path = os.path.join(dirpath, name)
                    with open(path, "rb") as f:
                        files[os.path.relpath(path, dest)] = f.read()
        return files

    def _tampering(self, path: str, notebook: str) -> list[str]:
        """Locked cells a learner edited (nbgrader restores them from the source before grading)."""
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)  # raises on invalid JSON
        notes = []
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            for cell in nb.cells:
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                if not grade_id:
                    continue
                try:
                    source = gb.find_source_cell(grade_id, notebook, self.coursedir.assignment_id)
                except MissingEntry:
                    continue
                if source.locked and _squash(cell.get("source", "")) not in _released_forms(source.source):
                    notes.append(f"locked cell {grade_id!r} was edited: the original was restored and run")
        return notes

    def _deleted_tests(self, sanitized: str, notebook: str) -> list[str]:
        nb = nbformat.read(sanitized, as_version=nbformat.NO_CONVERT)
        present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            expected = [c.name for c in gb.find_notebook(notebook, self.coursedir.assignment_id).grade_cells]
        return [f"test cell {g!r} was deleted: it scores 0" for g in expected if g not in present]

    def _fail(self, student: str, notebook: str, reason: str, seconds: float) -> None:
        """Record a zero, with the reason, for every grade of this notebook."""
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                submitted = gb.find_submission_notebook(notebook, self.coursedir.assignment_id, student)
            except MissingEntry:
                submitted = None
            if submitted is not None:
                for grade in submitted.grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
                for comment in submitted.comments:
                    comment.auto_comment = f"Not graded: {reason}"
                submitted.flagged = True
                gb.db.commit()
        self.log.warning("%s/%s scores 0: %s", student, notebook, reason)
        self.outcomes.append(Outcome(student, notebook, "failed", reason=reason,
                                     notes=self._notes.get((student, notebook), []), seconds=seconds))


class GradingState:
    """Which submission contents were graded into which gradebook (so unchanged ones are skipped)."""

    def __init__(self, path: str, db_url: str, data: dict):
        self.path, self.db_key, self.data = path, hashlib.sha256(db_url.encode()).hexdigest()[:16], data

    @classmethod
    def load(cls, coursedir: Any, assignment: str) -> "GradingState":
        path = os.path.join(coursedir.root, "reports", assignment, "grading_state.json")
        data = {}
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        return cls(path, coursedir.db_url, data)

    def _students(self) -> dict:
        return self.data.setdefault(self.db_key, {})

    def unchanged(self, student: str, digest: str) -> bool:
        return self._students().get(student, {}).get("digest") == digest

    def forget(self, student: str) -> None:
        self._students().pop(student, None)

    def record(self, student: str, digest: str, outcomes: list[Outcome]) -> None:
        self._students()[student] = {
            "digest": digest,
            "notebooks": {o.notebook: {"status": o.status, "reason": o.reason, "notes": o.notes,
                                       "seconds": round(o.seconds, 2)} for o in outcomes},
        }

    def seconds(self, student: str) -> float:
        """How long the student's notebooks ran last time (0 if unknown)."""
        notebooks = self._students().get(student, {}).get("notebooks", {})
        return sum(float(n.get("seconds", 0.0)) for n in notebooks.values())

    def mean_seconds(self) -> float | None:
        times = [float(n["seconds"]) for s in self._students().values()
                 for n in s.get("notebooks", {}).values() if "seconds" in n]
        return sum(times) / len(times) if times else None

    def outcomes(self) -> dict[str, dict]:
        """student -> notebook -> {status, reason, notes}, as of the last run that graded it."""
        return {s: v.get("notebooks", {}) for s, v in self._students().items()}

    def save(self) -> None:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=1, sort_keys=True)
        os.replace(tmp, self.path)


_HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.S)


def _squash(text: str) -> str:
    return "".join(text.split())


def _released_forms(source: str) -> set[str]:
    """A locked cell as in the source, and as released (hidden tests removed), whitespace ignored."""
    return {_squash(source), _squash(_HIDDEN_REGION.sub("", source))}


def _notebook_id(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _explain(err: BaseException) -> str:
    if isinstance(err, (json.JSONDecodeError, nbformat.reader.NotJSONError)):
        return "malformed notebook: the file is not valid notebook JSON"
    text = str(err).strip().splitlines()
    return f"malformed notebook: {type(err).__name__}: {text[0] if text else ''}".rstrip(": ")


def write_run_log(course_dir: str, assignment: str, outcomes: list[Outcome], scores: dict) -> str:
    """One CSV per run: every notebook, what happened, its score and why it lost everything if it did."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = os.path.join(course_dir, "reports", assignment, "runs", f"{stamp}.csv")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "notebook", "status", "score", "max_score", "seconds", "reason", "notes"])
        for o in sorted(outcomes, key=lambda o: (o.student, o.notebook)):
            score, max_score = scores.get((o.student, o.notebook), ("", ""))
            writer.writerow([o.student, o.notebook, o.status, score, max_score, f"{o.seconds:.2f}",
                             o.reason, " | ".join(o.notes)])
    return path


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
    if not glob.glob(os.path.join(submitted, "*.ipynb")):
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
            for converter in self._order():
                if converter.todo:
                    for job in converter.submit(bar):
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


def grade_assignments(options: GradeOptions, names: list[str]) -> tuple[dict[str, list[Outcome]], Any]:
    """Grade every new or changed submission of each assignment of ``names``, all through one pool.

    Returns each assignment's outcomes (an assignment nobody submitted has none) and nbgrader's
    course directory settings (``db_url``, ``course_id``...).
    """
    use_this_environment()
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
