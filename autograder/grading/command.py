"""``python -m autograder grade``: grade, then write the run log, the feedback pages and the class report."""
from __future__ import annotations

import os
import re
import warnings
from collections import Counter

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from .feedback import write_feedback
from .grader import GradeOptions, GradingState, grade_assignment, write_run_log
from .report import write_class_report
from .results import collect_results

__all__ = ["grade_command"]

# nbgrader's gradebook code trips SQLAlchemy's autoflush warning when it registers new submissions;
# it is harmless and would only bury the progress bar and the summary.
warnings.filterwarnings("ignore", category=SAWarning, module=r"nbgrader\.")


def _scores(db_url: str, course_id: str, assignment: str) -> dict[tuple[str, str], tuple[float, float]]:
    scores = {}
    with Gradebook(db_url, course_id) as gb:
        try:
            submissions = gb.assignment_submissions(assignment)
        except MissingEntry:
            return scores
        for sub in submissions:
            for nb in sub.notebooks:
                scores[(sub.student.id, nb.name)] = (float(nb.score or 0), float(nb.max_score or 0))
    return scores


def _without_password(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def _graded_assignments(db_url: str, course_id: str) -> list[str]:
    with Gradebook(db_url, course_id) as gb:
        return sorted(a.name for a in gb.assignments if a.submissions)


def grade_command(options: GradeOptions) -> int:
    """Grade one assignment and report; prints where everything is. Returns the exit status."""
    outcomes, coursedir = grade_assignment(options)
    course_dir = coursedir.root
    if not outcomes:
        print(f"No submissions of {options.assignment} in {coursedir.submitted_directory}/*/{options.assignment}/.")
        return 0
    scores = _scores(coursedir.db_url, coursedir.course_id, options.assignment)
    log = write_run_log(course_dir, options.assignment, outcomes, scores)
    by_assignment = {}
    for assignment in _graded_assignments(coursedir.db_url, coursedir.course_id):
        state = GradingState.load(coursedir, assignment)
        by_assignment[assignment] = collect_results(course_dir, coursedir.db_url, coursedir.course_id,
                                                    assignment, state.outcomes())
    pages = write_feedback(course_dir, by_assignment.get(options.assignment, []))
    report = write_class_report(course_dir, by_assignment)
    counts = Counter(o.status for o in outcomes)
    print(f"{options.assignment}: {counts['graded']} graded, {counts['failed']} scored 0 (could not be graded), "
          f"{counts['unchanged']} unchanged (already graded).")
    for o in outcomes:
        if o.status == "failed":
            print(f"  {o.student}/{o.notebook}: 0 points: {o.reason}")
    print(f"Gradebook:      {_without_password(coursedir.db_url)}")
    print(f"Run log:        {log}")
    print(f"Feedback pages: {os.path.dirname(pages[0]) if pages else '(none)'}")
    print(f"Class report:   {report['figure']}  (tables: {os.path.dirname(report['scores'])}/class_*.csv)")
    return 0
