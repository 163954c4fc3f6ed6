"""Every detector against its bank: each offending function caught at the learner's marked line with a
clean message, each clean function (written in another learner style) never flagged."""
from __future__ import annotations

import re

import pytest

from autograder import AntiPatternError

from .banks import BANKS, MARK, load, run

pytestmark = pytest.mark.detectors

_BANKS = {name: load(name) for name in BANKS}
_OFFENDING = [(name, case) for name, bank in _BANKS.items() for case in bank.OFFENDING]
_CLEAN = [(name, case) for name, bank in _BANKS.items() for case in bank.CLEAN]
# What a learner must never read: JAX's internal reprs.
_INTERNAL = re.compile(r"Traced<|\w*Tracer[<(]|ShapedArray|ConcreteArray|<class '|jax\._src|jaxlib|DynamicJaxprTrace")


def _id(item) -> str:
    return f"{item[0]}-{item[1].name}"


@pytest.mark.parametrize("name", BANKS)
def test_every_bank_is_large_and_balanced(name):
    bank = _BANKS[name]
    assert len(bank.CLEAN) >= 10 and len(bank.OFFENDING) >= 10
    assert len({c.name for c in bank.CLEAN + bank.OFFENDING}) == len(bank.CLEAN) + len(bank.OFFENDING)


@pytest.mark.parametrize("item", _OFFENDING, ids=_id)
def test_offending_function_is_caught_at_the_marked_line(item):
    name, case = item
    bank = _BANKS[name]
    findings = run(bank, case)
    assert findings, f"{case.name} was not caught"
    assert {f.check for f in findings} <= set(bank.CHECKS)
    mark = getattr(bank, "MARK", MARK)
    if case.name in getattr(bank, "CALLED_FROM", ()):  # the helper's line, called from the marked line
        with open(bank.SOURCE) as source:
            named = [i for i, text in enumerate(source, 1) if mark in text and f"line {i}" in findings[0].what]
        assert named, findings[0].what
        return
    marked = [f.where for f in findings if f.where is not None and mark in f.where.code]
    assert marked, [str(f.where) for f in findings]
    assert marked[0].file == getattr(bank, "SOURCE", bank.__file__)


@pytest.mark.parametrize("item", _OFFENDING, ids=_id)
def test_message_is_plain_and_names_the_learners_line(item):
    name, case = item
    bank = _BANKS[name]
    with pytest.raises(AntiPatternError) as caught:
        bank.ASSERT(case.fn, *case.args, **case.kwargs)
    message = str(caught.value)
    first = caught.value.findings[0]
    assert message.startswith("[anti-pattern: ")
    assert not _INTERNAL.search(message), message
    assert message.count(first.what) == 1, message  # the headline is not repeated
    assert first.where is not None and f"where: {first.where}" in message


@pytest.mark.parametrize("item", _CLEAN, ids=_id)
def test_clean_function_is_never_flagged(item):
    name, case = item
    assert run(_BANKS[name], case) == []
