"""Instructor grading: grade a whole class in parallel with nbgrader, explain every lost point, report the class.

``python -m autograder grade ASSIGNMENT`` is the entry point; see ``autograder/__main__.py``.
The grading API is imported on first use, so that environments without nbgrader (a learner's, the
test environments of other JAX versions) can still import the modules that do not need it.
"""
from __future__ import annotations

from typing import Any

__all__ = ["GradeOptions", "Outcome", "grade_assignment"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import batch, grader

        return getattr(grader if name in ("GradeOptions", "Outcome") else batch, name)
    raise AttributeError(name)
