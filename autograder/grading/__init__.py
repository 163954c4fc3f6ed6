"""Instructor grading: grade a whole class in parallel with nbgrader, explain every lost point, report the class.

``python -m autograder grade ASSIGNMENT`` is the entry point; see ``autograder/__main__.py``.
"""
from .grader import GradeOptions, Outcome, grade_assignment  # noqa: F401
