"""Vectorisation: Python loops over examples, and weights copied once per example."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

import jax
import numpy as np

from .._compat import ClosedJaxpr, Jaxpr, Var
from ..findings import Finding, raise_findings
from ..source import Location
from ..trace import static_positions, trace
from ..walk import Site, as_jaxpr, primitive_name, sub_jaxprs
from .loops import program_growth

__all__ = ["find_batch_loop", "assert_no_batch_loop", "find_replicated_args", "assert_no_replicated_args"]


def find_batch_loop(
    fn: Callable[..., Any], make_args: Callable[[int], Any], *, sizes: Sequence[int] = (4, 8), **kwargs: Any
) -> list[Finding]:
    """A finding if ``fn(*make_args(b))``'s traced program grows with the batch size ``b``."""
    growth = program_growth(fn, make_args, sizes, kwargs)
    if growth is None:
        return []
    return [
        Finding(
            check="batch-loop",
            what=f"your program grows with the batch size: a Python loop over examples ({growth.describe()})",
            why="a Python loop over the batch is traced once per example: one copy of the per-example code "
            "each, so compile time grows with the batch and the examples run one after another.",
            fix="write the per-example function once and batch it with jax.vmap(f, in_axes=...), "
            "e.g. jax.vmap(predict, in_axes=(0, None))(xs, params).",
            where=growth.line,
        )
    ]


def assert_no_batch_loop(
    fn: Callable[..., Any], make_args: Callable[[int], Any], *, sizes: Sequence[int] = (4, 8), **kwargs: Any
) -> None:
    """Fail if ``fn``'s traced program grows with the batch size (a Python loop over examples)."""
    raise_findings(find_batch_loop(fn, make_args, sizes=sizes, **kwargs))


# Primitives that only move, copy or reshape data: their output is a copy of (part of) the input.
_MOVES = {
    "broadcast_in_dim", "reshape", "transpose", "convert_element_type", "concatenate", "stack", "tile",
    "gather", "squeeze", "expand_dims", "copy", "copy_p", "rev", "pad", "dynamic_update_slice",
    "scatter", "device_put", "dynamic_slice", "slice",
}
# Elementwise operations: XLA fuses a broadcast operand into them, so a copy used only by these (the
# bias of ``x @ W + b``, the fill of ``jnp.where(mask, xs, fill)``) is never materialised.
_ELEMENTWISE = {
    "add", "sub", "mul", "div", "max", "min", "pow", "select_n", "clamp", "atan2", "rem", "nextafter",
    "and", "or", "xor", "eq", "ne", "lt", "gt", "le", "ge", "neg", "exp", "log", "tanh", "logistic",
    "sqrt", "rsqrt", "abs", "sign", "integer_pow", "square", "sin", "cos", "log1p", "expm1",
}
# Elementwise ops that copy the weight when the other operand is a constant fill (jnp.ones((B, 1, 1)) * W).
_FILL_OPS = {"mul", "add", "sub"}
# How NumPy-style broadcasting shows up: copies made this way count only if something materialises them
# (stack, tile, concatenate and gather are copies the learner asked for).
_IMPLICIT = {"broadcast_in_dim"} | _FILL_OPS
# Creation ops whose output is a constant fill.
_CREATIONS = {"broadcast_in_dim", "iota"}


class _Weight:
    def __init__(self, label: str, shape: tuple[int, ...]):
        self.label, self.shape, self.size = label, shape, int(np.prod(shape, dtype=np.int64))


def _is_replica(shape: tuple[int, ...], weight: _Weight, batch_size: int) -> bool:
    if weight.size <= 1 or batch_size not in shape:
        return False
    return int(np.prod(shape, dtype=np.int64)) == batch_size * weight.size


def _align(outer: Sequence[Any], inner: Sequence[Any]) -> list[tuple[Any, Any]]:
    """Pair a nested program's inputs with the equation's (equal lengths, or the last ones)."""
    if len(inner) > len(outer):
        return []
    return list(zip(outer[len(outer) - len(inner):], inner))


