"""The few JAX internals the autograder touches, imported the same way on every supported JAX."""
from __future__ import annotations

try:  # public since JAX 0.4.3x
    from jax.extend.core import ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var
except ImportError:  # pragma: no cover - older JAX
    from jax.core import ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var  # type: ignore

__all__ = ["ClosedJaxpr", "Jaxpr", "JaxprEqn", "Literal", "Var"]
