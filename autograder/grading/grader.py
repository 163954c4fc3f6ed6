"""Parent side: grade every new or changed submission of an assignment, in parallel.

This is nbgrader's own ``Autograde`` converter, run once in this process, with one change: the
``Execute`` step of each notebook happens in a worker (a local process or a Dask worker) while this
process sanitizes the next submissions. Everything else - the sanitizing preprocessors, the
preprocessors after ``Execute`` (``SaveAutoGrades``...), the gradebook writes - is nbgrader's code
with the course configuration, in this one process, so the gradebook holds what serial
``nbgrader autograde`` would have written, and only this process writes to it.
"""
from __future__ import annotations

import glob
import hashlib
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

import nbformat
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from nbgrader.converters.base import BaseConverter
from nbconvert.writers import FilesWriter
from nbgrader.preprocessors import DeduplicateIds, Execute
from tqdm import tqdm

from .attest import Marked, mark_notebook, read_record, restored_text, unattested
from .executor import ExecutionJob, ExecutionResult
from .intake import clean_text, explain, importable_shadows, refusal
from .runlog import GradingState
from .nbgrader_ext import ForgetDuplicates
from .tamper import deleted_tests, duplicated_cells, edited_locked_cells, record_tampering, tampering_tests

__all__ = ["GradeOptions", "Outcome", "ParallelAutograde", "use_this_environment", "normalize_db_url",
           "REFERENCE"]

