"""Prove from the trace that a learner used the transformation the exercise asks for.

An exercise that says "batch it with ``jax.vmap``" or "get the gradient with ``jax.grad``" is
not answered by the right numbers alone: broadcasting by hand, a formula derived on paper or
plain NumPy give them too. JAX writes every transformation it applies onto the name stack of
the equations it produces (``vmap(jvp())``), and every ``jax.jit`` leaves a jit equation naming
the function it compiles, so the trace shows which transformations really ran.
"""
from __future__ import annotations

from typing import Any, Callable

from .._compat import transform_names
from ..findings import Finding, raise_findings
from ..source import binding_of, definition_of
from ..trace import trace
from ..walk import Site, is_learner_jit, iter_eqns
from .traceable import explain_trace_error

__all__ = ["TRANSFORMS", "find_missing_transform", "assert_uses_transform"]

def _has_transform(*names: str) -> Callable[[Site], bool]:
    """Whether one of ``names`` was applied to this equation by the learner, not inside JAX's own code."""
    return lambda site: not site.in_library_body and bool(set(names) & set(transform_names(site.eqn)))


# For each transformation: how to see it in a traced equation, how it reads, why it matters, the fix.
TRANSFORMS: dict[str, tuple[Callable[[Site], bool], str, str, str]] = {
    "jit": (
        lambda site: is_learner_jit(site.eqn),
        "jax.jit",
        "without jit each operation is dispatched on its own; jit compiles the whole function into "
        "one program that XLA can fuse and optimise.",
        "wrap the function with jax.jit (as a decorator, or jitted = jax.jit(fn)) and call the jitted version.",
    ),
    "vmap": (
        _has_transform("vmap"),
        "jax.vmap",
        "vmap writes the batched program for you from the one-example function, so the code stays "
        "simple and the batch dimension cannot be handled wrongly by hand.",
        "write the function for one example, then batch it with jax.vmap(fn, in_axes=...).",
    ),
    "grad": (
        _has_transform("transpose"),
        "reverse-mode autodiff (jax.grad, jax.value_and_grad, jax.vjp)",
        "autodiff gives the exact derivative of the code as written; a formula worked out by hand or a "
        "finite difference breaks as soon as the function changes.",
        "let JAX differentiate: jax.grad(loss) or jax.value_and_grad(loss), with argnums for the arguments you need.",
    ),
    "autodiff": (
        _has_transform("jvp", "transpose"),
        "JAX's automatic differentiation (jax.grad, jax.jvp, jax.jacfwd, ...)",
        "autodiff gives the exact derivative of the code as written; a formula worked out by hand or a "
        "finite difference breaks as soon as the function changes.",
        "let JAX differentiate the function (jax.grad, jax.jacfwd, jax.jvp, ...).",
    ),
}


def find_missing_transform(
    fn: Callable[..., Any],
    *args: Any,
    transform: str,
    instruction: str | None = None,
    **kwargs: Any,
) -> list[Finding]:
    """A finding when tracing ``fn(*args, **kwargs)`` shows no ``transform`` applied (empty list otherwise).

    ``transform`` is ``"jit"``, ``"vmap"``, ``"grad"`` (reverse mode) or ``"autodiff"`` (any mode);
    ``instruction`` is the statement's own words (``"batch it with jax.vmap"``) for the message.
    """
    if transform not in TRANSFORMS:
        raise ValueError(f"transform must be one of {sorted(TRANSFORMS)}, not {transform!r}")
    seen, display, why, fix = TRANSFORMS[transform]
    asked = instruction or f"use {display}"
    # where the transformation belongs: the line that wrapped or renamed fn, else fn's own def
    where = binding_of(fn) or definition_of(fn)
    try:
        program = trace(fn, *args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - only JAX's tracing errors are explained, others re-raised
        untraceable = explain_trace_error(exc)
        if untraceable is None:
            raise
        what = f"the exercise asks you to {asked}, but JAX cannot trace your function, so it cannot use {display}"
        return [Finding(f"missing-{transform}", what, why, fix, where), untraceable]
    if any(seen(site) for site in iter_eqns(program)):
        return []
    what = f"the exercise asks you to {asked}, but JAX's trace of your function shows no {display}"
    why = f"right numbers computed another way do not answer this exercise: {why}"
    return [Finding(f"missing-{transform}", what, why, fix, where)]


def assert_uses_transform(
    fn: Callable[..., Any],
    *args: Any,
    transform: str,
    instruction: str | None = None,
    **kwargs: Any,
) -> None:
    """Fail, naming the instruction missed, unless ``fn(*args, **kwargs)`` applies ``transform``.

    Example: ``assert_uses_transform(batched_loss, w, xs, transform="vmap",
    instruction="batch the one-example loss with jax.vmap")``.
    """
    __tracebackhide__ = True
    raise_findings(find_missing_transform(fn, *args, transform=transform, instruction=instruction, **kwargs))
