"""Grade one exercise of an nbgrader source notebook in-process, on any submitted source.

The banks of wrong and alternative submissions (``tests/banks/<assignment>.py``) are run
through this: it executes the notebook's set-up cells and reference solutions up to the
exercise, swaps in the submitted source for the exercise's solution cell, then runs that
exercise's test cells (hidden tests included) and adds up their points.
"""
from __future__ import annotations

import contextlib
import io
import linecache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Submission:
    """One entry of a bank: a source for a solution cell, and whether it deserves full marks."""

    label: str
    source: str
    correct: bool
    anti_pattern: str | None = None


@dataclass
class ExerciseResult:
    """Points earned by one submission and the message of each failed test cell."""

    points: float
    max_points: float
    failures: dict[str, str] = field(default_factory=dict)

    @property
    def full_marks(self) -> bool:
        return self.points == self.max_points


def _nbgrader(cell: Any) -> dict[str, Any]:
    return cell.get("metadata", {}).get("nbgrader", {})


# Global JAX settings a notebook may change; each grading run starts from and restores them.
_JAX_FLAGS = ("jax_enable_x64", "jax_debug_nans", "jax_disable_jit", "jax_log_compiles", "jax_transfer_guard")


@contextlib.contextmanager
def _restored_jax_flags():
    import jax

    saved = {name: getattr(jax.config, name) for name in _JAX_FLAGS}
    try:
        yield
    finally:
        for name, value in saved.items():
            jax.config.update(name, value)


def _run_cell(source: str, name: str, namespace: dict[str, Any]) -> None:
    filename = f"<cell {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - that is the point


class ExerciseNotebook:
    """An nbgrader source notebook seen as a list of exercises."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.cells = nbformat.read(self.path, as_version=4).cells
        self.solution_ids = [
            _nbgrader(c)["grade_id"]
            for c in self.cells
            if c.cell_type == "code" and _nbgrader(c).get("solution") and not _nbgrader(c).get("grade")
        ]

    def test_cells(self, exercise_id: str) -> list[Any]:
        """The autograded test cells of one exercise (``<exercise_id>_test...``)."""
        return [
            c
            for c in self.cells
            if _nbgrader(c).get("grade") and _nbgrader(c)["grade_id"].startswith(f"{exercise_id}_test")
        ]

    def reference(self, exercise_id: str) -> str:
        """The reference solution source of one exercise."""
        return next(c.source for c in self.cells if _nbgrader(c).get("grade_id") == exercise_id)

    def grade(self, exercise_id: str, source: str) -> ExerciseResult:
        """Run the notebook up to ``exercise_id``'s tests with ``source`` as its solution."""
        with _restored_jax_flags():
            return self._grade(exercise_id, source)

    def _grade(self, exercise_id: str, source: str) -> ExerciseResult:
        tests = self.test_cells(exercise_id)
        if not tests:
            raise KeyError(f"{self.path.name} has no test cells for {exercise_id}")
        last = max(self.cells.index(c) for c in tests)
        namespace: dict[str, Any] = {"__name__": "__main__"}
        result = ExerciseResult(0.0, float(sum(_nbgrader(c).get("points", 0) for c in tests)))
        for cell in self.cells[: last + 1]:
            meta = _nbgrader(cell)
            if cell.cell_type != "code":
                continue
            grade_id = meta.get("grade_id", f"cell{self.cells.index(cell)}")
            if meta.get("grade"):
                if cell not in tests:
                    continue
                try:
                    _run_cell(cell.source, grade_id, namespace)
                    result.points += float(meta.get("points", 0))
                except BaseException as err:  # noqa: BLE001 - a test cell failing is the data here
                    result.failures[grade_id] = f"{type(err).__name__}: {err}"
                continue
            code = source if grade_id == exercise_id else cell.source
            try:
                _run_cell(code, grade_id, namespace)
            except BaseException as err:  # noqa: BLE001 - nbgrader carries on past a failing cell too
                if grade_id != exercise_id:
                    raise RuntimeError(f"set-up cell {grade_id} of {self.path.name} failed: {err}") from err
        return result


def load_bank(assignment: str) -> dict[str, list[Submission]]:
    """The bank ``tests/banks/<assignment>.py`` as {solution grade_id: submissions}."""
    import importlib.util

    path = REPO / "tests" / "banks" / f"{assignment}.py"
    spec = importlib.util.spec_from_file_location(f"bank_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.BANK
