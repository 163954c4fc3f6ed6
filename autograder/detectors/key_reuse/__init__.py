"""Find PRNG keys that feed more than one random draw or split on one execution path.

Nothing is computed: the function is traced to a jaxpr, then every key-like value
is followed symbolically. Each element of a key array (typed ``jax.random.key``
or the raw ``uint32`` data of a legacy ``jax.random.PRNGKey``) gets an identity;
slicing, stacking, reshaping, wrapping and unwrapping move identities around,
``split`` and ``fold_in`` derive new ones, and every draw or split consumes the
identities it is given. Consuming one identity twice on one path is key reuse.
Whatever cannot be followed gets a fresh identity, so unknown code never raises
a false alarm.

Modules: ``identities`` (what a key is), ``arguments`` (naming the inputs),
``interpreter`` and ``structural`` (following keys through the jaxpr), ``sites``
(where a use happened) and ``messages`` (what the learner reads).
"""
from __future__ import annotations

from typing import Any, Callable

from ...findings import Finding, raise_findings
from ...trace import trace
from .arguments import argument_ids, argument_names
from .interpreter import Interpreter
from .sites import Context

__all__ = ["find_key_reuse", "assert_no_key_reuse"]


def find_key_reuse(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Finding]:
    """Findings for every PRNG key that ``fn(*args, **kwargs)`` uses for more than one draw or split.

    Typed keys (``jax.random.key``) and legacy keys (``jax.random.PRNGKey``) are both
    followed, through pytrees, indexing, helpers, jit, cond/switch branches and loops.
    Nothing is computed; an empty list means no reuse was seen.
    """
    closed = trace(fn, *args, **kwargs)
    traced_kwargs = {k: v for k, v in kwargs.items() if k not in ("static_argnums", "static_argnames")}
    names = argument_names(fn, args, traced_kwargs)
    interpreter = Interpreter()
    interpreter.run(closed, argument_ids(names, list(closed.jaxpr.invars)), {}, Context((), ()))
    return interpreter.findings


def assert_no_key_reuse(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Raise ``AntiPatternError`` if ``fn(*args, **kwargs)`` uses a PRNG key more than once."""
    __tracebackhide__ = True
    raise_findings(find_key_reuse(fn, *args, **kwargs))
