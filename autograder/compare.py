"""Compare a learner's answer with the expected one: pytree structure, shapes, dtypes, then values.

Only known types are accepted (JAX and NumPy arrays, NumPy scalars, Python numbers,
lists, tuples, dicts, None and registered JAX pytrees). The learner's objects are
never asked to compare themselves (no ``__eq__``, ``__bool__`` or ``__array__`` calls).
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import numpy as np

__all__ = ["assert_close", "assert_equal", "assert_shape_dtype"]

_PY_SCALARS = (bool, int, float, complex)
_KIND_NAMES = {"b": "bool", "i": "integer", "u": "integer", "f": "float", "c": "complex"}


class _Leaf:
    """A checked leaf: its values as a NumPy array and whether its dtype is only a Python-scalar hint."""

    def __init__(self, values: np.ndarray, weak: bool, source: str):
        self.values, self.weak, self.source = values, weak, source

    @property
    def kind(self) -> str:
        return "b" if self.values.dtype == np.bool_ else ("i" if self.values.dtype.kind == "u" else self.values.dtype.kind)

    @property
    def type_name(self) -> str:
        if self.source == "python":
            return _KIND_NAMES.get(self.kind, "number").replace("integer", "int") + " (Python)"
        return self.values.dtype.name


def _is_leaf_type(x: Any) -> bool:
    return type(x) in _PY_SCALARS or isinstance(x, (jax.Array, np.ndarray, np.generic))


def _describe(x: Any) -> str:
    return type(x).__qualname__ if type(x).__module__ == "builtins" else f"{type(x).__module__}.{type(x).__qualname__}"


def _to_leaf(x: Any, path: str) -> _Leaf:
    """Convert a known leaf type to NumPy without calling any method of the object itself."""
    if type(x) in _PY_SCALARS:
        return _Leaf(np.asarray(x), True, "python")
    if isinstance(x, jax.Array):
        if isinstance(x, jax.core.Tracer):
            raise AssertionError(f"{path}: expected a concrete array, got a traced value; return it from outside jax.jit")
        values = np.asarray(jax.device_get(x))
        return _Leaf(values, bool(getattr(x, "weak_type", False)), "jax")
    if isinstance(x, np.ndarray):
        values = np.ndarray.view(x, np.ndarray) if type(x) is not np.ndarray else x
        if values.dtype.kind not in "biufc" and values.dtype.name != "bfloat16":
            raise AssertionError(f"{path}: expected an array of numbers, got an array of dtype {values.dtype}")
        return _Leaf(values, False, "numpy")
    if isinstance(x, np.generic):
        if np.dtype(type(x)).kind not in "biufc" and type(x).__name__ != "bfloat16":
            raise AssertionError(f"{path}: expected a number, got {_describe(x)}")
        return _Leaf(np.array(x), False, "numpy")
    raise AssertionError(f"{path}: expected an array, got {_describe(x)}")


def _children(x: Any) -> tuple[list[tuple[str, Any]], Any] | None:
    """A registered JAX pytree node's children with their key strings, or None for a non-node."""
    leaves, treedef = jax.tree_util.tree_flatten_with_path(x, is_leaf=lambda y: y is not x)
    if jax.tree_util.treedef_is_leaf(treedef) and len(leaves) == 1 and leaves[0][1] is x:
        return None
    return [(jax.tree_util.keystr(path), child) for path, child in leaves], treedef


