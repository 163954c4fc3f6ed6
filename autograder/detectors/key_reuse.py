"""Find PRNG keys that feed more than one random draw or split on one execution path.

Nothing is computed: the function is traced to a jaxpr, then every key-like value
is followed symbolically. Each element of a key array (typed ``jax.random.key``
or the raw ``uint32`` data of a legacy ``jax.random.PRNGKey``) gets an identity;
slicing, stacking, reshaping, wrapping and unwrapping move identities around,
``split`` and ``fold_in`` derive new ones, and every draw or split consumes the
identities it is given. Consuming one identity twice on one path is key reuse.
Whatever cannot be followed gets a fresh identity, so unknown code never raises
a false alarm.
"""
from __future__ import annotations

import inspect
import itertools
import linecache
import os
from dataclasses import dataclass
from typing import Any, Callable

import jax
import numpy as np

from .._compat import ClosedJaxpr, Jaxpr, JaxprEqn, Literal
from ..findings import Finding, raise_findings
from ..source import Location, is_library_file
from ..trace import trace
from ..walk import as_jaxpr, primitive_name, sub_jaxprs

__all__ = ["find_key_reuse", "assert_no_key_reuse"]

CHECK = "key-reuse"

WHY = (
    "A JAX key is a fixed seed, not a generator with state: the same key gives the same "
    "random numbers every time, so these draws are identical or correlated instead of "
    "independent samples."
)
FIX = (
    "Split before each use and never use a key again once it has been split or drawn from: "
    "`key, sub = jax.random.split(key)`, then draw with `sub`. In a loop, split the carried key "
    "every step, or use `jax.random.fold_in(key, step)` to get a different key per step."
)

# Arrays with more elements than this are not followed element by element.
_MAX_TRACKED = 1 << 16
# How many iterations of a loop body are followed (enough to see a key used on two steps).
_UNROLL = 3

_AUTOGRADER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep

# Structural primitives that return their operands unchanged.
_IDENTITY = {
    "copy", "copy_p", "device_put", "optimization_barrier", "sharding_constraint",
    "pvary", "reshard", "mesh_cast", "core_call_identity",
}


@dataclass(frozen=True)
class _Use:
    """One draw or split: where it happened and which loop iteration it belonged to."""

    api: str
    frames: tuple  # learner frames, innermost first
    location: Location | None
    site: int  # id() of the equation
    iteration: tuple  # ((id(loop eqn), step), ...) of the loops around it
    call: tuple | None  # the one jax.random call that holds it, in its nesting and loop step


@dataclass(frozen=True)
class _Context:
    enclosing: tuple  # equations that hold the current program, outermost first
    iteration: tuple


def _is_key(aval: Any) -> bool:
    try:
        return jax.dtypes.issubdtype(aval.dtype, jax.dtypes.prng_key)
    except Exception:  # pragma: no cover - odd avals
        return False


def _is_integer(aval: Any) -> bool:
    try:
        return np.issubdtype(np.dtype(aval.dtype), np.integer) or np.dtype(aval.dtype) == np.bool_
    except TypeError:
        return False


def _shape(aval: Any) -> tuple:
    return tuple(getattr(aval, "shape", ()))


def _impl_name(impl: Any) -> str:
    return str(getattr(impl, "name", impl))


def _tracked(value: Any) -> bool:
    return isinstance(value, np.ndarray) and value.dtype == object


