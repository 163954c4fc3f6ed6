"""Every exercise source (solutions/) runs top to bottom under `pytest --nbval-lax` in a kernel of this
environment: the reference solutions pass their visible and hidden tests, and cells tagged
nbval-check-output still print their saved output."""
from __future__ import annotations

import pytest

from tests.course_layout import assignments, source_notebook
from tests.nbval_run import run_nbval


@pytest.mark.slow
@pytest.mark.every_jax
@pytest.mark.parametrize("assignment", assignments())
def test_exercise_source_runs_under_nbval(assignment):
    run_nbval(source_notebook(assignment))
