"""What the grader notices about a submission before and after it runs, and what it costs.

Edited locked cells (nbgrader restores them), deleted tests, and learner code that could tamper
with the checks (:mod:`~autograder.grading.screen`): every test cell that runs after such code
scores 0, the notebook is flagged for the instructor, and the reason is written in the gradebook's
comments and in the run log.
"""
from __future__ import annotations

import re
from typing import Any

import nbformat
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry

from .screen import course_cells, screen_notebook, squash

__all__ = ["duplicated_cells", "edited_locked_cells", "deleted_tests", "tampering_tests", "record_tampering"]

_HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.S)


def _released_forms(source: str) -> set[str]:
    """A locked cell as in the source, and as released (hidden tests removed), whitespace ignored."""
    return {squash(source), squash(_HIDDEN_REGION.sub("", source))}


def duplicated_cells(nb: Any) -> list[str]:
    """Cells whose nbgrader id appears more than once (nbgrader keeps the last copy)."""
    ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells]
    twice = sorted({i for i in ids if i and ids.count(i) > 1})
    return [f"cell {i!r} appears {ids.count(i)} times: only the last copy is graded" for i in twice]


def edited_locked_cells(gb: Gradebook, nb: Any, notebook: str, assignment: str) -> list[str]:
    """Locked cells a learner edited (nbgrader restores them from the source before grading)."""
    notes = []
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if not grade_id:
            continue
        try:
            source = gb.find_source_cell(grade_id, notebook, assignment)
        except MissingEntry:
            continue
        if source.locked and squash(cell.get("source", "")) not in _released_forms(source.source):
            notes.append(f"locked cell {grade_id!r} was edited: the original was restored and run")
    return notes


def deleted_tests(gb: Gradebook, nb: Any, notebook: str, assignment: str) -> list[str]:
    """Test cells missing from the sanitized notebook (each scores 0)."""
    present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
    expected = [c.name for c in gb.find_notebook(notebook, assignment).grade_cells]
    return [f"test cell {g!r} was deleted: it scores 0" for g in expected if g not in present]


def tampering_tests(nb: Any, source_path: str) -> tuple[list[str], list[str]]:
    """Notes on learner code that could tamper with the checks, and the test cells it could reach."""
    source = nbformat.read(source_path, as_version=4)
    first, suspicions = screen_notebook(nb, course_cells(source))
    if first is None:
        return [], []
    reached = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells[first:] if utils.is_grade(c)]
    notes = [str(s) for s in suspicions]
    if reached:
        notes.append(f"tests run after that code score 0: {', '.join(reached)}")
    return notes, reached


def record_tampering(gb: Gradebook, notebook: str, assignment: str, student: str,
                     zeroed: list[str], notes: list[str]) -> None:
    """Zero the reached tests and write the notes into the gradebook's comments; flag the notebook."""
    submitted = gb.find_submission_notebook(notebook, assignment, student)
    for grade in submitted.grades:
        if grade.name in zeroed:
            grade.auto_score = 0
            grade.manual_score = None
    if notes:
        text = "Grader notes: " + " | ".join(notes)
        for comment in submitted.comments:
            comment.auto_comment = ((comment.auto_comment or "") + "\n" + text).strip()
        submitted.flagged = True
    gb.db.commit()
