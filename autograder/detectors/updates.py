"""Find ``x.at[i].set(v)`` calls whose result is thrown away (JAX arrays are immutable)."""
from __future__ import annotations

from typing import Any, Callable

from .._compat import ClosedJaxpr, Jaxpr, Var
from ..findings import Finding, raise_findings
from ..trace import trace
from ..walk import Site, as_jaxpr, primitive_name, sub_jaxprs

__all__ = ["find_discarded_updates", "assert_no_discarded_updates"]

_UPDATES = {
    "scatter": "set",
    "scatter_add": "add",
    "scatter_sub": "subtract",
    "scatter_mul": "multiply",
    "scatter_min": "min",
    "scatter_max": "max",
    "dynamic_update_slice": "set",
}


def _update_kind(eqn) -> str | None:
    return _UPDATES.get(primitive_name(eqn).replace("-", "_"))


def _dead_updates(program: Jaxpr | ClosedJaxpr, enclosing: tuple = ()) -> list[Site]:
    jaxpr = as_jaxpr(program)
    used = {id(v) for v in jaxpr.outvars if isinstance(v, Var)}
    for eqn in jaxpr.eqns:
        used.update(id(v) for v in eqn.invars if isinstance(v, Var))
    dead = []
    for eqn in jaxpr.eqns:
        # A dropped output (printed `_`) is not a Var with uses; an unused Var is dead too.
        if _update_kind(eqn) and all(id(v) not in used for v in eqn.outvars):
            dead.append(Site(eqn, (), enclosing))
        for _, sub in sub_jaxprs(eqn):
            dead.extend(_dead_updates(sub, enclosing + (eqn,)))
    return dead


def find_discarded_updates(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Finding]:
    """Findings for every ``.at[...]`` update (or ``dynamic_update_slice``) whose result is never used."""
    findings, seen = [], set()
    for site in _dead_updates(trace(fn, *args, **kwargs)):
        where = site.location
        if where in seen:
            continue
        seen.add(where)
        method = _update_kind(site.eqn)
        call = f".at[i].{method}(v)" if site.primitive != "dynamic_update_slice" else "lax.dynamic_update_slice(x, v, idx)"
        findings.append(
            Finding(
                check="discarded-update",
                what=f"the result of {call} is thrown away, so the array is never changed",
                why=f"JAX arrays are immutable: {call} does not modify x in place, it returns a new array.",
                fix=f"keep the new array: write `x = x{call}`" if call.startswith(".")
                else "keep the new array: write `x = lax.dynamic_update_slice(x, v, idx)`",
                where=where,
            )
        )
    return findings


def assert_no_discarded_updates(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Fail if ``fn`` throws away the result of an ``.at[...]`` update."""
    raise_findings(find_discarded_updates(fn, *args, **kwargs))
