"""Explain, in plain words, why JAX could not trace a learner's function.

JAX traces a function with abstract values (shapes and dtypes, no numbers). Code that
needs a number while tracing (a Python ``if`` on an array, ``float(x)``, ``range(n)`` with
a traced ``n``, a boolean mask whose result size depends on the data) stops the trace with
an error whose text is long and general. This module turns each such error into what
went wrong, on which line of the learner's code, and what to write instead.
"""
from __future__ import annotations

import types
from typing import Any, Callable, Sequence

import jax

from ..findings import Finding, raise_findings
from ..source import location_in_traceback, location_of
from ..trace import trace

__all__ = ["explain_trace_error", "find_untraceable", "assert_traceable"]

CHECK = "not-traceable"

_STATIC_FIX = (
    "if the value is a setting known before the call (a size, a count, a flag), make it "
    "static: `jax.jit(f, static_argnames=('n',))` (or static_argnums)"
)


_UNEXPECTED = (
    "A traced value from an earlier trace is used here: it leaked out of a traced "
    "function (stored in a global, a list, a dict or an attribute).",
    "traced values are placeholders that only exist while JAX traces one function; "
    "outside that trace they hold no number",
    "return every value the function computes (`return out, aux`) and keep state "
    "outside, passed in as arguments; do not store traced values in globals or `self`",
)


def _error_class(name: str) -> type | None:
    return getattr(jax.errors, name, None)


def _is(exc: BaseException, name: str) -> bool:
    cls = _error_class(name)
    return cls is not None and isinstance(exc, cls)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _explain(exc: BaseException, code: str) -> tuple[str, str, str] | None:
    """(what, why, fix) for a tracing error, refined by the learner's line of code."""
    if _is(exc, "TracerBoolConversionError"):
        return (
            "A Python `if`/`while`/`and`/`or` tests a traced array.",
            "while JAX traces, arrays are placeholders with a shape and dtype but no value, so "
            "Python cannot decide which branch to take",
            "choose with arrays instead: `jnp.where(cond, a, b)` for values, "
            "`jax.lax.cond(pred, true_fn, false_fn, x)` for branches, `jax.lax.while_loop` "
            "for loops; " + _STATIC_FIX,
        )
    if _is(exc, "TracerIntegerConversionError"):
        if "range(" in code:
            fix = ("loop with `jax.lax.fori_loop(0, n, body, init)` (or `jax.lax.scan`), which "
                   "takes a traced `n`; " + _STATIC_FIX)
        else:
            fix = ("index arrays, not Python lists, with traced indices (`jnp.asarray(values)[i]`, "
                   "`jnp.take`); " + _STATIC_FIX)
        return (
            "A traced array is used where Python needs an int (`range(n)`, indexing a Python "
            "list, a repeat count).",
            "while JAX traces, arrays have no value, so Python cannot turn one into an int",
            fix,
        )
    if _is(exc, "TracerArrayConversionError"):
        return (
            "A traced array is converted to a NumPy array (`np.asarray(x)`, a `np.` function, "
            "or a library that calls NumPy).",
            "NumPy needs real numbers, but while JAX traces, arrays are placeholders with no value",
            "use the `jax.numpy` version (`jnp.sin`, `jnp.asarray`, ...) inside traced code; "
            "convert to NumPy only on the result, after the call",
        )
    if _is(exc, "NonConcreteBooleanIndexError"):
        return (
            "A boolean mask selects elements (`x[x > 0]`), so the size of the result depends on "
            "the data.",
            "a compiled program needs every shape known in advance; a mask's result size is only "
            "known once the values are",
            "keep the shape fixed: `jnp.where(mask, x, 0.0)`, reductions with `where=` "
            "(`jnp.sum(x, where=mask)`), or `jnp.nonzero(mask, size=N, fill_value=0)` with a "
            "fixed maximum size (pad)",
        )
    if _is(exc, "UnexpectedTracerError"):
        return _UNEXPECTED
    if _is(exc, "ConcretizationTypeError") or (
        isinstance(exc, TypeError) and "concrete" in str(exc)
    ):
        if "nonzero" in code or "argwhere" in code or "unique" in code:
            fix = ("pass a fixed `size=` (`jnp.nonzero(mask, size=N, fill_value=0)`) so the "
                   "result shape is known, or use `jnp.where(mask, x, 0)`")
        elif ".item()" in code or "float(" in code or "int(" in code or "bool(" in code:
            fix = ("keep the value as an array inside the function (use `jnp` operations on it "
                   "and return it); call `.item()`/`float()` on the result outside; " + _STATIC_FIX)
        else:
            fix = ("shapes and sizes must be Python values known before the call; " + _STATIC_FIX
                   + "; branch with `jnp.where`/`jax.lax.cond` instead of Python")
        return (
            "A traced array is used where a concrete Python value is needed (`float(x)`, "
            "`x.item()`, a shape or size such as `jnp.zeros(n)`).",
            "while JAX traces, arrays are placeholders with a shape and dtype but no value",
            fix,
        )
    return None


