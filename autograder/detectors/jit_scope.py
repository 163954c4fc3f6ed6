"""Check that a step runs as one compiled program, not as jitted pieces glued by Python.

XLA optimises only what it sees in one program. A training step whose loss, gradient and
update are jitted separately (or not jitted at all) runs as several programs with Python in
between: every boundary writes intermediates back to memory, blocks fusion and costs a
dispatch. Traced with ``jax.make_jaxpr``, a step wrapped in one ``jax.jit`` is a single
``jit`` equation; a step in pieces shows one ``jit`` equation per piece, and the Python glue
between them shows up as equations outside any ``jit``.
"""
from __future__ import annotations

import inspect
import linecache
from typing import Any, Callable, Sequence

from .._compat import JaxprEqn
from ..findings import Finding, raise_findings
from ..source import Location, binding_of, definition_of, location_of
from ..trace import trace
from ..walk import as_jaxpr, primitive_name

__all__ = ["find_split_jit", "assert_single_jit"]

CHECK = "jit-scope"

_WHY = (
    "XLA can only fuse and optimise what it sees in one compiled program; each separate piece "
    "writes its results back to memory, costs its own dispatch, and operations outside any jit "
    "run one at a time"
)


def _name(fn: Any) -> str:
    return getattr(inspect.unwrap(fn), "__name__", None) or getattr(fn, "__name__", "your function")


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _piece_name(eqn: JaxprEqn) -> str:
    return str(eqn.params.get("name", "a jitted function"))


def _line_in(fn: Any, eqn: JaxprEqn) -> Location | None:
    """The line of ``fn``'s own body that led to ``eqn`` (the call of a piece, not the piece's inside)."""
    code = getattr(inspect.unwrap(fn), "__code__", None)
    tb = getattr(eqn.source_info, "traceback", None)
    if code is not None and tb is not None:
        last = max((line for _, _, line in code.co_lines() if line), default=code.co_firstlineno)
        for frame in tb.frames:
            if frame.file_name == code.co_filename and code.co_firstlineno <= frame.line_num <= last:
                line = frame.line_num
                return Location(frame.file_name, line, frame.function_name,
                                linecache.getline(frame.file_name, line).strip())
    return location_of(eqn)


def find_split_jit(
    fn: Callable[..., Any],
    *args: Any,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    **kwargs: Any,
) -> list[Finding]:
    """Findings when ``fn(*args, **kwargs)`` is not one ``jax.jit`` program; empty when it is.

    ``fn`` may be jitted itself, or a plain function that only calls one jitted function.
    Nothing is computed: the function is traced, as ``jax.jit`` would trace it.
    """
    if callable(getattr(fn, "lower", None)):
        return []  # a jax.jit function is one program by construction (nested jits are inlined)
    program = trace(fn, *args, static_argnums=static_argnums, static_argnames=static_argnames, **kwargs)
    eqns = list(as_jaxpr(program).eqns)
    pieces = [e for e in eqns if primitive_name(e) == "jit"]
    outside = [e for e in eqns if primitive_name(e) != "jit"]
    if not eqns or (len(pieces) == 1 and not outside):
        return []
    name = _name(fn)
    if not pieces:
        what = (
            f"`{name}` is not compiled: its {len(outside)} operations run one by one "
            "instead of as one XLA program."
        )
        where = binding_of(fn) or definition_of(fn)
    else:
        names = ", ".join(f"`{_piece_name(e)}`" for e in pieces)
        what = f"`{name}` runs as {_plural(len(pieces), 'separately compiled piece')} ({names})"
        if outside:
            ops = sorted({primitive_name(e) for e in outside})
            what += f" plus {_plural(len(outside), 'operation')} outside any jit ({', '.join(ops[:5])})"
        what += ", not as one compiled program."
        # the call of the second piece, or the line of fn that runs an operation outside any jit
        where = (location_of(pieces[1]) if len(pieces) > 1 else _line_in(fn, outside[0])) or definition_of(fn)
    fix = (
        f"put one `@jax.jit` on `{name}` itself, around everything the step does (loss, gradient "
        "and update), and call the un-jitted pieces inside it"
    )
    return [Finding(check=CHECK, what=what, why=_WHY, fix=fix, where=where)]


def assert_single_jit(
    fn: Callable[..., Any],
    *args: Any,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    **kwargs: Any,
) -> None:
    """Raise ``AntiPatternError`` unless ``fn(*args, **kwargs)`` runs as one jitted program."""
    raise_findings(find_split_jit(
        fn, *args, static_argnums=static_argnums, static_argnames=static_argnames, **kwargs))
