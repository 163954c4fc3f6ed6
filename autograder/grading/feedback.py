"""One HTML page per learner and assignment: every test, its points, and why points were lost.

Unlike nbgrader's own feedback, the page shows no code at all: never a hidden test's.
"""
from __future__ import annotations

import html
import os

from .results import StudentResult

__all__ = ["write_feedback"]

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;
vertical-align:top}.pass{color:#1a7f37}.fail{color:#cf222e}pre{white-space:pre-wrap;background:#f6f8fa;
padding:.6rem;margin:.3rem 0;border-radius:4px}.problems{background:#fff8c5;padding:.6rem;border-radius:4px}
"""


def _test_row(test) -> str:
    verdict = '<span class="pass">passed</span>' if test.passed else '<span class="fail">failed</span>'
    kind = " (hidden test)" if test.hidden else ""
    message = f"<pre>{html.escape(test.message)}</pre>" if not test.passed and test.message else ""
    return (f"<tr><td><code>{html.escape(test.name)}</code>{kind}</td>"
            f"<td>{test.points:g} / {test.max_points:g}</td><td>{verdict}{message}</td></tr>")


def render(result: StudentResult) -> str:
    """The feedback page of one learner, as HTML."""
    problems = ""
    if result.problems:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in result.problems)
        problems = f'<div class="problems"><strong>About your submission</strong><ul>{items}</ul></div>'
    rows = "".join(_test_row(t) for t in result.tests)
    title = f"{html.escape(result.assignment)}: feedback for {html.escape(result.student)}"
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title><style>{_STYLE}</style>"
            f"</head><body><h1>{title}</h1><p>Score: <strong>{result.score:g} / {result.max_score:g}</strong></p>"
            f"{problems}<table><tr><th>Test</th><th>Points</th><th>Result</th></tr>{rows}</table>"
            "<p>A failed test says what went wrong; <code>[anti-pattern: …]</code> names a JAX habit to fix, "
            "and <em>where</em> points at the line of your cell.</p></body></html>")


def write_feedback(course_dir: str, results: list[StudentResult]) -> list[str]:
    """Write ``reports/ASSIGNMENT/feedback/STUDENT.html`` for each result; returns the paths."""
    paths = []
    for result in results:
        path = os.path.join(course_dir, "reports", result.assignment, "feedback", f"{result.student}.html")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(render(result))
        paths.append(path)
    return paths
