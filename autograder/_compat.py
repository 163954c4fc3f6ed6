"""The few JAX internals the autograder touches, imported the same way on every supported JAX."""
from __future__ import annotations

import contextlib
import itertools
import re
from typing import Any, Iterator, Mapping, NamedTuple

try:  # public since JAX 0.4.3x
    from jax.extend.core import ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var
except ImportError:  # pragma: no cover - older JAX
    from jax.core import ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var  # type: ignore

__all__ = ["ClosedJaxpr", "Jaxpr", "JaxprEqn", "Literal", "Var", "scan_layout", "fresh_trace_context", "ArrayImpl",
           "transform_names", "jitted_function_source", "FunctionSource", "parse_function_source",
           "forget_dispatch_fast_paths"]

from jax._src.array import ArrayImpl  # noqa: E402 - the class of every concrete jax.Array, on every version


def scan_layout(params: Mapping[str, Any]) -> tuple[int, int]:
    """How many inputs of a ``scan`` equation are constants and how many are the loop carry.

    Up to JAX 0.11 the scan equation says it directly (``num_consts``, ``num_carry``). JAX 0.12
    replaced both with ``ft_in``, a flat tree of (consts, carry, xs) whose lengths count the
    leaves; it also moves a carry that comes back unchanged into the constants, so a key
    closed over by a ``fori_loop`` body, or carried through a ``scan`` untouched, is a constant
    there. The remaining inputs are the scanned ``xs``.
    """
    if "num_consts" in params:
        return int(params["num_consts"]), int(params["num_carry"])
    consts, carry, _ = params["ft_in"].unpack()
    return len(consts), len(carry)


# A trace-context value no learner code uses: under it, every cache of traced and compiled
# functions misses, so JAX runs its Python path again (helpers JAX already traced run their
# bodies again; eager operations report what they copy). Negative, so it never meets a real value.
_FRESH_CONTEXT = itertools.count(-(2**40), -1)


@contextlib.contextmanager
def fresh_trace_context() -> Iterator[None]:
    """Run the block as if nothing had been traced or compiled before (caches are not cleared)."""
    from jax._src import config  # the profile version is part of every trace and compile cache key

    with config.jax_xla_profile_version(next(_FRESH_CONTEXT)):
        yield



def transform_names(eqn: JaxprEqn) -> tuple[str, ...]:
    """The transformations (``'vmap'``, ``'jvp'``, ``'transpose'``...) that produced ``eqn``.

    JAX records them on each equation's name stack, outermost first. ``str(name_stack)``
    is empty on JAX 0.5.x, so the stack's entries are read one by one.
    """
    stack = getattr(getattr(eqn.source_info, "name_stack", None), "stack", ())
    return tuple(entry.name for entry in stack if type(entry).__name__ == "Transform")


class FunctionSource(NamedTuple):
    """Where a traced function was defined, as JAX records it."""

    name: str
    file: str
    line: int


# JAX's record of a traced function's definition: ``'name at file:line'`` (``func_src_info``).
_SRC_INFO = re.compile(r"^(?P<name>.*) at (?P<file>.+):(?P<line>\d+)$")


def parse_function_source(text: str | None) -> FunctionSource | None:
    """``FunctionSource`` of JAX's ``'name at file:line'`` record; None when there is none."""
    match = _SRC_INFO.match(text or "")
    return FunctionSource(match["name"], match["file"], int(match["line"])) if match else None


def jitted_function_source(eqn: JaxprEqn) -> FunctionSource | None:
    """Where the function a jit equation compiles was defined, when JAX recorded it."""
    inner = eqn.params.get("jaxpr")
    debug_info = getattr(getattr(inner, "jaxpr", inner), "debug_info", None)
    return parse_function_source(getattr(debug_info, "func_src_info", None))


def forget_dispatch_fast_paths() -> None:
    """Make the next call of every jitted function and eager operation take JAX's Python path once.

    JAX's C++ dispatch remembers, per function and argument signature, how to call a compiled
    program; only its Python path logs what the transfer guard sees in full (a copy's shape).
    Forgetting the C++ entries costs one Python dispatch per call; traced programs and compiled
    executables are kept, so nothing is traced or compiled again.
    """
    from jax._src import pjit  # the C++ caches of jit wrappers, as jax.clear_caches clears them
    from jax._src.lib import xla_client

    pjit._cpp_pjit_cache_fun_only.clear()
    pjit._cpp_pjit_cache_explicit_attributes.clear()
    xla_client._xla.PjitFunctionCache.clear_all()
