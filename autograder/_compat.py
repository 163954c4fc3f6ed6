"""The few JAX internals the autograder touches, imported the same way on every supported JAX."""
from __future__ import annotations

try:  # public since JAX 0.4.3x
    from jax.extend.core import ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var
except ImportError:  # pragma: no cover - older JAX
    from jax.core import ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var  # type: ignore

__all__ = ["ClosedJaxpr", "Jaxpr", "JaxprEqn", "Literal", "Var", "transform_names", "jitted_function_source"]


def transform_names(eqn: JaxprEqn) -> tuple[str, ...]:
    """The transformations (``'vmap'``, ``'jvp'``, ``'transpose'``...) that produced ``eqn``.

    JAX records them on each equation's name stack, outermost first. ``str(name_stack)``
    is empty on JAX 0.5.x, so the stack's entries are read one by one.
    """
    stack = getattr(getattr(eqn.source_info, "name_stack", None), "stack", ())
    return tuple(entry.name for entry in stack if type(entry).__name__ == "Transform")


def jitted_function_source(eqn: JaxprEqn) -> str | None:
    """``'name at file:line'`` of the function a jit equation compiles, when JAX recorded it."""
    inner = eqn.params.get("jaxpr")
    debug_info = getattr(getattr(inner, "jaxpr", inner), "debug_info", None)
    return getattr(debug_info, "func_src_info", None)
