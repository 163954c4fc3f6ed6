"""No exercise's answer stands in a lesson: a learner must not be able to copy a lesson cell as the solution.

A reference solution "stands in" a lesson when three or more consecutive meaningful lines of it (comments,
blank lines, imports, ``def`` lines, dataclass fields and bare ``return name`` dropped, whitespace normalised,
local names replaced by ``_``) appear in that order in one code cell of its chapter's lesson or of an earlier
lesson; an answer shorter than three lines counts when all of it, at least 40 characters, appears so.
"""
from __future__ import annotations

import builtins
import keyword
import re

import nbformat
import pytest

from tests.course_layout import assignments, lessons, source_notebook
from tests.exercise_bank import ExerciseNotebook

RUN = 3
SHORT_ANSWER = 40  # characters: a one- or two-line answer this long, copied whole, counts too
_TRIVIAL = re.compile(r"^(import |from \S+ import |def |@|return \w+$|pass$|\)|\]|\}|else:$|try:$)")
_COMMENT = re.compile(r"(^|\s)#(\s.*)?$")
_FIELD = re.compile(r"^\w+: [\w.\[\], ]+( = .*)?$")
_NAME = re.compile(r"(?<![\w.])([A-Za-z_]\w*)(?![\w.])")
_SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


def meaningful_lines(source: str) -> list[str]:
    """The lines of ``source`` that carry an answer, whitespace-normalised."""
    lines = []
    for raw in source.splitlines():
        line = " ".join(_COMMENT.sub("", raw).split())
        if line and not _TRIVIAL.match(line) and not _FIELD.match(line):
            lines.append(_NAME.sub(_renamed, line))
    return lines


def _renamed(match: re.Match) -> str:
    """A local name becomes ``_``: renaming variables does not make a lesson cell a new answer."""
    name = match.group(1)
    return name if keyword.iskeyword(name) or hasattr(builtins, name) else "_"


def shared_run(answer: list[str], cell: list[str], run: int = RUN) -> list[str] | None:
    """The first ``run`` consecutive lines of ``answer`` found consecutively in ``cell``, if any."""
    joined = "\n" + "\n".join(cell) + "\n"
    if len(answer) < run:
        short = "\n".join(answer)
        return answer if len(short) >= SHORT_ANSWER and "\n" + short + "\n" in joined else None
    for start in range(len(answer) - run + 1):
        window = answer[start : start + run]
        if "\n" + "\n".join(window) + "\n" in joined:
            return window
    return None


def _answer(source: str) -> str:
    found = _SOLUTION.findall(source)
    return "\n".join(found) if found else source


def _lesson_cells(chapter: str) -> list[tuple[str, int, list[str]]]:
    cells = []
    for lesson in lessons():
        if lesson.stem[:2] > chapter[:2]:
            continue
        for index, cell in enumerate(nbformat.read(lesson, as_version=4).cells):
            if cell.cell_type == "code":
                cells.append((lesson.name, index, meaningful_lines(cell.source)))
    return cells


def test_shared_run_sees_a_copied_answer_and_ignores_a_shared_import():
    lesson = meaningful_lines("import jax\nx = jnp.ones(3)\n# try it\ny = x * 2\nz = y.sum()\nprint(z)")
    assert shared_run(meaningful_lines("y = x * 2\n\nz = y.sum()  # total\nprint(z)"), lesson)
    assert shared_run(meaningful_lines("import jax\nimport numpy as np\nreturn out"), lesson) is None
    assert shared_run(meaningful_lines("y = x * 2\nw = y.mean()\nprint(w)"), lesson) is None


@pytest.mark.parametrize("assignment", assignments())
def test_no_reference_solution_is_a_lesson_cell(assignment):
    book = ExerciseNotebook(source_notebook(assignment))
    cells = _lesson_cells(assignment)
    copied = []
    for exercise in book.solution_ids:
        answer = meaningful_lines(_answer(book.reference(exercise)))
        for lesson, index, lines in cells:
            run = shared_run(answer, lines)
            if run:
                copied.append(f"{exercise}: lesson {lesson} cell {index} already holds\n    " + "\n    ".join(run))
                break
    assert not copied, "an exercise's answer stands in a lesson:\n" + "\n".join(copied)
