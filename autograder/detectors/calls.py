"""Prove that the learner's own code calls a given function (``jax.default_backend()``, say).

Some instructions are about a call whose result cannot be told apart on the machine at hand: "choose
the precision with ``jax.default_backend()``" gives the same numbers as a hard-coded ``float32`` on a
CPU-only machine. A profiler watches every call while the learner's function runs (nothing is replaced)
and keeps those of the target made from a learner frame. JAX's caches are cleared first, so a call made
while a jitted function is traced is seen too.
"""
from __future__ import annotations

import sys
from typing import Any, Callable

import jax

from ..findings import Finding, raise_findings
from ..source import is_library_file

__all__ = ["learner_calls_of", "assert_calls"]


def learner_calls_of(target: Callable[..., Any], run: Callable[[], Any]) -> list[str]:
    """The names of the learner's functions that called ``target`` while ``run()`` ran, in call order."""
    code, seen, previous = target.__code__, [], sys.getprofile()

    def watch(frame, event, arg):
        if previous is not None:
            previous(frame, event, arg)
        if event == "call" and frame.f_code is code and not is_library_file(frame.f_back.f_code.co_filename):
            seen.append(frame.f_back.f_code.co_name)

    jax.clear_caches()
    sys.setprofile(watch)
    try:
        run()
    finally:
        sys.setprofile(previous)
    return seen


def assert_calls(
    target: Callable[..., Any],
    run: Callable[[], Any],
    *,
    instruction: str,
    display: str | None = None,
) -> None:
    """Fail, naming the instruction, unless the learner's code calls ``target`` while ``run()`` runs.
    ``display`` is how the message names the target (default: its ``__name__``).

    Example: ``assert_calls(jax.default_backend, lambda: squared_errors(w, X, y, cpus),
    display="jax.default_backend", instruction="choose the precision inside your function with
    jax.default_backend()")``.
    """
    __tracebackhide__ = True
    if learner_calls_of(target, run):
        return
    name = display or target.__name__
    raise_findings([Finding(
        check="missing-call",
        what=f"the exercise asks you to {instruction}, but your code never called {name}() while it ran",
        why="the right numbers on this machine do not show the choice was made: on another machine the "
        "same code must choose again, so the statement asks for the call itself.",
        fix=f"call {name}() inside your function, where the choice is made, not once at module level.",
    )])