def _obj_array(shape: tuple, items) -> np.ndarray:
    out = np.empty(int(np.prod(shape, dtype=np.int64)), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out.reshape(shape)


def _known_values(value: Any) -> np.ndarray | None:
    """The integers behind a tracked array whose every element is a known constant."""
    if not _tracked(value):
        return None
    flat = value.ravel()
    if not all(isinstance(e, tuple) and e[:1] == ("cval",) for e in flat):
        return None
    return np.array([e[1] for e in flat], dtype=object).reshape(value.shape)


def _constants(array: np.ndarray) -> np.ndarray:
    return _obj_array(array.shape, (("cval", int(v)) for v in np.asarray(array).ravel()))


# --- where a use happened -------------------------------------------------------------


def _frames(eqn: JaxprEqn) -> list[tuple[str, int, str]]:
    tb = getattr(eqn.source_info, "traceback", None)
    if tb is None:
        return []
    return [(f.file_name, f.line_num, f.function_name) for f in tb.frames]


def _learner_frames(frames: list) -> tuple[tuple, bool]:
    """The learner's frames (innermost first), and whether the stack reaches the autograder.

    Older JAX records the whole Python stack (down to the autograder's call); newer JAX
    records only the frames inside the enclosing traced function.
    """
    kept = []
    for frame in frames:
        if os.path.abspath(frame[0]).startswith(_AUTOGRADER_DIR):
            if kept:
                return tuple(kept), True
            continue
        if not is_library_file(frame[0]):
            kept.append(frame)
    return tuple(kept), False


def _random_api(frames: list) -> str | None:
    """The outermost public ``jax.random`` function on a stack, below the learner's frames."""
    name = None
    for file, _, function in frames:
        if not is_library_file(file):
            break
        if "/jax/_src/random" in file.replace("\\", "/") and not function.startswith("_"):
            name = function
    return name


def _api_name(holders: tuple, primitive: str) -> str:
    """The ``jax.random`` function the learner called (``normal``, ``split``...)."""
    for holder in holders:
        name = _random_api(_frames(holder))
        if name:
            return name
    return {"random_split": "split", "random_bits": "draw"}.get(primitive, primitive)


def _library_call(eqn: JaxprEqn, ctx: _Context) -> tuple | None:
    """The learner's one call of a ``jax.random`` function that holds ``eqn``, if any.

    Some samplers reuse a key internally on purpose (``poisson`` draws two candidates
    and selects one); uses inside one such call are not the learner's reuse.
    """
    holders = (*ctx.enclosing, eqn)
    for depth, holder in enumerate(holders):
        if _random_api(_frames(holder)):
            outer = {id(e) for e in holders[:depth]}
            steps = tuple(step for step in ctx.iteration if step[0] in outer)
            return tuple(id(e) for e in holders[: depth + 1]) + steps
    return None


def _use_of(eqn: JaxprEqn, ctx: _Context) -> _Use:
    """Where ``eqn`` sits in the learner's code.

    An equation inside a cached inner jaxpr keeps the traceback of the call that
    first traced it, so inner frames are trusted only while they extend the frames
    of the call that holds them.
    """
    chosen: tuple = ()
    for holder in (*ctx.enclosing, eqn):
        frames = _frames(holder)
        learner, full = _learner_frames(frames)
        if not learner:
            continue
        if not chosen or learner[len(learner) - len(chosen):] == chosen:
            chosen = learner  # a full stack that extends the holder's
        elif full:
            break  # a full stack from an earlier trace: the cached inner program is stale
        else:
            chosen = learner + chosen  # a stack relative to the holder
    location = None
    if chosen:
        file, line, function = chosen[0]
        location = Location(file, line, function, linecache.getline(file, line).strip())
    return _Use(
        api=_api_name((*ctx.enclosing, eqn), primitive_name(eqn)),
        frames=chosen,
        location=location,
        site=id(eqn),
        iteration=ctx.iteration,
        call=_library_call(eqn, ctx),
    )


# --- naming a key for the learner ----------------------------------------------------------


def _describe(kid: Any, depth: int = 0) -> str:
    if not isinstance(kid, tuple) or depth > 3:
        return "a key"
    kind = kid[0]
    if kind == "arg":
        name, index = kid[1], kid[2]
        return f"`{name}[{', '.join(map(str, index))}]`" if index else f"`{name}`"
    if kind == "keydata":
        data = kid[2]
        if kid[1] == "threefry2x32" and len(data) == 2 and data[0] == 0:
            return f"made from seed {data[1]}"
        return f"the constant key with data {list(data)}"
    if kind == "seed":
        return "made from the same seed"
    if kind == "split":
        return f"subkey {kid[2]} of split({_describe(kid[1], depth + 1)})"
    if kind == "fold":
        return f"fold_in({_describe(kid[1], depth + 1)}, {_describe_data(kid[2])})"
    if kind == "wrap":
        parts = kid[2]
        if parts and all(isinstance(p, tuple) and p[:1] == ("arg",) for p in parts):
            names = {p[1] for p in parts}
            rows = {p[2][:-1] for p in parts}
            if len(names) == 1 and len(rows) == 1:
                return _describe(("arg", names.pop(), rows.pop()), depth + 1)
        return "a key built from raw key data"
    return "a key"


def _describe_data(data: Any) -> str:
    if isinstance(data, tuple) and data[:1] == ("cval",):
        return str(data[1])
    if isinstance(data, tuple) and data[:1] == ("arg",):
        return _describe(data)
    return "the same value"


def _place(use: _Use, other: _Use) -> str:
    """``line 7 (normal)``, with the calling line when a shared helper made both uses."""
    loc = use.location
    text = "an unknown line" if loc is None else f"line {loc.line}"
    if loc is not None and other.location is not None and other.location.file != loc.file:
        text = loc.place
    detail = use.api
    if other.frames and use.frames and other.frames[0] == use.frames[0]:
        callers = [f for f in use.frames[1:] if f not in other.frames]
        if callers:
            detail += f", called from line {callers[0][1]}"
    return f"{text} ({detail})"


# --- the analysis ---------------------------------------------------------------------


class _Analysis:
    def __init__(self) -> None:
        self._counter = itertools.count()
        self.findings: list[Finding] = []
        self._reported: set = set()

    # fresh identities
    def token(self) -> tuple:
        return ("fresh", next(self._counter))

    def fresh(self, aval: Any) -> Any:
        shape = _shape(aval)
        if _is_key(aval) and int(np.prod(shape, dtype=np.int64)) <= _MAX_TRACKED:
            return _obj_array(shape, (self.token() for _ in range(int(np.prod(shape, dtype=np.int64)))))
        return self.token()

    def literal(self, value: Any, aval: Any) -> Any:
        array = np.asarray(value)
        integral = np.issubdtype(array.dtype, np.integer) or array.dtype == np.bool_
        if _is_integer(aval) and integral and array.size <= _MAX_TRACKED:
            return _constants(np.broadcast_to(array, _shape(aval)))
        return self.token()

    def constant(self, value: Any, aval: Any) -> Any:
        """A closed-over value: keys and integers are named by their data."""
        try:
            if _is_key(aval):
                data = np.asarray(jax.random.key_data(value))
                impl = _impl_name(getattr(value, "_impl", "key"))
                shape = _shape(aval)
                rows = data.reshape((-1, data.shape[-1] if data.ndim else 1))
                return _obj_array(shape, (("keydata", impl, tuple(int(v) for v in row)) for row in rows))
            if _is_integer(aval) and int(np.prod(_shape(aval), dtype=np.int64)) <= _MAX_TRACKED:
                return _constants(np.asarray(value))
        except Exception:
            pass
        return self.fresh(aval)

    def element_ids(self, value: Any, aval: Any) -> np.ndarray:
        """Per-element identities of a non-key operand (used as fold_in data or seeds)."""
        if _tracked(value):
            return value
        shape = _shape(aval)
        if not shape:
            return _obj_array((), [value])
        return _obj_array(shape, (("elem", value, i) for i in range(int(np.prod(shape, dtype=np.int64)))))

    # consumption
    def consume(self, ids: Any, use: _Use, state: dict) -> bool:
        """Mark every element of ``ids`` used by ``use``; report and return True on reuse."""
        if not _tracked(ids):
            return False
        reused = False
        seen: dict = {}
        for kid in ids.ravel():
            earlier = seen.get(kid) or state.get(kid)
            if earlier is not None and not (earlier is not use and use.call and earlier.call == use.call):
                reused = True
                self.report(kid, earlier, use)
            seen[kid] = use
        for kid, first in seen.items():
            state.setdefault(kid, first)
        return reused

    def report(self, kid: Any, first: _Use, again: _Use) -> None:
        key = (first.site, first.frames, again.site, again.frames)
        if key in self._reported:
            return
        self._reported.add(key)
        desc = _describe(kid)
        if first is again:
            what = (
                f"PRNG key {desc} is used for several samples at once at {_place(again, first)}: "
                f"it was copied (stacked or broadcast) instead of split."
            )
        elif first.site == again.site and first.frames == again.frames and first.iteration != again.iteration:
            what = (
                f"PRNG key {desc} is used on every step of a loop: {_place(again, first)} "
                f"draws from the same key at each iteration."
            )
        else:
            what = (
                f"PRNG key {desc} is used twice: first at {_place(first, again)}, "
                f"used again at {_place(again, first)}."
            )
        self.findings.append(Finding(CHECK, what, WHY, FIX, again.location))

    # programs
    def run(self, program: Jaxpr | ClosedJaxpr, args: list, state: dict, ctx: _Context) -> list:
        jaxpr = as_jaxpr(program)
        env: dict = {}
        if isinstance(program, ClosedJaxpr):
            for var, value in zip(jaxpr.constvars, program.consts):
                env[var] = self.constant(value, var.aval)
        else:
            for var in jaxpr.constvars:
                env[var] = self.fresh(var.aval)
        for var, value in zip(jaxpr.invars, args):
            env[var] = value
        for eqn in jaxpr.eqns:
            inputs = [self.read(env, atom) for atom in eqn.invars]
            try:
                outputs = self.eqn(eqn, inputs, state, ctx)
            except Exception:  # anything not understood gets fresh identities
                if os.environ.get("AUTOGRADER_DEBUG"):
                    raise
                outputs = None
            if outputs is None or len(outputs) != len(eqn.outvars):
                outputs = [self.fresh(v.aval) for v in eqn.outvars]
            for var, value in zip(eqn.outvars, outputs):
                if _tracked(value) and value.shape != _shape(var.aval):
                    value = self.fresh(var.aval)
                env[var] = value
        return [self.read(env, atom) for atom in jaxpr.outvars]

    def read(self, env: dict, atom: Any) -> Any:
        if isinstance(atom, Literal):
            return self.literal(atom.val, atom.aval)
        if atom not in env:
            env[atom] = self.fresh(atom.aval)
        return env[atom]

    def eqn(self, eqn: JaxprEqn, inputs: list, state: dict, ctx: _Context) -> list | None:
        name = primitive_name(eqn)
        p = eqn.params
        out_avals = [v.aval for v in eqn.outvars]
        if name == "cond":
            return self.cond(eqn, inputs, state, ctx)
        if name == "scan":
            return self.scan(eqn, inputs, state, ctx)
        if name == "while":
            return self.while_loop(eqn, inputs, state, ctx)
        subs = sub_jaxprs(eqn)
        if subs:
            return self.call(eqn, subs, inputs, state, ctx)
        if name in ("random_bits", "random_split"):
            use = _use_of(eqn, ctx)
            keys = inputs[0]
            reused = self.consume(keys, use, state)
            if name == "random_bits" or reused or not _tracked(keys):
                return None
            shape = tuple(p["shape"])
            count = int(np.prod(shape, dtype=np.int64))
            return [_obj_array(keys.shape + shape, (("split", k, j) for k in keys.ravel() for j in range(count)))]
        if name == "random_fold_in":
            keys, data = inputs[0], self.element_ids(inputs[1], eqn.invars[1].aval)
            if not _tracked(keys):
                return None
            keys, data = np.broadcast_arrays(keys, data)
            return [_obj_array(keys.shape, (("fold", k, d) for k, d in zip(keys.ravel(), data.ravel())))]
        if name == "random_seed":
            impl = _impl_name(p.get("impl"))
            seeds = self.element_ids(inputs[0], eqn.invars[0].aval)
            return [_obj_array(seeds.shape, (self.seed(impl, s) for s in seeds.ravel()))]
        if name == "random_wrap":
            return [self.wrap(inputs[0], _impl_name(p.get("impl")), out_avals[0])]
        if name == "random_unwrap":
            return [self.unwrap(inputs[0], out_avals[0])]
        if name == "random_clone":  # an explicit copy: JAX treats it as a new key
            return None
        if name in _IDENTITY:
            return list(inputs) if len(inputs) == len(out_avals) else None
        return self.structural(name, p, inputs, eqn, out_avals)

    def seed(self, impl: str, seed: Any) -> tuple:
        if impl == "threefry2x32" and seed[:1] == ("cval",) and 0 <= seed[1] < 2**31:
            return ("keydata", impl, (0, seed[1]))
        return ("seed", impl, seed)

    def wrap(self, data: Any, impl: str, aval: Any) -> Any:
        if not _tracked(data):
            return self.fresh(aval)
        shape = _shape(aval)
        rows = data.reshape(shape + (-1,))
        out = []
        for row in rows.reshape(-1, rows.shape[-1]):
            parts = tuple(row)
            if all(p[:1] == ("unwrap",) and p[1] == parts[0][1] and p[2] == j for j, p in enumerate(parts)):
                out.append(parts[0][1])
            elif all(p[:1] == ("cval",) for p in parts):
                out.append(("keydata", impl, tuple(p[1] for p in parts)))
            else:
                out.append(("wrap", impl, parts))
        return _obj_array(shape, out)

    def unwrap(self, keys: Any, aval: Any) -> Any:
        shape = _shape(aval)
        if not _tracked(keys) or int(np.prod(shape, dtype=np.int64)) > _MAX_TRACKED:
            return self.fresh(aval)
        width = shape[-1]
        out = []
        for k in keys.ravel():
            for j in range(width):
                if k[:1] == ("keydata",):
                    out.append(("cval", k[2][j]))
                elif k[:1] == ("wrap",):
                    out.append(k[2][j])
                else:
                    out.append(("unwrap", k, j))
        return _obj_array(shape, out)

    def structural(self, name: str, p: dict, inputs: list, eqn: JaxprEqn, out_avals: list) -> list | None:
        """Move identities through shape-only primitives; fold small integer constants."""
        x = inputs[0] if inputs else None
        tracked = _tracked(x)
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
        if name in ("concatenate", "stack") and all(_tracked(v) for v in inputs):
            axis = p.get("dimension", p.get("axis"))
            join = np.concatenate if name == "concatenate" else np.stack
            return [join(inputs, axis=axis)]
        if name == "split" and tracked:
            cuts = np.cumsum(p["sizes"])[:-1]
            return list(np.split(x, cuts, axis=p["axis"]))
        if name == "dynamic_slice" and tracked:
            starts = [_known_values(v) for v in inputs[1:]]
            if any(s is None for s in starts):
                return None
            sizes = p["slice_sizes"]
            index = []
            for dim, (start, size) in enumerate(zip(starts, sizes)):
                begin = min(max(int(start.item()), 0), x.shape[dim] - size)
                index.append(slice(begin, begin + size))
            return [x[tuple(index)]]
        if name == "dynamic_update_slice" and tracked and _tracked(inputs[1]):
            starts = [_known_values(v) for v in inputs[2:]]
            if any(s is None for s in starts):
                return None
            update = inputs[1]
            out = x.copy()
            index = []
            for dim, start in enumerate(starts):
                begin = min(max(int(start.item()), 0), x.shape[dim] - update.shape[dim])
                index.append(slice(begin, begin + update.shape[dim]))
            out[tuple(index)] = update
            return [out]
        if name == "select_n":
            return self.select(inputs, out_avals[0])
        if name == "convert_element_type":
            source, target = eqn.invars[0].aval, out_avals[0]
            if tracked and (_is_key(source) or source.dtype == target.dtype):
                return [x]
            if _is_integer(source) and _is_integer(target):
                folded = self.fold_constants(name, p, inputs, out_avals)
                if folded is not None:
                    return folded
                # the same integers converted the same way: equal results (fold_in data, seeds)
                tag = str(np.dtype(target.dtype))
                if tracked:
                    return [_obj_array(x.shape, (("as", tag, e) for e in x.ravel()))]
                return [("as", tag, x)]
        return self.fold_constants(name, p, inputs, out_avals)

    def select(self, inputs: list, aval: Any) -> list | None:
        predicate, cases = inputs[0], inputs[1:]
        if not all(_tracked(c) for c in cases):
            return None
        cases = np.broadcast_arrays(*cases)
        known = _known_values(predicate)
        out = np.empty(cases[0].shape, dtype=object)
        pick = None if known is None else np.broadcast_to(known, out.shape)
        for index in np.ndindex(out.shape):
            options = [c[index] for c in cases]
            if pick is not None:
                out[index] = options[int(pick[index])]
            elif all(o == options[0] for o in options):
                out[index] = options[0]
            else:
                out[index] = self.token()
        return [out]

    def fold_constants(self, name: str, p: dict, inputs: list, out_avals: list) -> list | None:
        """Compute small integer results whose inputs are all known (indices, loop bounds)."""
        if len(out_avals) != 1 or not _is_integer(out_avals[0]):
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
            return [_constants(values)]
        values = [_known_values(v) for v in inputs]
        if not inputs or any(v is None for v in values):
            return None
        arrays = [np.asarray(v.astype(np.int64)) for v in values]
        ops: dict[str, Callable] = {
            "add": np.add, "sub": np.subtract, "mul": np.multiply, "neg": np.negative,
            "max": np.maximum, "min": np.minimum, "lt": np.less, "gt": np.greater,
            "le": np.less_equal, "ge": np.greater_equal, "eq": np.equal, "ne": np.not_equal,
            "and": np.bitwise_and, "or": np.bitwise_or, "xor": np.bitwise_xor,
            "rem": np.fmod, "abs": np.abs, "sign": np.sign,
            "convert_element_type": lambda a: a,
            "clamp": lambda lo, a, hi: np.minimum(np.maximum(a, lo), hi),
        }
        if name not in ops:
            return None
        result = np.asarray(ops[name](*arrays))
        dtype = np.dtype(aval.dtype)
        if dtype != np.bool_ and dtype.itemsize < 8:
            info = np.iinfo(dtype)
            result = np.mod(result - info.min, 1 << info.bits) + info.min
        return [_constants(np.broadcast_to(result.astype(np.int64), _shape(aval)))]

    # control flow and calls
    def call(self, eqn: JaxprEqn, subs: list, inputs: list, state: dict, ctx: _Context) -> list | None:
        if len(subs) != 1:
            return None
        program = subs[0][1]
        jaxpr = as_jaxpr(program)
        if len(jaxpr.invars) != len(inputs) or len(jaxpr.outvars) != len(eqn.outvars):
            return None
        if any(_shape(v.aval) != _shape(a.aval) for v, a in zip(jaxpr.invars, eqn.invars)):
            return None
        return self.run(program, inputs, state, _Context(ctx.enclosing + (eqn,), ctx.iteration))

    def cond(self, eqn: JaxprEqn, inputs: list, state: dict, ctx: _Context) -> list:
        branches = list(eqn.params["branches"])
        index, operands = _known_values(inputs[0]), inputs[1:]
        inner = _Context(ctx.enclosing + (eqn,), ctx.iteration)
        if index is not None:
            chosen = min(max(int(index.item()), 0), len(branches) - 1)
            return self.run(branches[chosen], operands, state, inner)
        results, states = [], []
        for branch in branches:
            branch_state = dict(state)
            results.append(self.run(branch, operands, branch_state, inner))
            states.append(branch_state)
        for branch_state in states:
            for kid, use in branch_state.items():
                state.setdefault(kid, use)
        merged = []
        for var, values in zip(eqn.outvars, zip(*results)):
            first = values[0]
            same = all(
                (_tracked(v) and _tracked(first) and v.shape == first.shape and all(
                    a == b for a, b in zip(v.ravel(), first.ravel())))
                or (not _tracked(v) and not _tracked(first) and v == first)
                for v in values
            )
            merged.append(first if same else self.fresh(var.aval))
        return merged

    def scan(self, eqn: JaxprEqn, inputs: list, state: dict, ctx: _Context) -> list:
        p = eqn.params
        n_consts, n_carry, length = p["num_consts"], p["num_carry"], int(p["length"])
        consts = inputs[:n_consts]
        carry = inputs[n_consts:n_consts + n_carry]
        xs = inputs[n_consts + n_carry:]
        body = p["jaxpr"]
        x_avals = [as_jaxpr(body).invars[n_consts + n_carry + i].aval for i in range(len(xs))]
        steps = min(length, _UNROLL)
        passthrough = [True] * n_carry
        ys_steps = []
        for step in range(steps):
            position = length - 1 - step if p.get("reverse") else step
            x_step = [x[position, ...] if _tracked(x) else self.fresh(a) for x, a in zip(xs, x_avals)]
            inner = _Context(ctx.enclosing + (eqn,), ctx.iteration + ((id(eqn), step),))
            out = self.run(body, consts + carry + x_step, state, inner)
            new_carry, ys = out[:n_carry], out[n_carry:]
            passthrough = [keep and _same(a, b) for keep, a, b in zip(passthrough, carry, new_carry)]
            carry = new_carry
            ys_steps.append(ys)
        out_avals = [v.aval for v in eqn.outvars]
        if length > steps:
            carry = [c if keep else self.fresh(a) for c, keep, a in zip(carry, passthrough, out_avals)]
        ys_out = []
        for i, aval in enumerate(out_avals[n_carry:]):
            column = [ys[i] for ys in ys_steps]
            if length == steps and length > 0 and all(_tracked(c) for c in column):
                if p.get("reverse"):
                    column = column[::-1]
                ys_out.append(np.stack(column))
            else:
                ys_out.append(self.fresh(aval))
        return carry + ys_out

    def while_loop(self, eqn: JaxprEqn, inputs: list, state: dict, ctx: _Context) -> list:
        p = eqn.params
        n_cond, n_body = p["cond_nconsts"], p["body_nconsts"]
        cond_consts = inputs[:n_cond]
        body_consts = inputs[n_cond:n_cond + n_body]
        carry = inputs[n_cond + n_body:]
        passthrough = [True] * len(carry)
        for step in range(_UNROLL):
            inner = _Context(ctx.enclosing + (eqn,), ctx.iteration + ((id(eqn), step),))
            self.run(p["cond_jaxpr"], cond_consts + carry, state, inner)
            new_carry = self.run(p["body_jaxpr"], body_consts + carry, state, inner)
            passthrough = [keep and _same(a, b) for keep, a, b in zip(passthrough, carry, new_carry)]
            carry = new_carry
        return [c if keep else self.fresh(v.aval) for c, keep, v in zip(carry, passthrough, eqn.outvars)]


def _same(a: Any, b: Any) -> bool:
    if _tracked(a) and _tracked(b):
        return a.shape == b.shape and all(x == y for x, y in zip(a.ravel(), b.ravel()))
    return not _tracked(a) and not _tracked(b) and a == b


# --- arguments ------------------------------------------------------------------------


def _argument_names(fn: Callable, args: tuple, kwargs: dict) -> list[str]:
    """A readable name for every array leaf of ``(args, kwargs)``: ``key``, ``keys['a']``."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    names = []
    for path, _ in jax.tree_util.tree_flatten_with_path((args, kwargs))[0]:
        top = path[0].idx if hasattr(path[0], "idx") else 0
        head = path[1] if len(path) > 1 else None
        if top == 0 and head is not None:
            i = head.idx
            base = positional[i] if i < len(positional) else f"args[{i}]"
        else:
            base = str(getattr(head, "key", "kwargs"))
        names.append(base + jax.tree_util.keystr(tuple(path[2:])))
    return names


def _argument_ids(names: list[str], invars: list) -> list:
    values = []
    for i, var in enumerate(invars):
        name = names[i] if len(names) == len(invars) else f"argument {i}"
        shape = _shape(var.aval)
        size = int(np.prod(shape, dtype=np.int64))
        if (_is_key(var.aval) or _is_integer(var.aval)) and size <= _MAX_TRACKED:
            values.append(_obj_array(shape, (("arg", name, idx) for idx in np.ndindex(*shape))))
        else:
            values.append(("arg", name))
    return values


# --- public API -----------------------------------------------------------------------


def find_key_reuse(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Finding]:
    """Findings for every PRNG key that ``fn(*args, **kwargs)`` uses for more than one draw or split.

    Typed keys (``jax.random.key``) and legacy keys (``jax.random.PRNGKey``) are both
    followed, through pytrees, indexing, helpers, jit, cond/switch branches and loops.
    Nothing is computed; an empty list means no reuse was seen.
    """
    closed = trace(fn, *args, **kwargs)
    names = _argument_names(fn, args, {k: v for k, v in kwargs.items() if k not in ("static_argnums", "static_argnames")})
    analysis = _Analysis()
    inputs = _argument_ids(names, list(closed.jaxpr.invars))
    analysis.run(closed, inputs, {}, _Context((), ()))
    return analysis.findings


def assert_no_key_reuse(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Raise ``AntiPatternError`` if ``fn(*args, **kwargs)`` uses a PRNG key more than once."""
    findings = find_key_reuse(fn, *args, **kwargs)
    raise_findings(findings, headline=findings[0].what if findings else None)
