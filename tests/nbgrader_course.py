"""Run real nbgrader on one assignment in a throw-away copy of the course."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
NBGRADER = [sys.executable, "-m", "nbgrader"]


def _nbgrader(course: Path, *args: str) -> None:
    # nbgrader starts `alembic` by name, and kernels must be this environment's.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = dict(os.environ, PATH=path, JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"))
    done = subprocess.run([*NBGRADER, *args], cwd=course, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def make_course(tmp: Path, assignment: str) -> Path:
    """A course folder in ``tmp`` holding ``assignment``'s source, released by real nbgrader."""
    course = tmp / "course"
    shutil.copytree(REPO / "solutions" / assignment, course / "solutions" / assignment)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    _nbgrader(course, "generate_assignment", assignment, "--force")
    return course


def autograde(course: Path, assignment: str, notebook: nbformat.NotebookNode, student: str = "learner") -> tuple[float, float]:
    """Submit ``notebook`` as ``student``, run ``nbgrader autograde`` and return (score, max_score)."""
    from nbgrader.api import Gradebook

    name = next((REPO / "solutions" / assignment).glob("*.ipynb")).name
    target = course / "submitted" / student / assignment / name
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    _nbgrader(course, "autograde", assignment, "--student", student, "--force")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return submission.score, submission.max_score
