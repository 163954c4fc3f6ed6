"""Which primitives a learner's program uses: require some (``lax.scan``), forbid others (``inv``)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

from ..findings import Finding, raise_findings
from ..source import definition_of
from ..trace import trace
from ..walk import Site, is_learner_jit, iter_eqns

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


def _matches(site: Site, wanted: frozenset[str]) -> bool:
    if site.primitive in wanted:
        return True
    # jnp.linalg.inv and friends are jit-wrapped library functions: a `jit` equation with a name.
    # A learner's own jitted helper named `inv` is judged by what it does, not by its name.
    return site.primitive == "jit" and site.eqn.params.get("name") in wanted and not is_learner_jit(site.eqn)


def _program_sites(fn: Callable[..., Any], args: tuple, kwargs: dict) -> list[Site]:
    """Every equation of ``fn``, nested programs included."""
    return list(iter_eqns(trace(fn, *args, **kwargs)))


def _sites(fn: Callable[..., Any], args: tuple, kwargs: dict, wanted: frozenset[str]) -> list[Site]:
    return [site for site in _program_sites(fn, args, kwargs) if _matches(site, wanted)]


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
    program_sites = _program_sites(fn, args, kwargs)
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
    program_sites = _program_sites(fn, args, kwargs)
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
