"""Find intermediates larger than a memory budget (a full Hessian where a Hessian-vector product would do)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._compat import Var
from ..findings import Finding, raise_findings
from ..trace import trace
from ..walk import iter_eqns

__all__ = ["find_large_intermediates", "assert_max_intermediate_size", "human_bytes"]


def human_bytes(n: int) -> str:
    """``1536`` -> ``'1.5 KiB'``."""
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"  # pragma: no cover


def _nbytes(aval: Any) -> int | None:
    shape, dtype = getattr(aval, "shape", None), getattr(aval, "dtype", None)
    if shape is None or dtype is None:
        return None
    try:
        itemsize = np.dtype(dtype).itemsize
    except TypeError:  # PRNG key dtypes and other extended dtypes
        return None
    return int(np.prod(shape, dtype=np.int64)) * itemsize


def _is_square(shape: tuple[int, ...]) -> bool:
    return len(shape) >= 2 and shape[-1] == shape[-2] and shape[-1] > 1


def find_large_intermediates(fn: Callable[..., Any], *args: Any, max_bytes: int, **kwargs: Any) -> list[Finding]:
    """Findings for every intermediate of ``fn`` (nested programs included, inputs excluded) above ``max_bytes``.

    One finding per learner line, showing that line's largest intermediate.
    """
    largest: dict[Any, tuple[int, Any]] = {}
    order: list[Any] = []
    for site in iter_eqns(trace(fn, *args, **kwargs)):
        for var in site.eqn.outvars:
            if not isinstance(var, Var) or type(var).__name__ == "DropVar":
                continue
            size = _nbytes(var.aval)
            if size is None or size <= max_bytes:
                continue
            where = site.location
            if where not in largest:
                order.append(where)
            if where not in largest or size > largest[where][0]:
                largest[where] = (size, var.aval)
    findings = []
    for where in order:
        size, aval = largest[where]
        shape = tuple(aval.shape)
        what = (
            f"an intermediate of shape {shape} ({np.dtype(aval.dtype).name}) takes {human_bytes(size)}, "
            f"over this exercise's budget of {human_bytes(max_bytes)}"
        )
        if _is_square(shape):
            n = shape[-1]
            why = (
                f"a full {n}x{n} matrix (a Hessian, a Jacobian or an outer product) is materialised: its memory "
                f"grows as n^2, while the answer only needs products of it with vectors (size n)."
            )
            fix = (
                "never build the matrix: use a Hessian-vector product `jax.jvp(jax.grad(f), (x,), (v,))[1]`, "
                "a Jacobian-vector product `jax.jvp(f, (x,), (v,))` (or `jax.vjp` for v^T J), "
                "and for an outer product reassociate: (x x^T) v = x * (x @ v)."
            )
        else:
            why = "the program materialises this whole array at once, far more memory than the task needs."
            fix = (
                "compute it in pieces (lax.scan or lax.map over chunks), reassociate products so that the "
                "large array never forms, or use jax.jvp / jax.vjp instead of full Jacobians."
            )
        findings.append(Finding(check="memory", what=what, why=why, fix=fix, where=where))
    return findings


def assert_max_intermediate_size(fn: Callable[..., Any], *args: Any, max_bytes: int, **kwargs: Any) -> None:
    """Fail if any intermediate of ``fn(*args, **kwargs)`` is larger than ``max_bytes``."""
    raise_findings(find_large_intermediates(fn, *args, max_bytes=max_bytes, **kwargs))
