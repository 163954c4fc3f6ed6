"""Find Python loops over a traced length, unrolled by tracing into one copy of the body per step."""
from __future__ import annotations

import dis
import functools
import inspect
import linecache
from collections import Counter
from dataclasses import dataclass
from types import CodeType
from typing import Any, Callable, Sequence

from .._compat import Literal
from ..findings import Finding, raise_findings
from ..source import Location, is_library_code
from ..trace import trace
from ..walk import Site, iter_eqns, sub_jaxprs

__all__ = ["find_unrolled_loop", "assert_no_unrolled_loop"]


@dataclass(frozen=True)
class Growth:
    """How a traced program grew with the problem size: total and per-line equation counts."""

    sizes: tuple[int, ...]
    totals: tuple[int, ...]
    line: Location | None
    line_counts: tuple[int, ...]

    def describe(self) -> str:
        steps = ", ".join(f"{c} at n={n}" for n, c in zip(self.sizes, self.line_counts))
        totals = ", ".join(f"{c} at n={n}" for n, c in zip(self.sizes, self.totals))
        return f"operations traced from that line: {steps} (whole program: {totals})"


def _as_args(made: Any) -> tuple:
    return tuple(made) if isinstance(made, (tuple, list)) else (made,)


@functools.lru_cache(maxsize=512)
def _loop_spans(code: CodeType) -> tuple[tuple[int, int], ...]:
    """Bytecode offsets covered by the loops of ``code``: from a backward jump's target to the jump."""
    return tuple(
        (ins.argval, ins.offset) for ins in dis.get_instructions(code)
        if "JUMP" in ins.opname and isinstance(ins.argval, int) and ins.argval < ins.offset
    )


def _in_loop(code: Any, lasti: int) -> bool:
    return isinstance(code, CodeType) and any(start <= lasti <= end for start, end in _loop_spans(code))


def _learner_lines(site: Site, home: CodeType | None, looped: set[Location]) -> list[Location | None]:
    """The learner's lines behind an equation: its own line and the calls around it, up to ``fn`` itself.

    A loop that calls a helper then counts at the loop line too, not only inside the helper. Lines
    that run inside a Python loop of their function are added to ``looped``.
    """
    for eqn in (site.eqn, *reversed(site.enclosing)):
        tb = getattr(eqn.source_info, "traceback", None)
        if tb is None:
            continue
        codes, lastis = tb.raw_frames()
        frames = [
            (f.file_name, f.line_num, f.function_name, code, lasti)
            for f, code, lasti in zip(tb.frames, codes, lastis) if not is_library_code(code)
        ]
        if not frames:
            continue
        lines = []
        for file, line, function, code, lasti in frames:
            loc = Location(file, line, function, linecache.getline(file, line).strip())
            lines.append(loc)
            if _in_loop(code, lasti):
                looped.add(loc)
            if home is None or code is home:
                break
        else:  # fn's own frame was not found: keep the innermost line only
            lines = lines[:1]
        return lines
    return [None]


def _home(fn: Callable[..., Any]) -> CodeType | None:
    return getattr(inspect.unwrap(fn), "__code__", None)


def _is_repeat(site: Site, seen: dict[tuple, list[Any]]) -> bool:
    """Whether ``site`` repeats an equation already in ``seen`` exactly: the same operation on the same
    operands with the same parameters (equations holding nested programs never count as repeats)."""
    if sub_jaxprs(site.eqn):
        return False
    key = (site.primitive, tuple(repr(v.val) if isinstance(v, Literal) else id(v) for v in site.eqn.invars))
    earlier = seen.setdefault(key, [])
    if any(_same(params, site.eqn.params) for params in earlier):
        return True
    earlier.append(site.eqn.params)
    return False


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # parameters that cannot be compared (arrays): not the same
        return False