_EXECUTE_CONFIG_SECTIONS = ("NotebookClient", "ExecutePreprocessor", "Execute")
REFERENCE = "(reference solution)"  # the key of a warm-up job: never a student id (it has parentheses)


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
    compile_cache: bool = True  # JAX's persistent cache, warmed by the reference solution (local pool only)
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
        folders = glob.glob(self._format_source(self.coursedir.assignment_id, "*"))
        for folder in sorted(set(folders) | set(self.assignments)):
            if not os.path.isdir(folder):
                continue
            student = os.path.basename(os.path.dirname(folder))
            digest = self._submission_digest(folder, source_digest)
            if not self.options.force and self.state.unchanged(student, digest):
                for nb in self.assignments.get(folder) or self._expected():
                    self.outcomes.append(Outcome(student, _notebook_id(nb), "unchanged"))
                continue
            self.todo.append((folder, student, digest))
        # the longest submissions first (as long as last time), so that no worker is left alone at the end
        self.todo.sort(key=lambda t: -self.state.seconds(t[1]))
        return sum(len(self.assignments.get(f) or self._expected()) for f, _, _ in self.todo)

    def _expected(self) -> list[str]:
        """The notebooks of this assignment, by name."""
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            return sorted(nb.name for nb in gb.find_assignment(self.coursedir.assignment_id).notebooks)

    def reference_jobs(self) -> list[ExecutionJob]:
        """The assignment's source notebooks (solutions and hidden tests: trusted), to run before the class."""
        folder = self.coursedir.format_path(self.coursedir.source_directory, ".", self.coursedir.assignment_id)
        files, _ = self._files(folder)
        jobs = []
        for path in sorted(glob.glob(os.path.join(folder, "*.ipynb"))):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            jobs.append(ExecutionJob(key=f"{self.coursedir.assignment_id}/{REFERENCE}/{_notebook_id(path)}",
                                     notebook=text, timeout=self.options.timeout, config=self._execute_config(),
                                     files=files))
        return jobs

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
        self.notebooks = sorted(self.assignments.get(folder, []))
        expected = self._expected()
        refused = refusal(folder, expected)
        if refused:
            self._zero_submission(student, expected, refused, bar)
            return []
        try:
            self.run_pre_convert_hook()
            self.init_assignment(assignment, student)  # student, submission, copied files; drops unknown notebooks
        except Exception as err:  # noqa: BLE001 - this submission scores zero, the others are graded
            self._zero_submission(student, expected, explain(err), bar)
            return []
        found = sorted(os.path.basename(p) for p in self.assignments.get(folder, []))
        for name in expected:
            if not any(_notebook_id(p) == name for p in self.notebooks):
                self._fail(student, name, f"missing notebook: {name}.ipynb was not submitted "
                                          f"(found: {', '.join(found) or 'nothing'})", 0.0)
                bar.update(1)
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
                notes += self._after_sanitizing(sanitized, student, notebook)
                before, _ = self._split_at_execute()
                if before:
                    self._run_preprocessors(before, sanitized)
                text, self._marked[(student, notebook)] = mark_notebook(sanitized, self._source_path(notebook))
            except Exception as err:  # noqa: BLE001 - a malformed submission scores zero, the run goes on
                self._fail(student, notebook, explain(err), time.perf_counter() - started)
                bar.update(1)
                continue
            files, dropped = self._files(dest)
            notes += [f"{name} was not given to the kernel: it would replace an installed module" for name in dropped]
            self._notes[(student, notebook)] = notes
            jobs.append(ExecutionJob(
                key=f"{assignment}/{student}/{notebook}", notebook=text, timeout=self.options.timeout,
                config=self._execute_config(), files=files))
        return jobs

    @property
    def _notes(self) -> dict[tuple[str, str], list[str]]:
        if not hasattr(self, "_notes_store"):
            self._notes_store = {}
        return self._notes_store

    @property
    def _marked(self) -> dict[tuple[str, str], Marked]:
        if not hasattr(self, "_marked_store"):
            self._marked_store = {}
        return self._marked_store

    def _source_path(self, notebook: str) -> str:
        return os.path.join(self.coursedir.format_path(self.coursedir.source_directory, ".",
                                                       self.coursedir.assignment_id), notebook + ".ipynb")

    @property
    def _zeroed(self) -> dict[tuple[str, str], list[str]]:
        if not hasattr(self, "_zeroed_store"):
            self._zeroed_store = {}
        return self._zeroed_store

    def _finish(self, student: str, notebook: str, result: ExecutionResult) -> None:
        """Write the executed notebook, then nbgrader's preprocessors after ``Execute`` (grades to the gradebook)."""
        assignment = self.coursedir.assignment_id
        path = os.path.join(self._format_dest(assignment, student), notebook + ".ipynb")
        marked = self._marked.pop((student, notebook), Marked())
        if result.notebook is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(restored_text(result.notebook, marked))
        if result.error is not None:
            self._fail(student, notebook, result.error, result.seconds)
            return
        try:
            _, after = self._split_at_execute()
            with utils.setenv(NBGRADER_EXECUTION="autograde"):
                self._run_preprocessors(after, path)
            notes = self._notes.setdefault((student, notebook), [])
            with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
                scored = {g.name: g.auto_score for g in gb.find_submission_notebook(notebook, assignment, student).grades}
                report = read_record(result.enclave_key, result.enclave_record)
                zeroed, why = unattested(scored, marked, report)
                notes += why + [n for n in report.notes if n not in notes]
                record_tampering(gb, notebook, assignment, student,
                                 self._zeroed.get((student, notebook), []) + zeroed, notes)
            self.set_permissions(assignment, student)
            self.run_post_convert_hook()
        except Exception as err:  # noqa: BLE001
            self._fail(student, notebook, explain(err), result.seconds)
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
    def _files(dest: str) -> tuple[dict[str, bytes], list[str]]:
        """The submission's other plain files, copied into the kernel's jail; and those left out because
        they would shadow an installed module (a learner's ``autograder.py``)."""
        files, dropped = {}, []
        for dirpath, _, filenames in os.walk(dest):
            for name in filenames:
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, dest)
                if name.endswith(".ipynb") or os.path.islink(path):
                    continue
                if importable_shadows(rel):
                    dropped.append(rel)
                    continue
                with open(path, "rb") as f:
                    files[rel] = f.read()
        return files, sorted(dropped)

    def _tampering(self, path: str, notebook: str) -> list[str]:
        nb = nbformat.read(path, as_version=4)  # raises on invalid JSON or an unknown format
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            return duplicated_cells(nb) + edited_locked_cells(gb, nb, notebook, self.coursedir.assignment_id)

    def _init_preprocessors(self) -> None:
        super()._init_preprocessors()
        steps = self.exporter._preprocessors
        at = next((i for i, pp in enumerate(steps) if isinstance(pp, DeduplicateIds)), None)
        if self._sanitizing and at is not None:
            steps.insert(at + 1, ForgetDuplicates(parent=self))

    def _after_sanitizing(self, sanitized: str, student: str, notebook: str) -> list[str]:
        """Deleted tests, and learner code that could tamper with the checks (its tests will score 0)."""
        nb = nbformat.read(sanitized, as_version=4)
        source = self._source_path(notebook)
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            notes = deleted_tests(gb, nb, notebook, self.coursedir.assignment_id)
        tamper_notes, reached = tampering_tests(nb, source)
        self._zeroed[(student, notebook)] = reached
        return notes + tamper_notes

    def _zero_submission(self, student: str, notebooks: list[str], reason: str, bar: tqdm) -> None:
        """A submission that cannot be graded at all: recorded in the gradebook with 0 and the reason."""
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            gb.update_or_create_student(student)
            gb.update_or_create_submission(self.coursedir.assignment_id, student)
        for name in notebooks:
            self._fail(student, name, reason, 0.0)
            bar.update(1)

    def _fail(self, student: str, notebook: str, reason: str, seconds: float) -> None:
        """Record a zero, with the reason, for every grade of this notebook."""
        reason = clean_text(reason)
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


def _notebook_id(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]
