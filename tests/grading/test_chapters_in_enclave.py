"""Every chapter's reference solution, run in a jailed kernel with the enclave on, earns every point:
the protections never cost an honest learner anything (JAX, numpy, the course's detectors and whatever
a chapter imports work inside the enclave, and each test cell is attested clean)."""
from __future__ import annotations

import nbformat
import pytest

from tests.course_layout import assignments, source_notebook

from .helpers import run_attested

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("assignment", assignments())
def test_reference_solution_is_attested_in_full(assignment):
    nb = nbformat.read(source_notebook(assignment), as_version=4)
    _, marked, withheld, notes = run_attested(nb, f"enclave-chapter/{assignment}", timeout=600)
    assert marked.digests, "no test cell was marked"
    assert withheld == [] and notes == [], notes
