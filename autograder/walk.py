"""Walk every equation of a jaxpr, including those of nested programs.

Nested programs are found by their type, not by primitive or parameter
names, so the walk keeps working when JAX renames a primitive (``pjit`` became
``jit``) or a parameter (``fun_jaxpr`` became ``call_jaxpr``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ._compat import ClosedJaxpr, Jaxpr, JaxprEqn, jitted_function_source
from .source import Location, is_library_file, location_of

__all__ = ["Site", "sub_jaxprs", "iter_eqns", "primitive_name", "count_eqns", "as_jaxpr", "is_learner_jit"]

# Primitive names that changed between supported JAX versions, mapped to one name.
_CANONICAL = {"pjit": "jit", "custom_vjp_call_jaxpr": "custom_vjp_call"}


def primitive_name(eqn: JaxprEqn) -> str:
    """The equation's primitive name, the same on every supported JAX version."""
    name = eqn.primitive.name
    return _CANONICAL.get(name, name)


def is_learner_jit(eqn: JaxprEqn) -> bool:
    """True for a jit equation compiling a function the learner wrote (however it is named, even
    ``inv``); False for other equations and for JAX's own jitted functions (``jnp.linalg.inv``,
    ``jnp.clip``), judged by the file JAX recorded for the compiled function. A jit without
    that record is taken as the learner's."""
    if primitive_name(eqn) != "jit":
        return False
    source = jitted_function_source(eqn)
    return source is None or not is_library_file(source.file)


def as_jaxpr(program: Jaxpr | ClosedJaxpr) -> Jaxpr:
    """The open jaxpr inside ``program``."""
    return program.jaxpr if isinstance(program, ClosedJaxpr) else program


def sub_jaxprs(eqn: JaxprEqn) -> list[tuple[str, Jaxpr | ClosedJaxpr]]:
    """The programs nested in one equation, each with a label such as ``'branches[1]'``."""
    found: list[tuple[str, Jaxpr | ClosedJaxpr]] = []
    for key in sorted(eqn.params):
        value = eqn.params[key]
        if isinstance(value, (Jaxpr, ClosedJaxpr)):
            found.append((key, value))
        elif isinstance(value, (tuple, list)):
            found.extend(
                (f"{key}[{i}]", item)
                for i, item in enumerate(value)
                if isinstance(item, (Jaxpr, ClosedJaxpr))
            )
    return found


@dataclass(frozen=True)
class Site:
    """One equation, the chain of nested programs that holds it, and the equations that hold those."""

    eqn: JaxprEqn
    path: tuple[str, ...] = ()
    enclosing: tuple[JaxprEqn, ...] = ()

    @property
    def primitive(self) -> str:
        return primitive_name(self.eqn)

    @property
    def in_library_body(self) -> bool:
        """True inside JAX's own code: the body of a library jitted function (``jnp.linalg.inv``)
        or a rule a library primitive carries (``custom_linear_solve``'s solves); what happens
        there (its own ``vmap``, the transpose it prepares) is not something the learner did."""
        return any(
            primitive_name(outer) == "custom_linear_solve"
            or (primitive_name(outer) == "jit" and not is_learner_jit(outer))
            for outer in self.enclosing
        )

    @property
    def location(self) -> Location | None:
        """The learner's line behind this equation.

        Equations inside library code (the body of ``jax.random.normal``, say)
        carry no learner frame; they are placed at the learner's call that holds them.
        """
        for eqn in (self.eqn, *reversed(self.enclosing)):
            where = location_of(eqn)
            if where is not None:
                return where
        return None


def iter_eqns(
    program: Jaxpr | ClosedJaxpr,
    path: tuple[str, ...] = (),
    enclosing: tuple[JaxprEqn, ...] = (),
) -> Iterator[Site]:
    """Yield every equation of ``program`` and of all programs nested in it, depth first."""
    for eqn in as_jaxpr(program).eqns:
        yield Site(eqn, path, enclosing)
        for label, sub in sub_jaxprs(eqn):
            yield from iter_eqns(sub, path + (f"{primitive_name(eqn)}.{label}",), enclosing + (eqn,))


def count_eqns(program: Jaxpr | ClosedJaxpr) -> int:
    """How many equations ``program`` holds, nested programs included."""
    return sum(1 for _ in iter_eqns(program))
