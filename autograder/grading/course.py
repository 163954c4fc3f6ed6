"""The course's assignments: every folder of solutions/ (the nbgrader source), found by listing it."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from nbgrader.api import Gradebook, MissingEntry

__all__ = ["assignments", "nbgrader", "release", "ensure_in_gradebook"]


def assignments(course_dir: str) -> list[str]:
    """The assignment ids: folders of ``solutions/`` holding a notebook of the same name."""
    source = os.path.join(course_dir, "solutions")
    if not os.path.isdir(source):
        return []
    return sorted(d for d in os.listdir(source) if os.path.isfile(os.path.join(source, d, f"{d}.ipynb")))


def nbgrader(course_dir: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run one real ``nbgrader`` command on the course."""
    cmd = [sys.executable, "-m", "nbgrader", *args, f"--course-dir={os.path.abspath(course_dir)}"]
    done = subprocess.run(cmd, cwd=course_dir, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def release(course_dir: str, names: list[str] | None = None) -> list[str]:
    """``nbgrader generate_assignment`` for each assignment: solutions/ -> exercises/ and the gradebook."""
    names = names or assignments(course_dir)
    for name in names:
        nbgrader(course_dir, "generate_assignment", name, "--force")
    return names


def ensure_in_gradebook(course_dir: str, assignment: str, db_url: str, course_id: str) -> None:
    """Record the assignment's cells in the gradebook if missing, without touching exercises/."""
    with Gradebook(db_url, course_id) as gb:
        try:
            if gb.find_assignment(assignment).notebooks:
                return
        except MissingEntry:
            pass
    with tempfile.TemporaryDirectory() as scratch:
        nbgrader(course_dir, "generate_assignment", assignment, "--force", f"--db={db_url}",
                 f"--CourseDirectory.release_directory={scratch}")
