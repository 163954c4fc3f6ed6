"""Find intermediates larger than a memory budget (a full Hessian where a Hessian-vector product would do)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._compat import ClosedJaxpr, Jaxpr, Var
from ..findings import Finding, raise_findings
from ..trace import trace
from ..walk import Site, as_jaxpr, primitive_name, sub_jaxprs

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


# Primitives whose output is the operand rearranged (never more bytes): applied to an input, XLA reads the
# input in the new order instead of materialising a copy (``A.T @ r`` never forms ``A.T``).
_VIEWS = {"transpose", "reshape", "squeeze", "expand_dims", "copy", "copy_p", "rev", "slice", "convert_element_type"}


def _is_float(aval: Any) -> bool:
    try:
        return np.dtype(aval.dtype).kind in "fc"
    except TypeError:
        return False


def _views_of_inputs(program: Jaxpr | ClosedJaxpr, views: set[Var], found: list[tuple[Site, Var]],
                     enclosing: tuple = ()) -> None:
    """Collect every (site, output) of ``program``; ``views`` holds the inputs and their rearrangements."""
    for eqn in as_jaxpr(program).eqns:
        subs = sub_jaxprs(eqn)
        for _, sub in subs:
            inner = as_jaxpr(sub)
            offset = len(eqn.invars) - len(inner.invars)
            inner_views = {i for o, i in zip(eqn.invars[max(offset, 0):], inner.invars)
                           if offset >= 0 and isinstance(o, Var) and o in views}
            _views_of_inputs(sub, inner_views, found, enclosing + (eqn,))
        operands = [v for v in eqn.invars if isinstance(v, Var)]
        for out in eqn.outvars:
            if not isinstance(out, Var) or type(out).__name__ == "DropVar":
                continue
            if primitive_name(eqn) in _VIEWS and operands and operands[0] in views and \
                    (_nbytes(out.aval) or 0) <= (_nbytes(operands[0].aval) or 0):
                views.add(out)
                continue
            found.append((Site(eqn, (), enclosing), out))


def find_large_intermediates(fn: Callable[..., Any], *args: Any, max_bytes: int, **kwargs: Any) -> list[Finding]:
    """Findings for every intermediate of ``fn`` (nested programs included) above ``max_bytes``.

    Inputs do not count, nor do their rearrangements (a transpose, a reshape, a slice): XLA reads
    the input in place. One finding per learner line, showing that line's largest floating-point
    intermediate (the learner's Hessian, not the integer identity basis JAX builds to compute it).
    """
    closed = trace(fn, *args, **kwargs)
    jaxpr = as_jaxpr(closed)
    outputs: list[tuple[Site, Var]] = []
    _views_of_inputs(closed, set(jaxpr.invars) | set(jaxpr.constvars), outputs)
    largest: dict[Any, tuple[tuple[bool, int], Any]] = {}
    order: list[Any] = []
    for site, var in outputs:
        size = _nbytes(var.aval)
        if size is None or size <= max_bytes:
            continue
        where = site.location
        rank = (_is_float(var.aval), size)
        if where not in largest:
            order.append(where)
        if where not in largest or rank > largest[where][0]:
            largest[where] = (rank, var.aval)
    findings, shown = [], set()
    for where in order:
        (_, size), aval = largest[where]
        shape = tuple(aval.shape)
        if (shape, str(aval.dtype)) in shown:
            continue  # the same matrix again, in the function a transformation batches (jax.hessian(f): f's lines)
        shown.add((shape, str(aval.dtype)))
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