def _structure(yours: Any, expected: Any, path: str, out: list[tuple[str, Any, Any]]) -> None:
    """Check the containers match, collecting (path, yours, expected) for every leaf."""
    if expected is None:
        if yours is not None:
            raise AssertionError(f"{path}: expected None, got {_describe(yours)}")
        return
    if _is_leaf_type(expected):
        if not _is_leaf_type(yours):
            raise AssertionError(f"{path}: expected an array, got {_describe(yours)}")
        out.append((path, yours, expected))
        return
    if isinstance(expected, dict):
        if not isinstance(yours, dict):
            raise AssertionError(f"{path}: expected a dict, got {_describe(yours)}")
        # Read the learner's dict through dict's own methods, never through overridable ones.
        your_keys = list(dict.keys(yours))
        bad = [k for k in your_keys if type(k) not in (str, int, bool, float, tuple)]
        if bad:
            raise AssertionError(f"{path}: dict keys must be strings or numbers, got a key of type {_describe(bad[0])}")
        missing = [k for k in expected if not dict.__contains__(yours, k)]
        extra = [k for k in your_keys if k not in expected]
        if missing or extra:
            parts = ([f"missing keys {sorted(map(repr, missing))}"] if missing else []) + (
                [f"unexpected keys {sorted(map(repr, extra))}"] if extra else []
            )
            raise AssertionError(f"{path}: " + "; ".join(parts))
        for key in expected:
            _structure(dict.__getitem__(yours, key), expected[key], f"{path}[{key!r}]", out)
        return
    if isinstance(expected, (list, tuple)):
        fields = getattr(type(expected), "_fields", None)
        if type(yours) is not type(expected):
            want = f"a {type(expected).__name__}" + (f" with fields {tuple(fields)}" if fields else "")
            raise AssertionError(f"{path}: expected {want} of length {len(expected)}, got {_describe(yours)}")
        if len(yours) != len(expected):
            raise AssertionError(f"{path}: expected length {len(expected)}, got length {len(yours)}")
        for i, (a, b) in enumerate(zip(yours, expected)):
            _structure(a, b, f"{path}.{fields[i]}" if fields else f"{path}[{i}]", out)
        return
    node = _children(expected)
    if node is None:
        raise AssertionError(f"{path}: cannot compare values of type {_describe(expected)}")
    if type(yours) is not type(expected):
        raise AssertionError(f"{path}: expected {_describe(expected)}, got {_describe(yours)}")
    mine = _children(yours)
    expected_children = node[0]
    if mine is None or [k for k, _ in mine[0]] != [k for k, _ in expected_children]:
        raise AssertionError(f"{path}: its fields differ from the expected {_describe(expected)}")
    for (key, a), (_, b) in zip(mine[0], expected_children):
        _structure(a, b, f"{path}{key}", out)


def _fmt(value: Any) -> str:
    return np.array2string(np.asarray(value), precision=6, threshold=8) if np.ndim(value) else repr(value.item())


def _check_dtype(path: str, a: _Leaf, b: _Leaf, allow_python_scalars: bool) -> None:
    if allow_python_scalars and (a.weak or b.weak):
        if a.kind != b.kind:
            raise AssertionError(
                f"{path}: expected {_KIND_NAMES.get(b.kind, b.kind)} values ({b.type_name}), "
                f"got {_KIND_NAMES.get(a.kind, a.kind)} values ({a.type_name})"
            )
        return
    if a.values.dtype != b.values.dtype:
        raise AssertionError(
            f"{path}: dtype {a.type_name}, expected {b.type_name}"
            + ("; convert with .astype(...) or create it with dtype=..." if a.source != "python" else "")
        )


