"""The identities the detector gives to keys and to the integers that make keys.

Every element of a tracked array is an identity: a hashable tuple. Keys are
``("arg", name, index)``, ``("keydata", impl, data)``, ``("seed", impl, seed)``,
``("split", parent, j)``, ``("fold", parent, data)``, ``("wrap", impl, parts)``,
``("unwrap", key, j)`` or ``("fresh", n)``; integers are ``("cval", value)`` when
known, or whatever they were derived from otherwise. Equal identities mean the
same key; anything that cannot be followed gets a fresh one.
"""
from __future__ import annotations

import itertools
from typing import Any, Iterable

import jax
import numpy as np

# Arrays with more elements than this are not followed element by element.
MAX_TRACKED = 1 << 16


def is_key(aval: Any) -> bool:
    """Whether ``aval`` is a typed PRNG key array."""
    try:
        return jax.dtypes.issubdtype(aval.dtype, jax.dtypes.prng_key)
    except Exception:  # pragma: no cover - odd avals
        return False


def is_integer(aval: Any) -> bool:
    """Whether ``aval`` holds integers or booleans (raw key data, seeds, indices)."""
    try:
        return np.issubdtype(np.dtype(aval.dtype), np.integer) or np.dtype(aval.dtype) == np.bool_
    except TypeError:
        return False


def shape_of(aval: Any) -> tuple:
    """The shape of ``aval`` (``()`` when it has none)."""
    return tuple(getattr(aval, "shape", ()))


def size_of(shape: tuple) -> int:
    """The number of elements of an array of ``shape``."""
    return int(np.prod(shape, dtype=np.int64))


def impl_name(impl: Any) -> str:
    """The name of a PRNG implementation (``threefry2x32``...)."""
    return str(getattr(impl, "name", impl))


def is_tracked(value: Any) -> bool:
    """Whether ``value`` is followed element by element (an object array of identities)."""
    return isinstance(value, np.ndarray) and value.dtype == object


def id_array(shape: tuple, items: Iterable) -> np.ndarray:
    """An object array of ``shape`` filled, in order, with ``items``."""
    out = np.empty(size_of(shape), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out.reshape(shape)


def known_values(value: Any) -> np.ndarray | None:
    """The integers behind a tracked array whose every element is a known constant."""
    if not is_tracked(value):
        return None
    flat = value.ravel()
    if not all(isinstance(e, tuple) and e[:1] == ("cval",) for e in flat):
        return None
    return np.array([e[1] for e in flat], dtype=object).reshape(value.shape)


def constants(array: np.ndarray) -> np.ndarray:
    """The identities of known integers."""
    return id_array(array.shape, (("cval", int(v)) for v in np.asarray(array).ravel()))


def same_ids(a: Any, b: Any) -> bool:
    """Whether two values carry the same identities."""
    if is_tracked(a) and is_tracked(b):
        return a.shape == b.shape and all(x == y for x, y in zip(a.ravel(), b.ravel()))
    return not is_tracked(a) and not is_tracked(b) and a == b


def split_ids(keys: np.ndarray, shape: tuple) -> np.ndarray:
    """The subkeys of ``jax.random.split(keys, shape)``."""
    count = size_of(shape)
    return id_array(keys.shape + shape, (("split", k, j) for k in keys.ravel() for j in range(count)))


def fold_in_ids(keys: np.ndarray, data: np.ndarray) -> np.ndarray:
    """The keys of ``jax.random.fold_in(keys, data)``: equal keys and data give equal keys."""
    keys, data = np.broadcast_arrays(keys, data)
    return id_array(keys.shape, (("fold", k, d) for k, d in zip(keys.ravel(), data.ravel())))


def seed_ids(impl: str, seeds: np.ndarray) -> np.ndarray:
    """The keys of ``jax.random.key(seeds)``: equal seeds give equal keys."""
    return id_array(seeds.shape, (_seed_id(impl, s) for s in seeds.ravel()))


def _seed_id(impl: str, seed: Any) -> tuple:
    """The key made from ``seed``, named by its key data when the seed is a known constant."""
    if impl == "threefry2x32" and seed[:1] == ("cval",) and 0 <= seed[1] < 2**31:
        return ("keydata", impl, (0, seed[1]))
    return ("seed", impl, seed)


class Identities:
    """Hands out identities: fresh ones, and those of literals, constants and raw key data."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def token(self) -> tuple:
        """One identity never seen before."""
        return ("fresh", next(self._counter))

    def fresh(self, aval: Any) -> Any:
        """A value of ``aval`` unrelated to anything else (one fresh identity per key)."""
        shape = shape_of(aval)
        if is_key(aval) and size_of(shape) <= MAX_TRACKED:
            return id_array(shape, (self.token() for _ in range(size_of(shape))))
        return self.token()

    def literal(self, value: Any, aval: Any) -> Any:
        """A literal in the program: small integer literals are known constants."""
        array = np.asarray(value)
        integral = np.issubdtype(array.dtype, np.integer) or array.dtype == np.bool_
        if is_integer(aval) and integral and array.size <= MAX_TRACKED:
            return constants(np.broadcast_to(array, shape_of(aval)))
        return self.token()

    def constant(self, value: Any, aval: Any) -> Any:
        """A closed-over value: keys and integers are named by their data."""
        try:
            if is_key(aval):
                data = np.asarray(jax.random.key_data(value))
                impl = impl_name(getattr(value, "_impl", "key"))
                rows = data.reshape((-1, data.shape[-1] if data.ndim else 1))
                return id_array(shape_of(aval), (("keydata", impl, tuple(int(v) for v in row)) for row in rows))
            if is_integer(aval) and size_of(shape_of(aval)) <= MAX_TRACKED:
                return constants(np.asarray(value))
        except Exception:
            pass
        return self.fresh(aval)

    def element_ids(self, value: Any, aval: Any) -> np.ndarray:
        """Per-element identities of a non-key operand (used as fold_in data or seeds)."""
        if is_tracked(value):
            return value
        shape = shape_of(aval)
        if not shape:
            return id_array((), [value])
        return id_array(shape, (("elem", value, i) for i in range(size_of(shape))))

    def wrap(self, data: Any, impl: str, aval: Any) -> Any:
        """The keys of ``jax.random.wrap_key_data(data)``: unwrapped keys come back as themselves."""
        if not is_tracked(data):
            return self.fresh(aval)
        shape = shape_of(aval)
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
        return id_array(shape, out)

    def unwrap(self, keys: Any, aval: Any) -> Any:
        """The raw data of ``jax.random.key_data(keys)``: wrapped data comes back as itself."""
        shape = shape_of(aval)
        if not is_tracked(keys) or size_of(shape) > MAX_TRACKED:
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
        return id_array(shape, out)
