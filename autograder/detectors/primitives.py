"""Which primitives a learner's program uses: require some (``lax.scan``), forbid others (``inv``)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

from .._compat import fresh_trace_context
from ..findings import Finding, raise_findings
from ..source import definition_of, is_library_file
from ..trace import trace
from ..walk import Site, as_jaxpr, iter_eqns, sub_jaxprs

__all__ = ["find_primitives", "assert_uses_primitive", "assert_avoids_primitive", "expand_names"]

# Friendly names mapped to the primitive names (or jit-wrapped library names) they appear as.
_ALIASES: dict[str, frozenset[str]] = {
    "fori_loop": frozenset({"scan", "while"}),
    "while_loop": frozenset({"while"}),
    "switch": frozenset({"cond"}),
    "inverse": frozenset({"inv"}),
    "matmul": frozenset({"dot_general"}),
    "dot": frozenset({"dot_general"}),
    "pjit": frozenset({"jit"}),
}

# How each name reads in a message.
_DISPLAY = {
    "scan": "lax.scan",
    "while": "lax.while_loop",
    "while_loop": "lax.while_loop",
    "fori_loop": "lax.fori_loop",
    "cond": "lax.cond",
    "switch": "lax.switch",
    "inv": "jnp.linalg.inv",
    "inverse": "jnp.linalg.inv",
    "matmul": "a matrix product (@ or jnp.dot)",
    "dot": "a matrix product (@ or jnp.dot)",
    "dot_general": "a matrix product (@ or jnp.dot)",
    "scatter": "x.at[...].set(...)",
    "scatter-add": "x.at[...].add(...)",
}


def expand_names(names: str | Iterable[str]) -> frozenset[str]:
    """Primitive names (and jit names) that ``names`` stand for, aliases resolved."""
    if isinstance(names, str):
        names = (names,)
    found: set[str] = set()
    for name in names:
        found.add(name)
        found |= _ALIASES.get(name, frozenset())
    return frozenset(found)


def _learner_frames(eqn: Any) -> set[tuple[str, int]]:
    tb = getattr(eqn.source_info, "traceback", None)
    frames = tb.frames if tb is not None else ()
    return {(f.file_name, f.line_num) for f in frames if not is_library_file(f.file_name)}


def _is_library_function(site: Site) -> bool:
    """A ``jit`` equation of a library function (``jnp.linalg.inv``), not a learner's own jitted helper.

    A library function's body has no learner line of its own: every learner frame its equations
    carry is already on the call. A learner's helper named ``inv`` has its body's lines too.
    """
    call = _learner_frames(site.eqn)
    return all(_learner_frames(inner) <= call
               for _, sub in sub_jaxprs(site.eqn) for inner in as_jaxpr(sub).eqns)


def _matches(site: Site, wanted: frozenset[str]) -> bool:
    if site.primitive in wanted:
        return True
    # jnp.linalg.inv and friends are jit-wrapped library functions: a `jit` equation with a name.
    return site.primitive == "jit" and site.eqn.params.get("name") in wanted and _is_library_function(site)


def _program_sites(fn: Callable[..., Any], args: tuple, kwargs: dict, wanted: frozenset[str]) -> list[Site]:
    """Every equation of ``fn``. When a named ``jit`` must be told apart (library function or the
    learner's helper), it is traced afresh: JAX reuses an already traced library function's program
    with the source lines of its first caller, which would hide whose body an equation comes from."""
    sites = list(iter_eqns(trace(fn, *args, **kwargs)))
    named = {site.eqn.params.get("name") for site in sites if site.primitive == "jit"}
    if not named & wanted:
        return sites
    with fresh_trace_context():
        return list(iter_eqns(trace(fn, *args, **kwargs)))


def _sites(fn: Callable[..., Any], args: tuple, kwargs: dict, wanted: frozenset[str]) -> list[Site]:
    return [site for site in _program_sites(fn, args, kwargs, wanted) if _matches(site, wanted)]


def find_primitives(fn: Callable[..., Any], *args: Any, names: str | Iterable[str], **kwargs: Any) -> list[Site]:
    """Every equation of ``fn(*args, **kwargs)`` whose primitive (or jit name) is one of ``names``.

    Friendly aliases work: ``"fori_loop"`` (scan or while), ``"switch"`` (cond),
    ``"inv"``/``"inverse"`` (the jit of ``jnp.linalg.inv``), ``"matmul"`` (dot_general).
    """
    return _sites(fn, args, kwargs, expand_names(names))


def _display(name: str) -> str:
    return _DISPLAY.get(name, name)


def _has_phrase(name: str) -> str:
    if name == "fori_loop":
        return "scan or while loop"
    return " or ".join(sorted(expand_names(name) - {name}) or [name])


def assert_uses_primitive(
    fn: Callable[..., Any],
    *args: Any,
    required: str | Iterable[str],
    why: str | None = None,
    fix: str | None = None,
    **kwargs: Any,
) -> None:
    """Fail unless ``fn`` uses each of ``required`` (each a name or alias, such as ``"scan"``)."""
    if isinstance(required, str):
        required = (required,)
    program_sites = _program_sites(fn, args, kwargs, expand_names(required))
    findings = []
    for name in required:
        wanted = expand_names(name)
        if any(_matches(site, wanted) for site in program_sites):
            continue
        findings.append(
            Finding(
                check="required-primitive",
                what=f"this exercise asks you to use {_display(name)}; your program has no {_has_phrase(name)}",
                why=why
                or f"the point of the exercise is to practise {_display(name)}; an equivalent result "
                "computed another way does not show it.",
                fix=fix or f"rewrite the computation with {_display(name)}.",
                where=definition_of(fn),
            )
        )
    raise_findings(findings)


def assert_avoids_primitive(
    fn: Callable[..., Any],
    *args: Any,
    forbidden: str | Iterable[str],
    why: str | None = None,
    fix: str | None = None,
    **kwargs: Any,
) -> None:
    """Fail if ``fn`` uses any of ``forbidden`` (names or aliases, such as ``"inv"``), pointing at the line."""
    if isinstance(forbidden, str):
        forbidden = (forbidden,)
    program_sites = _program_sites(fn, args, kwargs, expand_names(forbidden))
    findings, seen = [], set()
    for name in forbidden:
        wanted = expand_names(name)
        for site in program_sites:
            if not _matches(site, wanted):
                continue
            where = site.location
            key = (name, where)
            if key in seen:
                continue
            seen.add(key)
            findings.append(
                Finding(
                    check="forbidden-primitive",
                    what=f"this exercise asks you not to use {_display(name)}; your program uses it",
                    why=why or f"the exercise practises computing this without {_display(name)}.",
                    fix=fix or f"remove {_display(name)} and use the technique the exercise describes.",
                    where=where,
                )
            )
    raise_findings(findings)