def _mismatch(path: str, a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> str | None:
    """A description of how ``a`` differs from ``b`` (same shape), or None if they match."""
    exact = a.dtype.kind in "biu" and b.dtype.kind in "biu"
    with np.errstate(all="ignore"):
        if exact:
            ok = a == b
            abs_err = np.abs(a.astype(np.float64) - b.astype(np.float64))
        else:
            wide = np.complex128 if "c" in (a.dtype.kind, b.dtype.kind) else np.float64
            x, y = a.astype(wide), b.astype(wide)
            abs_err = np.abs(x - y)
            ok = (x == y) | (np.isnan(x) & np.isnan(y)) | (np.isfinite(abs_err) & (abs_err <= atol + rtol * np.abs(y)))
        ok = np.asarray(ok)
        if ok.all():
            return None
        bad = ~ok
        count, total = int(bad.sum()), ok.size
        first = tuple(int(i) for i in np.argwhere(bad)[0]) if a.ndim else ()
        finite = bad & np.isfinite(abs_err)
        max_abs = float(abs_err[finite].max()) if finite.any() else float("nan")
        rel = abs_err / np.abs(b.astype(np.float64) if b.dtype.kind != "c" else b)
        max_rel = float(rel[finite].max()) if finite.any() else float("nan")
    where = f"{path}, index {first}" if first else path
    errors = f"max abs error {max_abs:.3g}, max rel error {max_rel:.3g}; " if not np.isnan(max_abs) else ""
    rule = "integers and bools must match exactly" if exact else f"allowed: rtol={rtol:g}, atol={atol:g}"
    lines = [
        f"first difference at {where}: yours = {_fmt(a[first])} vs expected = {_fmt(b[first])}",
        f"{count} of {total} value{'s' if total != 1 else ''} differ ({errors}{rule})",
    ]
    return "\n  ".join(lines)


def _compare(
    yours: Any, expected: Any, *, rtol: float, atol: float, name: str, check_dtype: bool, allow_python_scalars: bool
) -> None:
    leaves: list[tuple[str, Any, Any]] = []
    try:
        _structure(yours, expected, "yours", leaves)
        converted = [(p, _to_leaf(a, p), _to_leaf(b, p.replace("yours", "expected", 1))) for p, a, b in leaves]
        for path, a, b in converted:
            if a.values.shape != b.values.shape:
                raise AssertionError(f"{path}: shape {a.values.shape}, expected {b.values.shape}")
            if check_dtype:
                _check_dtype(path, a, b, allow_python_scalars)
    except AssertionError as err:
        raise AssertionError(f"{name} does not have the expected form.\n  {err}") from None
    problems = [(p, m) for p, a, b in converted if (m := _mismatch(p, a.values, b.values, rtol, atol))]
    if problems:
        message = [f"{name} does not match the expected value.", "  " + problems[0][1]]
        if len(problems) > 1:
            others = ", ".join(p for p, _ in problems[1:4]) + (" ..." if len(problems) > 4 else "")
            message.append(f"  {len(problems) - 1} more part(s) differ too: {others}")
        raise AssertionError("\n".join(message))


def assert_close(
    yours: Any,
    expected: Any,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    name: str = "your answer",
    check_dtype: bool = True,
    allow_python_scalars: bool = True,
) -> None:
    """Fail unless ``yours`` matches ``expected`` leaf by leaf: structure, shape, dtype, then values.

    Values match within ``atol + rtol * |expected|``; NaN matches NaN in the same
    place; integers and bools must be equal. With ``allow_python_scalars``, a Python
    number (or weak-typed JAX scalar) only needs the same kind (float, int, bool,
    complex) as the other side, not the same width.
    """
    _compare(yours, expected, rtol=rtol, atol=atol, name=name, check_dtype=check_dtype,
             allow_python_scalars=allow_python_scalars)


def assert_equal(yours: Any, expected: Any, *, name: str = "your answer", check_dtype: bool = True) -> None:
    """Fail unless ``yours`` equals ``expected`` exactly (NaN matches NaN), structure, shapes and dtypes included."""
    _compare(yours, expected, rtol=0.0, atol=0.0, name=name, check_dtype=check_dtype, allow_python_scalars=True)


def assert_shape_dtype(
    yours: Any, shape: Sequence[int] | None, dtype: Any = None, *, name: str = "your answer"
) -> None:
    """Fail unless ``yours`` is an array of ``shape`` and ``dtype`` (either may be None to skip it)."""
    try:
        leaf = _to_leaf(yours, "yours")
    except AssertionError as err:
        raise AssertionError(f"{name} does not have the expected form.\n  {err}") from None
    if shape is not None and leaf.values.shape != tuple(shape):
        raise AssertionError(f"{name} has shape {leaf.values.shape}, expected {tuple(shape)}")
    if dtype is not None and leaf.values.dtype != np.dtype(dtype):
        raise AssertionError(f"{name} has dtype {leaf.type_name}, expected {np.dtype(dtype).name}")
