"""Primitives that only move data: identities follow the elements, small integer results are computed."""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..._compat import JaxprEqn
from .identities import Identities, constants, id_array, is_integer, is_key, is_tracked, known_values, shape_of

# Structural primitives that return their operands unchanged.
_IDENTITY = {
    "copy", "copy_p", "device_put", "optimization_barrier", "sharding_constraint",
    "pvary", "reshard", "mesh_cast", "core_call_identity",
}

_INTEGER_OPS: dict[str, Callable] = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "neg": np.negative,
    "max": np.maximum, "min": np.minimum, "lt": np.less, "gt": np.greater,
    "le": np.less_equal, "ge": np.greater_equal, "eq": np.equal, "ne": np.not_equal,
    "and": np.bitwise_and, "or": np.bitwise_or, "xor": np.bitwise_xor,
    "rem": np.fmod, "abs": np.abs, "sign": np.sign,
    "convert_element_type": lambda a: a,
    "clamp": lambda lo, a, hi: np.minimum(np.maximum(a, lo), hi),
}


def move(name: str, eqn: JaxprEqn, inputs: list, ids: Identities) -> list | None:
    """The outputs of a shape-only or small integer primitive, or None when it is not one."""
    p = eqn.params
    out_avals = [v.aval for v in eqn.outvars]
    if name in _IDENTITY:
        return list(inputs) if len(inputs) == len(out_avals) else None
    x = inputs[0] if inputs else None
    tracked = is_tracked(x)
    if name == "slice" and tracked:
        strides = p.get("strides") or (1,) * x.ndim
        return [x[tuple(slice(a, b, s) for a, b, s in zip(p["start_indices"], p["limit_indices"], strides))]]
    if name == "squeeze" and tracked:
        return [np.squeeze(x, axis=tuple(p["dimensions"])) if p["dimensions"] else x]
    if name == "reshape" and tracked:
        if p.get("dimensions") is not None:
            x = np.transpose(x, p["dimensions"])
        return [x.reshape(tuple(p["new_sizes"]))]
    if name == "expand_dims" and tracked:
        return [np.expand_dims(x, tuple(p["dimensions"]))]
    if name == "broadcast_in_dim" and tracked:
        shape = tuple(p["shape"])
        dims = tuple(p["broadcast_dimensions"])
        expanded = [1] * len(shape)
        for axis, dim in enumerate(dims):
            expanded[dim] = x.shape[axis]
        return [np.broadcast_to(x.reshape(expanded), shape).copy()]
    if name == "transpose" and tracked:
        return [np.transpose(x, p["permutation"])]
    if name == "rev" and tracked:
        return [np.flip(x, axis=tuple(p["dimensions"]))]
    if name in ("concatenate", "stack") and all(is_tracked(v) for v in inputs):
        axis = p.get("dimension", p.get("axis"))
        join = np.concatenate if name == "concatenate" else np.stack
        return [join(inputs, axis=axis)]
    if name == "unstack" and tracked:  # JAX 0.12 unpacks `a, b = split(key)` with one unstack
        rest = x.shape[:p["axis"]] + x.shape[p["axis"] + 1:]
        return [np.take(x, [i], axis=p["axis"]).reshape(rest) for i in range(x.shape[p["axis"]])]
    if name == "split" and tracked:
        cuts = np.cumsum(p["sizes"])[:-1]
        return list(np.split(x, cuts, axis=p["axis"]))
    if name == "dynamic_slice" and tracked:
        return _dynamic_slice(x, inputs[1:], p["slice_sizes"])
    if name == "dynamic_update_slice" and tracked and is_tracked(inputs[1]):
        return _dynamic_update_slice(x, inputs[1], inputs[2:])
    if name == "select_n":
        return _select(inputs, ids)
    if name == "convert_element_type":
        source, target = eqn.invars[0].aval, out_avals[0]
        if tracked and (is_key(source) or source.dtype == target.dtype):
            return [x]
        if is_integer(source) and is_integer(target):
            folded = _fold_constants(name, p, inputs, out_avals)
            if folded is not None:
                return folded
            # the same integers converted the same way: equal results (fold_in data, seeds)
            tag = str(np.dtype(target.dtype))
            if tracked:
                return [id_array(x.shape, (("as", tag, e) for e in x.ravel()))]
            return [("as", tag, x)]
    return _fold_constants(name, p, inputs, out_avals)


def _dynamic_slice(x: np.ndarray, start_ids: list, sizes: tuple) -> list | None:
    starts = [known_values(v) for v in start_ids]
    if any(s is None for s in starts):
        return None
    index = []
    for dim, (start, size) in enumerate(zip(starts, sizes)):
        begin = min(max(int(start.item()), 0), x.shape[dim] - size)
        index.append(slice(begin, begin + size))
    return [x[tuple(index)]]


def _dynamic_update_slice(x: np.ndarray, update: np.ndarray, start_ids: list) -> list | None:
    starts = [known_values(v) for v in start_ids]
    if any(s is None for s in starts):
        return None
    out = x.copy()
    index = []
    for dim, start in enumerate(starts):
        begin = min(max(int(start.item()), 0), x.shape[dim] - update.shape[dim])
        index.append(slice(begin, begin + update.shape[dim]))
    out[tuple(index)] = update
    return [out]


def _select(inputs: list, ids: Identities) -> list | None:
    """``select_n``: the chosen case when the predicate is known, else what all cases agree on."""
    predicate, cases = inputs[0], inputs[1:]
    if not all(is_tracked(c) for c in cases):
        return None
    cases = np.broadcast_arrays(*cases)
    known = known_values(predicate)
    out = np.empty(cases[0].shape, dtype=object)
    pick = None if known is None else np.broadcast_to(known, out.shape)
    for index in np.ndindex(out.shape):
        options = [c[index] for c in cases]
        if pick is not None:
            out[index] = options[int(pick[index])]
        elif all(o == options[0] for o in options):
            out[index] = options[0]
        else:
            out[index] = ids.token()
    return [out]


def _fold_constants(name: str, p: dict, inputs: list, out_avals: list) -> list | None:
    """Compute small integer results whose inputs are all known (indices, loop bounds)."""
    if len(out_avals) != 1 or not is_integer(out_avals[0]):
        return None
    aval = out_avals[0]
    if name == "iota":
        shape = tuple(p["shape"])
        values = np.broadcast_to(
            np.arange(shape[p["dimension"]]).reshape(
                [-1 if d == p["dimension"] else 1 for d in range(len(shape))]
            ),
            shape,
        )
        return [constants(values)]
    values = [known_values(v) for v in inputs]
    if not inputs or any(v is None for v in values):
        return None
    arrays = [np.asarray(v.astype(np.int64)) for v in values]
    if name not in _INTEGER_OPS:
        return None
    result = np.asarray(_INTEGER_OPS[name](*arrays))
    dtype = np.dtype(aval.dtype)
    if dtype != np.bool_ and dtype.itemsize < 8:
        info = np.iinfo(dtype)
        result = np.mod(result - info.min, 1 << info.bits) + info.min
    return [constants(np.broadcast_to(result.astype(np.int64), shape_of(aval)))]
