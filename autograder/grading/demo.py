"""A synthetic class built from solutions/: right, partly wrong, anti-pattern, crashing, hanging and broken work.

Submissions start from the released notebook (what a learner downloads) and fill the solution cells:
- ``full``: every solution cell from the source (full marks);
- ``partial``: some solution cells left as the released stub;
- ``anti``: wrong variants from the chapter bank ``tests/banks/<assignment>.py`` (``BANK`` maps a solution
  cell ``grade_id`` to submissions with ``label``, ``source``, ``correct``, ``anti_pattern``); stubs when absent;
- ``crash`` (``os._exit``), ``hang`` (an endless loop) and ``malformed`` (not valid JSON).
"""
from __future__ import annotations

import importlib.util
import os
import random
import shutil
import sys

import nbformat

from .course import assignments, release

__all__ = ["build_demo_class", "load_bank", "KINDS"]

KINDS = ("full", "partial", "anti", "crash", "hang", "malformed")
_MIX = ("full", "partial", "anti", "anti", "full", "partial")


def load_bank(course_dir: str, assignment: str) -> dict[str, list]:
    """The chapter bank ``tests/banks/<assignment>.py`` of ``course_dir``, imported by path; {} if absent."""
    path = os.path.join(course_dir, "tests", "banks", f"{assignment}.py")
    if not os.path.exists(path):
        return {}
    sys.path.insert(0, os.path.abspath(course_dir))
    try:
        spec = importlib.util.spec_from_file_location(f"_demo_bank_{assignment}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(os.path.abspath(course_dir))
    return dict(getattr(module, "BANK", {}))


def _solution_ids(nb: nbformat.NotebookNode) -> list[str]:
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]


def _wrong_variant(bank: dict[str, list], grade_id: str, rng: random.Random) -> str | None:
    wrong = [s for s in bank.get(grade_id, []) if not getattr(s, "correct", True)]
    tagged = [s for s in wrong if getattr(s, "anti_pattern", None)]
    pick = tagged or wrong
    return rng.choice(pick).source if pick else None


def _submission(kind: str, source: nbformat.NotebookNode, released: nbformat.NotebookNode,
                bank: dict[str, list], rng: random.Random) -> nbformat.NotebookNode:
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    ids = _solution_ids(released)
    if kind == "partial" and ids:
        for grade_id in rng.sample(ids, max(1, len(ids) // 2)):
            answers.pop(grade_id, None)
    if kind == "anti":
        for grade_id in ids:
            variant = _wrong_variant(bank, grade_id, rng)
            if variant is not None or not bank:
                answers[grade_id] = variant if variant is not None else None
        answers = {k: v for k, v in answers.items() if v is not None}
    nb = nbformat.from_dict(released)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    if kind in ("crash", "hang") and ids:
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == ids[0])
        cell.source += "\nimport os\nos._exit(1)" if kind == "crash" else "\nwhile True:\n    pass"
    return nb


def build_demo_class(course_dir: str, out: str, students: int = 12, seed: int = 0) -> str:
    """Build ``out`` (a course with solutions/, exercises/ and submitted/); returns how to grade it."""
    rng = random.Random(seed)
    course_dir, out = os.path.abspath(course_dir), os.path.abspath(out)
    names = assignments(course_dir)
    if not names:
        return f"No assignments in {course_dir}/solutions/: nothing to build."
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(os.path.join(course_dir, "solutions"), os.path.join(out, "solutions"))
    config = os.path.join(course_dir, "nbgrader_config.py")
    if not os.path.exists(config):
        config = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "nbgrader_config.py")
    shutil.copy(config, os.path.join(out, "nbgrader_config.py"))
    release(out, names)
    kinds = [KINDS[i] if i < len(KINDS) else _MIX[i % len(_MIX)] for i in range(students)]
    for name in names:
        source = nbformat.read(os.path.join(out, "solutions", name, f"{name}.ipynb"), as_version=4)
        released = nbformat.read(os.path.join(out, "exercises", name, f"{name}.ipynb"), as_version=4)
        bank = load_bank(course_dir, name)
        for i, kind in enumerate(kinds, 1):
            folder = os.path.join(out, "submitted", f"student{i:03d}_{kind}", name)
            os.makedirs(folder)
            path = os.path.join(folder, f"{name}.ipynb")
            if kind == "malformed":
                with open(path, "w") as f:
                    f.write(nbformat.writes(released)[: 200])
                continue
            nbformat.write(_submission(kind, source, released, bank, rng), path)
    commands = "\n".join(f"  python -m autograder grade {n} --course-dir {out} --timeout 60" for n in names)
    return f"Demo class of {students} students in {out}. Grade it with:\n{commands}"
