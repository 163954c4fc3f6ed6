"""What each learner got on each test, read back from the gradebook and the autograded notebooks."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import nbformat
from nbconvert.filters import strip_ansi
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry

__all__ = ["TestResult", "StudentResult", "collect_results", "ANTI_PATTERN_RE", "exercise_of"]

ANTI_PATTERN_RE = re.compile(r"\[anti-pattern: ([^\]]+)\]")
_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", re.S)
_EXERCISE = re.compile(r"^(ex\d+)")


def exercise_of(grade_id: str) -> str:
    """``ex2_total_test_hidden`` -> ``ex2``; other ids are their own exercise."""
    m = _EXERCISE.match(grade_id)
    return m.group(1) if m else grade_id


@dataclass
class TestResult:
    """One autograded test cell for one learner."""

    name: str
    notebook: str
    points: float
    max_points: float
    message: str
    hidden: bool

    @property
    def exercise(self) -> str:
        return exercise_of(self.name)

    @property
    def passed(self) -> bool:
        return self.points >= self.max_points

    @property
    def anti_patterns(self) -> list[str]:
        return ANTI_PATTERN_RE.findall(self.message)


@dataclass
class StudentResult:
    """One learner's submission of one assignment."""

    student: str
    assignment: str
    score: float
    max_score: float
    tests: list[TestResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _hidden_lines(source: str) -> list[str]:
    lines = []
    for block in _HIDDEN.findall(source):
        lines += [ln.strip() for ln in block.splitlines() if len(ln.strip()) >= 8]
    return lines


def _redact(message: str, secret_lines: list[str]) -> str:
    kept = [ln for ln in message.splitlines() if not any(s in ln for s in secret_lines)]
    return "\n".join(kept)


def _failure_message(cell: nbformat.NotebookNode) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            evalue = strip_ansi(output.get("evalue", "")).strip()
            parts.append(f"{output.get('ename', 'Error')}: {evalue}" if evalue else output.get("ename", "Error"))
    return "\n".join(parts)


def collect_results(course_dir: str, db_url: str, course_id: str, assignment: str,
                    outcomes: dict[str, dict] | None = None) -> list[StudentResult]:
    """Every submission of ``assignment`` in the gradebook, with each test's points and failure message.

    ``outcomes`` (student -> notebook -> {status, reason, notes}) adds why a notebook was not graded.
    Messages never contain the code of a hidden test.
    """
    outcomes = outcomes or {}
    results = []
    with Gradebook(db_url, course_id) as gb:
        try:
            assignment_row = gb.find_assignment(assignment)
        except MissingEntry:
            return []
        source = {}  # (notebook, grade_id) -> source text
        for nb in assignment_row.notebooks:
            for cell in nb.source_cells:
                source[(nb.name, cell.name)] = cell.source
        for sub in sorted(gb.assignment_submissions(assignment), key=lambda s: s.student.id):
            student = sub.student.id
            result = StudentResult(student, assignment, float(sub.score or 0), float(sub.max_score or 0))
            for nb_sub in sub.notebooks:
                info = outcomes.get(student, {}).get(nb_sub.name, {})
                if info.get("status") == "failed":
                    result.problems.append(f"{nb_sub.name}: not graded, 0 points: {info.get('reason')}")
                result.problems += [f"{nb_sub.name}: {n}" for n in info.get("notes", [])]
                result.tests += _notebook_tests(course_dir, student, assignment, nb_sub, source, info)
            results.append(result)
    return results


def _notebook_tests(course_dir, student, assignment, nb_sub, source, info) -> list[TestResult]:
    path = os.path.join(course_dir, "autograded", student, assignment, nb_sub.name + ".ipynb")
    cells = {}
    if os.path.exists(path) and info.get("status") != "failed":
        try:
            nb = nbformat.read(path, as_version=4)
            cells = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if utils.is_grade(c)}
        except Exception:  # noqa: BLE001 - an unreadable notebook just has no messages
            cells = {}
    grades = {g.name: g for g in nb_sub.grades}
    tests = []
    for cell in nb_sub.notebook.grade_cells:
        if cell.cell_type != "code":
            continue
        grade = grades.get(cell.name)
        text = source.get((nb_sub.name, cell.name), "")
        secret = _hidden_lines(text)
        message = _failure_message(cells[cell.name]) if cell.name in cells else ""
        points = float(grade.score or 0) if grade is not None else 0.0
        if points < cell.max_score and not message:
            message = (f"Not graded: {info['reason']}" if info.get("status") == "failed"
                       else "This test did not run.")
        tests.append(TestResult(cell.name, nb_sub.name, points, float(cell.max_score),
                                _redact(message, secret), bool(secret)))
    return tests
