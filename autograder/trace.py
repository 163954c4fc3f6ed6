"""Trace a learner's function into a jaxpr, without running its computation."""
from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import jax

from ._compat import ClosedJaxpr

__all__ = ["trace", "is_python_value", "static_positions"]

# What a statement means by "a plain Python value": an index, a count, a fill value, a flag, a name.
_PYTHON_VALUES = (bool, int, float, complex, str, type(None))


def is_python_value(value: Any) -> bool:
    """True for a Python number, string, flag or None: a value the learner's code may branch on."""
    return isinstance(value, _PYTHON_VALUES)


def _as_tuple(value: int | str | Sequence[Any]) -> tuple[Any, ...]:
    return (value,) if isinstance(value, (int, str)) else tuple(value)


def static_positions(args: Sequence[Any], static_argnums: int | Sequence[int] = ()) -> tuple[int, ...]:
    """The positional arguments passed as they are: those named static and every plain Python value."""
    named = {i % len(args) if args else i for i in _as_tuple(static_argnums)}
    return tuple(sorted(named | {i for i, a in enumerate(args) if is_python_value(a)}))


def trace(
    fn: Callable[..., Any],
    *args: Any,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    python_values_static: bool = True,
    **kwargs: Any,
) -> ClosedJaxpr:
    """Return the closed jaxpr of ``fn(*args, **kwargs)``.

    Only shapes and dtypes flow through ``fn``: nothing is computed on the device. Arrays are
    traced; plain Python values (an index ``i``, a fill value, a flag) reach ``fn`` as they are,
    as the statement gives them, so ``if i < 0:`` works. Arguments named in ``static_argnums`` /
    ``static_argnames`` are passed as they are too, as ``jax.jit`` would pass them; to trace a
    number, pass it as an array (``jnp.asarray(0.5)``). ``python_values_static=False`` traces
    Python values too, as ``jax.jit`` does when they are not declared static.
    """
    static_kwargs = {k: kwargs.pop(k) for k in _as_tuple(static_argnames) if k in kwargs}
    if python_values_static:
        static_kwargs.update({k: kwargs.pop(k) for k in list(kwargs) if is_python_value(kwargs[k])})
        static_argnums = static_positions(args, static_argnums)
    target = functools.partial(fn, **static_kwargs) if static_kwargs else fn
    return jax.make_jaxpr(target, static_argnums=static_argnums)(*args, **kwargs)
