"""See a learner's code read JAX arrays back to the host, on every device, CPU included.

JAX's transfer guard does not fire for device-to-host copies on CPU, where the course runs, so
reads are watched where they start instead: the array's own conversions (``float(x)``,
``np.asarray(x)``, ``x.item()``, ``x.tolist()``, a Python ``if`` on ``x``...), its
``block_until_ready``, and ``jax.device_get`` / ``jax.block_until_ready``. A read counts only
when the learner's own code makes it, from the thread that runs the check; JAX's, NumPy's and
the kernel's own reads, and other threads, are ignored. The array itself is never wrapped, so
the learner's code gets exactly the values it would get without the check.
"""
from __future__ import annotations

import contextlib
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import jax
import numpy as np

from .._compat import ArrayImpl
from ..source import Location, frame_location, is_library_code

__all__ = ["HostRead", "host_reads_watched"]

# Methods of a concrete jax.Array that copy it to the host or wait for it; how each reads to a learner.
_METHODS = {
    "__array__": "np.asarray(x)",
    "__float__": "float(x)",
    "__int__": "int(x)",
    "__index__": "using x as an index",
    "__bool__": "a Python `if`/`while`/`and`/`or` on x",
    "__complex__": "complex(x)",
    "__format__": "formatting x in a string",
    "tolist": "x.tolist()",
    "item": "x.item()",
    "block_until_ready": "x.block_until_ready()",
}
# Functions of the jax module that read or wait explicitly.
_FUNCTIONS = {"device_get": "jax.device_get(x)", "block_until_ready": "jax.block_until_ready(x)"}
# NumPy's converters: they copy a jax.Array through the buffer protocol, never calling x.__array__.
_NUMPY = {"asarray": "np.asarray(x)", "array": "np.array(x)", "asanyarray": "np.asanyarray(x)"}
_WAITS_ONLY = {"block_until_ready"}


@dataclass(frozen=True)
class HostRead:
    """One read made by learner code: how (``"float(x)"``), of which arrays, where, and whether it
    was an explicit transfer (``jax.device_get``) or a wait without a copy (``block_until_ready``)."""

    how: str
    arrays: tuple[Any, ...]
    where: Location
    explicit: bool
    copies: bool


@contextlib.contextmanager
def host_reads_watched(record: Callable[[HostRead], None]) -> Iterator[None]:
    """Call ``record`` for each host read the learner's code makes, in this thread, inside the block."""
    owner = threading.get_ident()
    cls = ArrayImpl

    def seen(how: str, value: Any, explicit: bool, copies: bool) -> None:
        if threading.get_ident() != owner:
            return
        frame = sys._getframe(2)
        if is_library_code(frame.f_code):
            return
        arrays = tuple(leaf for leaf in jax.tree_util.tree_leaves(value) if isinstance(leaf, cls))
        if arrays:
            record(HostRead(how, arrays, frame_location(frame), explicit, copies))

    def method(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def watched(self: Any, *args: Any, **kwargs: Any) -> Any:
            seen(_METHODS[name], self, False, name not in _WAITS_ONLY)
            return original(self, *args, **kwargs)

        watched.__name__ = name
        return watched

    def function(how: str, original: Callable[..., Any], explicit: bool, copies: bool) -> Callable[..., Any]:
        def watched(value: Any, *args: Any, **kwargs: Any) -> Any:
            seen(how, value, explicit, copies)
            return original(value, *args, **kwargs)

        watched.__name__ = getattr(original, "__name__", how)
        return watched

    patches = [(cls, name, method(name, cls.__dict__[name])) for name in _METHODS if name in cls.__dict__]
    patches += [(jax, name, function(how, getattr(jax, name), True, name not in _WAITS_ONLY))
                for name, how in _FUNCTIONS.items()]
    patches += [(np, name, function(how, getattr(np, name), False, True)) for name, how in _NUMPY.items()]
    saved = [(target, name, getattr(target, name)) for target, name, _ in patches]
    try:
        for target, name, patched in patches:
            setattr(target, name, patched)
        yield
    finally:
        for target, name, original in saved:
            setattr(target, name, original)