def _count(fn: Callable[..., Any], made: Any, kwargs: dict) -> tuple[int, Counter, dict, set]:
    """Total equations, equations per learner line, how far out each line sits in the call chain, and
    the lines that run inside a Python loop.

    An equation that repeats an earlier one exactly (same operation on the same operands) is counted
    once: ``jnp.stack([w] * n)`` prepares the same ``w`` n times on JAX 0.5 (n ``broadcast_in_dim``
    then one ``concatenate``), which is one copy of ``w`` per row, not a loop over examples."""
    home = _home(fn)
    counts: Counter = Counter()
    outer: dict = {}
    looped: set[Location] = set()
    total = 0
    program = trace(fn, *_as_args(made), **kwargs)
    seen: dict[tuple, list[Any]] = {}
    for site in iter_eqns(program):
        if _is_repeat(site, seen):
            continue
        total += 1
        lines = _learner_lines(site, home, looped)
        counts.update(set(lines))
        for depth, loc in enumerate(lines):
            outer[loc] = max(outer.get(loc, 0), depth)
    return total, counts, outer, looped


def program_growth(
    fn: Callable[..., Any], make_args: Callable[[int], Any], sizes: Sequence[int], kwargs: dict
) -> Growth | None:
    """Trace ``fn(*make_args(n))`` for each size; a ``Growth`` if the program grows in proportion to n.

    Proportional growth means at least one more equation per extra step between
    consecutive sizes, at a steady rate: small constant differences and
    logarithmic growth (``lax.associative_scan``) do not count. With two sizes a
    third, larger one is added to tell the two apart.
    """
    sizes = tuple(sorted(set(sizes)))
    if len(sizes) < 2:
        raise ValueError("give at least two different sizes to compare")
    counted = [_count(fn, make_args(n), kwargs) for n in sizes]
    if len(sizes) == 2:
        extra = 2 * sizes[1] - sizes[0]
        try:
            counted.append(_count(fn, make_args(extra), kwargs))
            sizes = sizes + (extra,)
        except Exception:  # the exercise may not support that size: compare the two given
            pass
    totals = [c[0] for c in counted]
    per_line = [c[1] for c in counted]
    outer, looped = counted[-1][2], counted[-1][3]
    slopes = [(b - a) / (m - n) for a, b, n, m in zip(totals, totals[1:], sizes, sizes[1:])]
    if min(slopes) < 1 or slopes[-1] < 0.75 * slopes[0]:
        return None
    lines = set().union(*per_line)
    grew = {loc: per_line[-1][loc] - per_line[0][loc] for loc in lines}
    # A line inside a Python loop that grew a step's worth, rather than the call that leads to it (a test's
    # lambda around the learner's function); then the line that grew most; on a tie the outer one (the
    # loop, rather than the helper it calls).
    line = max(lines, key=lambda loc: (
        loc in looped and grew[loc] >= sizes[-1] - sizes[0], grew[loc], loc is not None, outer.get(loc, 0)
    ))
    if line is not None:  # a comprehension's line: named after the function it is written in
        line = max((loc for loc in lines if loc is not None and (loc.file, loc.line) == (line.file, line.line)),
                   key=lambda loc: (outer.get(loc, 0), ">" not in loc.function))
    return Growth(sizes, tuple(totals), line, tuple(c[line] for c in per_line))


def find_unrolled_loop(
    fn: Callable[..., Any], make_args: Callable[[int], Any], *, sizes: Sequence[int] = (4, 8), **kwargs: Any
) -> list[Finding]:
    """A finding if the traced program of ``fn(*make_args(n))`` grows with the trip count ``n``."""
    growth = program_growth(fn, make_args, sizes, kwargs)
    if growth is None:
        return []
    return [
        Finding(
            check="unrolled-loop",
            what=f"your program grows with the number of steps: a Python loop is unrolled ({growth.describe()})",
            why="tracing runs a Python for-loop over a traced length once per step and records one copy of its "
            "body each time: the program, and its compile time, grow with the length.",
            fix="write the loop with lax.fori_loop(0, n, body, init), lax.scan(step, carry, xs) "
            "or lax.while_loop(cond, body, init): the body is traced once.",
            where=growth.line,
        )
    ]


def assert_no_unrolled_loop(
    fn: Callable[..., Any], make_args: Callable[[int], Any], *, sizes: Sequence[int] = (4, 8), **kwargs: Any
) -> None:
    """Fail if ``fn``'s traced program grows with the trip count (a Python loop unrolled by tracing)."""
    raise_findings(find_unrolled_loop(fn, make_args, sizes=sizes, **kwargs))
