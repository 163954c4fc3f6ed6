"""Every chapter's reference solution, run in a jailed kernel with the enclave on, earns every point:
the protections never cost an honest learner anything (JAX, numpy, the course's detectors and whatever
a chapter imports work inside the enclave, and each test cell is attested clean)."""
from __future__ import annotations

import nbformat
import pytest

from autograder.grading.attest import instrument, read_record, setup_bindings, unattested
from autograder.grading.executor import ExecutionJob, execute_notebook
from tests.course_layout import assignments, source_notebook

from . import helpers  # noqa: F401 - this environment's kernel and tools

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("assignment", assignments())
def test_reference_solution_is_attested_in_full(assignment):
    nb = nbformat.read(source_notebook(assignment), as_version=4)
    marked = instrument(nb, setup_bindings(nb))
    result = execute_notebook(ExecutionJob(key=f"enclave-chapter/{assignment}", notebook=nbformat.writes(nb),
                                           timeout=600, config={}))
    assert result.error is None, result.error
    report = read_record(result.enclave_key, result.enclave_record)
    withheld, notes = unattested({gid: 1.0 for gid in marked.digests}, marked, report)
    assert marked.digests, "no test cell was marked"
    assert withheld == [] and notes + report.notes == [], notes + report.notes
