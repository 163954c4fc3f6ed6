"""Prove from the trace that a learner wrapped blocks in ``jax.checkpoint`` (rematerialisation).

``jax.checkpoint`` (alias ``jax.remat``) leaves one equation per checkpointed call in the trace,
under the primitive name ``remat2`` on every supported JAX (0.5.3 to 0.12); ``checkpoint`` is
accepted too, in case a later version renames it. Counting them tells "each block checkpointed"
from "the whole network wrapped once".
"""
from __future__ import annotations

from typing import Any, Callable

from ..findings import Finding, raise_findings
from ..source import definition_of
from ..walk import Site, primitive_name
from .primitives import find_primitives

__all__ = ["CHECKPOINT_PRIMITIVES", "count_checkpoints", "assert_uses_checkpoint"]

CHECKPOINT_PRIMITIVES = frozenset({"remat2", "checkpoint"})


def _runs(site: Site) -> int:
    """How many times an equation runs: once, or once per step of each ``lax.scan`` around it."""
    runs = 1
    for outer in site.enclosing:
        if primitive_name(outer) == "scan":
            runs *= int(outer.params.get("length", 1))
    return runs


def count_checkpoints(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
    """How many checkpointed calls ``fn(*args, **kwargs)`` makes: each ``jax.checkpoint`` in its trace,
    once per step of any ``lax.scan`` around it (a checkpointed scan body counts every step)."""
    return sum(_runs(site) for site in find_primitives(fn, *args, names=CHECKPOINT_PRIMITIVES, **kwargs))


def assert_uses_checkpoint(
    fn: Callable[..., Any],
    *args: Any,
    instruction: str,
    at_least: int = 1,
    **kwargs: Any,
) -> None:
    """Fail, naming the instruction, unless ``fn(*args, **kwargs)`` makes ``at_least`` checkpointed calls.

    Example: ``assert_uses_checkpoint(loss_and_grads, weights, x, y, at_least=len(weights),
    instruction="wrap each block in jax.checkpoint")``.
    """
    __tracebackhide__ = True
    found = count_checkpoints(fn, *args, **kwargs)
    if found >= at_least:
        return
    seen = "no jax.checkpoint at all" if found == 0 else f"{found} checkpointed call(s), {at_least} expected"
    raise_findings([Finding(
        check="missing-checkpoint",
        what=f"the exercise asks you to {instruction}, but JAX's trace of your function shows {seen}",
        why="a checkpoint around each block makes the backward pass recompute that block's insides instead of "
        "storing them; without one (or with one around the whole network) every intermediate is held at once.",
        fix="wrap the function applied at each step: block = jax.checkpoint(block_fn), then call block(...) "
        "in the loop (wrapping the whole network once saves nothing).",
        where=definition_of(fn),
    )])
