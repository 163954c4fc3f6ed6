"""Banks of learner-style functions for every detector: clean ones (never flagged) and offending ones
(always caught, at the line marked ``# MISTAKE``).

Each module holds ``FIND`` (the ``find_*`` function), ``ASSERT`` (the ``assert_*`` function), ``CHECKS``
(the finding ids it may report), ``CLEAN`` and ``OFFENDING`` (lists of ``Case``). A case is run as
``FIND(case.fn, *case.args, **case.kwargs)``. ``benchmarks/detectors.py`` measures the same banks.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

MARK = "# MISTAKE"

BANKS = (
    "timing", "transfers", "memory", "unrolled_loop", "batch_loop", "replicated",
    "forbidden_primitive", "required_primitive", "side_effects", "dtypes", "updates",
    "traceable", "jit_scope", "donation", "key_reuse",
)


@dataclass
class Case:
    """One learner function and the arguments the check gets (for timing: ``f, x, repeats``)."""

    fn: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or getattr(self.fn, "__name__", "case")


def load(name: str) -> ModuleType:
    """The bank module ``name``."""
    return importlib.import_module(f"{__name__}.{name}")


def run(bank: ModuleType, case: Case) -> list:
    """The findings of ``bank``'s detector on ``case``."""
    return bank.FIND(case.fn, *case.args, **case.kwargs)
