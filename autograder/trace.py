"""Trace a learner's function into a jaxpr, without running its computation."""
from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import jax

from ._compat import ClosedJaxpr

__all__ = ["trace"]


def trace(
    fn: Callable[..., Any],
    *args: Any,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    **kwargs: Any,
) -> ClosedJaxpr:
    """Return the closed jaxpr of ``fn(*args, **kwargs)``.

    Only shapes and dtypes flow through ``fn``: nothing is computed on the
    device. Keyword arguments named in ``static_argnames`` and positional ones
    in ``static_argnums`` are passed as plain Python values, as ``jax.jit``
    would pass them.
    """
    if isinstance(static_argnames, str):
        static_argnames = (static_argnames,)
    static_kwargs = {k: kwargs.pop(k) for k in static_argnames if k in kwargs}
    target = functools.partial(fn, **static_kwargs) if static_kwargs else fn
    return jax.make_jaxpr(target, static_argnums=static_argnums)(*args, **kwargs)
