"""The key-reuse detector against the bank: every offending case caught, no false alarm."""
from __future__ import annotations

import inspect
import linecache
import os
import re

import pytest

import autograder
from autograder import AntiPatternError

from .key_reuse_bank import CASES, REUSE_MARK

pytestmark = pytest.mark.detectors

OFFENDING = [c for c in CASES if c.offending]
CLEAN = [c for c in CASES if not c.offending]


def marked_line(fn) -> int:
    """The line of ``fn`` that ends with the ``# REUSE`` mark."""
    lines, start = inspect.getsourcelines(fn)
    marked = [start + i for i, line in enumerate(lines) if line.rstrip().endswith(REUSE_MARK)]
    assert len(marked) == 1, f"{fn.__name__} needs exactly one {REUSE_MARK} line"
    return marked[0]


def test_bank_is_large_and_balanced():
    assert len(CASES) >= 40
    assert len(OFFENDING) >= 20 and len(CLEAN) >= 20
    assert {c.name.split("[")[1] for c in CASES} == {"typed]", "legacy]"}


@pytest.mark.parametrize("case", OFFENDING, ids=[c.name for c in OFFENDING])
def test_offending_case_is_caught_at_the_learners_line(case):
    with pytest.raises(AntiPatternError) as caught:
        autograder.assert_no_key_reuse(case.fn, *case.args, **case.kwargs)
    message = str(caught.value)
    assert message.startswith("[anti-pattern: key-reuse]")
    findings = caught.value.findings
    assert findings and all(f.check == "key-reuse" for f in findings)

    line = marked_line(case.fn)
    assert re.search(rf"\bline {line}\b", message), message
    where = findings[0].where
    assert where is not None
    assert os.path.basename(where.file) == "key_reuse_bank.py"
    assert where.code == linecache.getline(where.file, where.line).strip()
    assert f"line {where.line}" in message and where.code in message
    if not case.via_helper:
        assert where.line == line
        assert where.code.endswith(REUSE_MARK)


@pytest.mark.parametrize("case", CLEAN, ids=[c.name for c in CLEAN])
def test_clean_case_raises_no_false_alarm(case):
    assert autograder.find_key_reuse(case.fn, *case.args, **case.kwargs) == []
    autograder.assert_no_key_reuse(case.fn, *case.args, **case.kwargs)


def test_message_explains_why_and_how_to_fix():
    case = next(c for c in OFFENDING if c.name == "two_draws[legacy]")
    (finding,) = autograder.find_key_reuse(case.fn, *case.args)
    assert "`key`" in finding.what and "(normal)" in finding.what and "(uniform)" in finding.what
    assert "same random numbers" in finding.why
    assert "jax.random.split(key)" in finding.fix and "fold_in" in finding.fix


def test_loop_reuse_says_it_happens_every_step():
    case = next(c for c in OFFENDING if c.name == "scan_closed_over_key[typed]")
    findings = autograder.find_key_reuse(case.fn, *case.args)
    assert len(findings) == 1 and "every step of a loop" in findings[0].what


def test_public_names_are_exported():
    from autograder.detectors import key_reuse

    assert set(key_reuse.__all__) == {"find_key_reuse", "assert_no_key_reuse"}
    assert autograder.find_key_reuse is key_reuse.find_key_reuse