def _scan(
    program: Jaxpr | ClosedJaxpr,
    tags: dict[Var, _Weight],
    fills: set[Var],
    batch_size: int,
    enclosing: tuple,
    found: list[tuple[Site, _Weight, tuple[int, ...]]],
) -> dict[Var, _Weight]:
    """Follow copies of the weights through ``program``; record copies that gained a batch axis and
    that something other than a fused elementwise operation reads."""
    jaxpr = as_jaxpr(program)
    here: list[tuple[Site, _Weight, tuple[int, ...], Var]] = []
    for eqn in jaxpr.eqns:
        name = primitive_name(eqn)
        in_vars = [v for v in eqn.invars if isinstance(v, Var)]
        tagged = [tags[v] for v in in_vars if v in tags]
        subs = sub_jaxprs(eqn)
        if subs:
            for _, sub in subs:
                inner = as_jaxpr(sub)
                inner_tags = {i: tags[o] for o, i in _align(eqn.invars, inner.invars) if isinstance(o, Var) and o in tags}
                inner_fills = {i for o, i in _align(eqn.invars, inner.invars) if isinstance(o, Var) and o in fills}
                out_tags = _scan(sub, inner_tags, inner_fills, batch_size, enclosing + (eqn,), found)
                for o, i in _align(eqn.outvars, inner.outvars):
                    if isinstance(i, Var) and i in out_tags and tuple(o.aval.shape) == tuple(i.aval.shape):
                        tags[o] = out_tags[i]
            continue
        if name in _CREATIONS and not in_vars:
            fills.update(eqn.outvars)
            continue
        if name in _CREATIONS and all(v in fills for v in in_vars):
            fills.update(eqn.outvars)
            continue
        weight = None
        if name in _MOVES and tagged:
            weight = tagged[0]
        elif name == "select_n" and len(tagged) == len(in_vars) - 1 and len({id(w) for w in tagged}) == 1:
            weight = tagged[0]  # a choice between copies of the same weights is still a copy
        elif name in _FILL_OPS and len(tagged) == 1 and all(v in fills or v in tags for v in in_vars):
            weight = tagged[0]
        if weight is None:
            continue
        for out in eqn.outvars:
            shape = tuple(getattr(out.aval, "shape", ()))
            if _is_replica(shape, weight, batch_size) and not any(
                _is_replica(tuple(v.aval.shape), weight, batch_size) for v in in_vars if v in tags
            ):
                here.append((Site(eqn, (), enclosing), weight, shape, out))
            tags[out] = weight
    found.extend((site, weight, shape) for site, weight, shape, out in here
                 if site.primitive not in _IMPLICIT or _materialised(out, jaxpr, tags))
    return tags


def _materialised(var: Var, jaxpr: Jaxpr, tags: dict[Var, _Weight]) -> bool:
    """Whether ``var`` (a copy of weights) is read by more than fused elementwise operations."""
    if any(v is var for v in jaxpr.outvars):
        return True
    for eqn in jaxpr.eqns:
        if not any(v is var for v in eqn.invars):
            continue
        if primitive_name(eqn) not in _ELEMENTWISE or sub_jaxprs(eqn):
            return True
        if any(out in tags and tags[out] is tags.get(var) and _materialised(out, jaxpr, tags)
               for out in eqn.outvars):
            return True  # the elementwise result is still the copy (ones(B, 1, 1) * W): follow it
    return False


def _weights(args: tuple, unbatched: Iterable[int], static: Iterable[int]) -> dict[int, _Weight]:
    """Map positions in the flat input list to the unbatched argument leaves they hold."""
    static = set(static)
    unbatched = set(unbatched)
    position, result = 0, {}
    for argnum, arg in enumerate(args):
        if argnum in static:
            continue
        paths = jax.tree_util.tree_flatten_with_path(arg)[0]
        for path, leaf in paths:
            if argnum in unbatched:
                label = f"argument {argnum}{jax.tree_util.keystr(path)}"
                result[position] = _Weight(label, tuple(np.shape(leaf)))
            position += 1
    return result


def find_replicated_args(
    fn: Callable[..., Any],
    *args: Any,
    batch_size: int,
    unbatched_argnums: int | Sequence[int],
    **kwargs: Any,
) -> list[Finding]:
    """Findings where an unbatched argument (the weights) is copied once per example.

    Follows the data from each argument in ``unbatched_argnums`` through broadcasts,
    stacks, concatenations, tiles and gathers, and reports the first copy that gains
    an axis of length ``batch_size`` (``jnp.stack([W] * B)``, ``jnp.tile``,
    ``jnp.broadcast_to``, ``jnp.repeat``...). A shape that merely coincides does not count.
    """
    if isinstance(unbatched_argnums, int):
        unbatched_argnums = (unbatched_argnums,)
    static = static_positions(args, kwargs.get("static_argnums", ()))
    closed = trace(fn, *args, **kwargs)
    weights = _weights(args, unbatched_argnums, static)
    invars = as_jaxpr(closed).invars
    tags = {invars[i]: w for i, w in weights.items() if i < len(invars)}
    found: list[tuple[Site, _Weight, tuple[int, ...]]] = []
    _scan(closed, tags, set(), batch_size, (), found)
    findings, seen = [], set()
    for site, weight, shape in found:
        where: Location | None = site.location
        if (where, weight.label) in seen:
            continue
        seen.add((where, weight.label))
        findings.append(
            Finding(
                check="replicated-weights",
                what=f"{weight.label} (shape {weight.shape}) is copied once per example into an array of shape "
                f"{shape}",
                why=f"the same weights are repeated {batch_size} times: {batch_size}x the memory and copying, "
                "for values that are identical for every example.",
                fix="do not stack or broadcast the weights: map only over the examples with "
                "jax.vmap(f, in_axes=(0, None)) (None = shared, not copied), or use a batched matmul x @ W.",
                where=where,
            )
        )
    return findings


def assert_no_replicated_args(
    fn: Callable[..., Any],
    *args: Any,
    batch_size: int,
    unbatched_argnums: int | Sequence[int],
    **kwargs: Any,
) -> None:
    """Fail if an unbatched argument of ``fn`` is copied once per example."""
    raise_findings(find_replicated_args(fn, *args, batch_size=batch_size, unbatched_argnums=unbatched_argnums, **kwargs))
