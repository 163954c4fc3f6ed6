"""Whether the learner splits keys themselves: ``jax.random.split`` in their own code.

``assert_uses_primitive(..., required="random_split")`` cannot tell: samplers such as
``randint``, ``choice`` and ``permutation`` split their key internally, so a program
that never calls ``jax.random.split`` still holds ``random_split`` equations. Here
each split is attributed to the public ``jax.random`` function that made it, and
only the learner's own ``split`` calls count.
"""
from __future__ import annotations

from typing import Any, Callable

from ..findings import Finding, raise_findings
from ..source import Location
from ..trace import trace
from ..walk import Site, iter_eqns
from .key_reuse.sites import Context, use_of

__all__ = ["learner_splits", "find_missing_split", "assert_splits_key"]

_DRAWS = ("random_bits", "random_fold_in", "random_split")


def _api(site: Site) -> str:
    """The public ``jax.random`` function the learner called to make this equation."""
    return use_of(site.eqn, Context(tuple(site.enclosing), ())).api


def learner_splits(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Site]:
    """The ``random_split`` equations of ``fn(*args, **kwargs)`` made by the learner's own ``jax.random.split``."""
    sites = iter_eqns(trace(fn, *args, **kwargs))
    return [site for site in sites if site.primitive == "random_split" and _api(site) == "split"]


def _first_draw(fn: Callable[..., Any], args: tuple, kwargs: dict) -> Location | None:
    """The learner's line of the first draw, where a split was due."""
    for site in iter_eqns(trace(fn, *args, **kwargs)):
        if site.primitive in _DRAWS and site.location is not None:
            return site.location
    return None


def find_missing_split(
    fn: Callable[..., Any], *args: Any, instruction: str = "split the key with jax.random.split", **kwargs: Any
) -> list[Finding]:
    """A finding when ``fn(*args, **kwargs)`` never calls ``jax.random.split`` itself (library-internal splits do not count)."""
    if learner_splits(fn, *args, **kwargs):
        return []
    return [
        Finding(
            check="missing-split",
            what=f"the exercise asks you to {instruction}; your program never calls jax.random.split "
            "(splits inside samplers such as randint or choice do not count)",
            why="keys made another way (fold_in with made-up numbers, one key for everything) are not the keys the "
            "statement asks for, and skipping the split is how a key ends up feeding two draws.",
            fix="make the keys with jax.random.split(key, n) as the statement says, and give each draw its own key.",
            where=_first_draw(fn, args, kwargs),
        )
    ]


def assert_splits_key(
    fn: Callable[..., Any], *args: Any, instruction: str = "split the key with jax.random.split", **kwargs: Any
) -> None:
    """Raise ``AntiPatternError`` (``[anti-pattern: missing-split]``) unless ``fn`` calls ``jax.random.split`` itself."""
    raise_findings(find_missing_split(fn, *args, instruction=instruction, **kwargs))