def explain_trace_error(exc: BaseException) -> Finding | None:
    """A ``Finding`` explaining a JAX tracing error, or None if ``exc`` is not one.

    The finding points at the learner's line from the exception's traceback.
    """
    where = location_in_traceback(exc.__traceback__)
    explained = _explain(exc, where.code if where is not None else "")
    if explained is None:
        return None
    what, why, fix = explained
    return Finding(
        check=CHECK,
        what=f"{what} JAX says: {_first_line(exc)}",
        why=why,
        fix=fix,
        where=where,
    )


def _leaked_constants(program: Any) -> list[Finding]:
    """Tracers from an earlier trace captured as constants: they fail when the program runs."""
    consts = getattr(program, "consts", ())
    constvars = getattr(getattr(program, "jaxpr", None), "constvars", ())
    findings = []
    for var, value in zip(constvars, consts):
        if not isinstance(value, jax.core.Tracer):
            continue
        user = next(
            (location_of(e) for e in program.jaxpr.eqns if var in e.invars and location_of(e)), None
        )
        info = getattr(value, "_line_info", None)
        made = location_of(types.SimpleNamespace(source_info=info)) if info is not None else None  # type: ignore[arg-type]
        what, why, fix = _UNEXPECTED
        if made is not None:
            what += f" It was created at {made}."
        findings.append(Finding(CHECK, what, why, fix, user or made))
    return findings


def _as_tuple(value: int | str | Sequence[Any]) -> tuple[Any, ...]:
    return (value,) if isinstance(value, (int, str)) else tuple(value)


def find_untraceable(
    fn: Callable[..., Any],
    *args: Any,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    **kwargs: Any,
) -> list[Finding]:
    """Findings for why ``fn(*args, **kwargs)`` cannot be traced under ``jax.jit``; empty if it can.

    Arguments are traced as ``jax.jit`` would trace them (``static_argnums`` /
    ``static_argnames`` stay Python values). Any other error the function raises (a plain
    bug) becomes a finding too, with JAX's or Python's message and the learner's line.
    """
    static_argnums, static_argnames = _as_tuple(static_argnums), _as_tuple(static_argnames)
    try:
        if hasattr(fn, "trace") and not static_argnums and not static_argnames:
            fn.trace(*args, **kwargs)  # already jitted: keep its own static arguments
            return []
        program = trace(fn, *args, static_argnums=static_argnums, static_argnames=static_argnames,
                        python_values_static=False, **kwargs)  # as jax.jit traces them
    except Exception as exc:  # grading must never crash on a learner's error
        explained = explain_trace_error(exc)
        if explained is not None:
            return [explained]
        return [Finding(
            check=CHECK,
            what=f"Your function raised {type(exc).__name__} while JAX traced it: {_first_line(exc)}",
            why="the function has to run from start to end on traced arguments before JAX can "
                "compile or check it",
            fix="fix the error on the line shown; run the function once on small inputs to see "
                "the full traceback",
            where=location_in_traceback(exc.__traceback__),
        )]
    return _leaked_constants(program)


def assert_traceable(
    fn: Callable[..., Any],
    *args: Any,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    **kwargs: Any,
) -> None:
    """Raise ``AntiPatternError`` explaining why ``fn`` cannot be traced under ``jax.jit``."""
    raise_findings(find_untraceable(
        fn, *args, static_argnums=static_argnums, static_argnames=static_argnames, **kwargs))
