"""``python -m autograder grade [ASSIGNMENT ...]``: grade, then write the run log, the feedback pages and the class report."""
from __future__ import annotations

import os
import re
import warnings
from collections import Counter

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from .feedback import write_feedback
from .batch import grade_assignments, submitted_assignments
from .grader import GradeOptions
from .runlog import GradingState, write_run_log
from .report import write_class_report
from .sandbox import SandboxUnavailable
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
    """Grade one or several assignments (all through one pool), then report; prints where everything is.

    With no assignment, every assignment of solutions/ that has submissions. Returns the exit status.
    """
    names = options.names()
    if not names:
        names = submitted_assignments(os.path.abspath(options.course_dir))
        if not names:
            print(f"No submissions in {os.path.join(options.course_dir, 'submitted')}/*/ for any assignment "
                  f"of {os.path.join(options.course_dir, 'solutions')}/.")
            return 0
    try:
        by_name, coursedir = grade_assignments(options, names)
    except SandboxUnavailable as err:
        print(f"Not graded: {err}. Submissions are never run outside the sandbox.")
        return 2
    course_dir = coursedir.root
    graded = [name for name in names if by_name[name]]
    for name in names:
        if not by_name[name]:
            print(f"No submissions of {name} in {coursedir.submitted_directory}/*/{name}/.")
    if not graded:
        return 0
    logs = {}
    for name in graded:
        scores = _scores(coursedir.db_url, coursedir.course_id, name)
        logs[name] = write_run_log(course_dir, name, by_name[name], scores)
    by_assignment = {}
    for assignment in _graded_assignments(coursedir.db_url, coursedir.course_id):
        state = GradingState.load(coursedir, assignment)
        by_assignment[assignment] = collect_results(course_dir, coursedir.db_url, coursedir.course_id,
                                                    assignment, state.outcomes())
    pages = {name: write_feedback(course_dir, by_assignment.get(name, [])) for name in graded}
    report = write_class_report(course_dir, by_assignment)
    for name in graded:
        outcomes = by_name[name]
        counts = Counter(o.status for o in outcomes)
        print(f"{name}: {counts['graded']} graded, {counts['failed']} scored 0 (could not be graded), "
              f"{counts['unchanged']} unchanged (already graded).")
        for o in outcomes:
            if o.status == "failed":
                print(f"  {o.student}/{o.notebook}: 0 points: {o.reason}")
    print(f"Gradebook:      {_without_password(coursedir.db_url)}")
    if len(graded) == 1:
        name = graded[0]
        print(f"Run log:        {logs[name]}")
        print(f"Feedback pages: {os.path.dirname(pages[name][0]) if pages[name] else '(none)'}")
    else:
        for name in graded:
            print(f"Run log:        {logs[name]}")
        for name in graded:
            print(f"Feedback pages: {os.path.dirname(pages[name][0]) if pages[name] else '(none)'}")
    print(f"Class report:   {report['figure']}  (tables: {os.path.dirname(report['scores'])}/class_*.csv)")
    return 0
