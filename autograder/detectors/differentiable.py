"""Explain why reverse-mode autodiff (``jax.grad``) fails on a learner's function.

The usual cause is a ``lax.while_loop`` (or a ``lax.fori_loop`` whose bounds are traced, which
JAX turns into one) on the path from the inputs to the output: its trip count is only known
at run time, so JAX cannot store the steps the backward pass would walk through. It supports
forward mode (``jax.jvp``, ``jax.jacfwd``) but not reverse mode.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp

from ..findings import Finding, raise_findings
from ..source import location_in_traceback
from ..trace import trace
from ..walk import iter_eqns

__all__ = ["find_not_reverse_differentiable", "assert_reverse_differentiable"]

CHECK = "while-loop-grad"


def _of_differentiated(fn: Callable[..., Any], args: tuple, argnums: tuple[int, ...], kwargs: dict) -> Callable[..., Any]:
    """``fn`` as a function of the arguments at ``argnums`` only; the others keep the values given
    (a Python int stays a Python int), as ``jax.grad`` passes them."""

    def of(*wrt: Any) -> Any:
        full = list(args)
        for position, value in zip(argnums, wrt):
            full[position] = value
        return fn(*full, **kwargs)

    return of


def _pullback_of(of: Callable[..., Any]) -> Callable[..., Any]:
    """A function running the reverse pass of ``of`` (seeded with ones)."""

    def backward(*wrt: Any) -> Any:
        out, pullback = jax.vjp(of, *wrt)
        return pullback(jax.tree.map(jnp.ones_like, out))

    return backward


def _while_loop_line(of: Callable[..., Any], wrt: tuple):
    """The learner's line holding the first while loop of the program, if one can be found."""
    try:
        sites = iter_eqns(trace(of, *wrt))
        return next((s.location for s in sites if s.primitive == "while"), None)
    except Exception:  # the forward trace failing is reported by the caller's error already
        return None


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def find_not_reverse_differentiable(
    fn: Callable[..., Any], *args: Any, argnums: int | Sequence[int] = 0, **kwargs: Any
) -> list[Finding]:
    """Findings for why reverse-mode autodiff of ``fn(*args, **kwargs)`` fails; empty if it works.

    Only traces (``jax.make_jaxpr`` of ``jax.vjp``): nothing is computed. Differentiates with
    respect to the positional arguments at ``argnums``; the others are passed as given.
    """
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    of = _of_differentiated(fn, args, nums, kwargs)
    wrt = tuple(args[i] for i in nums)
    try:
        jax.make_jaxpr(_pullback_of(of))(*wrt)
        return []
    except Exception as exc:  # grading must never crash on a learner's error
        text = str(exc)
        if "while_loop" in text and "reverse-mode" in text.lower():
            return [Finding(
                check=CHECK,
                what="jax.grad cannot differentiate your function: it runs a lax.while_loop "
                "(or a lax.fori_loop with traced bounds) on the way to the output.",
                why="reverse mode replays the loop's steps backwards, so it must know in advance how "
                "many there are; a while loop decides that only while it runs. Forward mode "
                "(jax.jvp, jax.jacfwd) works, jax.grad does not.",
                fix="loop a fixed number of times with lax.scan(step, carry, xs, length=n), or "
                "lax.fori_loop(0, n, body, init) with Python-int bounds n (known before tracing).",
                where=_while_loop_line(of, wrt),
            )]
        return [Finding(
            check="not-differentiable",
            what=f"jax.grad of your function raised {type(exc).__name__}: {_first_line(exc)}",
            why="the exercise takes the gradient of your function, so it must be differentiable "
            "with jax.grad.",
            fix="run jax.grad(your_function) on a small input to see the full error, and fix the "
            "line shown.",
            where=location_in_traceback(exc.__traceback__),
        )]


def assert_reverse_differentiable(
    fn: Callable[..., Any], *args: Any, argnums: int | Sequence[int] = 0, **kwargs: Any
) -> None:
    """Fail, explaining why, if ``jax.grad`` (reverse mode) cannot differentiate ``fn``."""
    raise_findings(find_not_reverse_differentiable(fn, *args, argnums=argnums, **kwargs))
