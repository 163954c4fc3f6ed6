"""Pytree pitfalls: a tree that lost or gained leaves, an input tree changed in place, a class
JAX cannot see into, and Python numbers in a state tree that make ``jit`` compile twice.

Leaves are named by their key path as ``jax.tree_util.keystr`` writes it (``['layer1']['w']``).
The learner's objects are only walked through JAX's own pytree registry: no ``__eq__``,
``__bool__`` or ``__array__`` of theirs is called.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable

import jax

from ..findings import Finding, raise_findings
from .primitives import definition_of

__all__ = [
    "find_tree_mismatch",
    "assert_same_tree_structure",
    "find_input_mutation",
    "assert_no_input_mutation",
    "find_unregistered_class",
    "assert_registered_pytree",
    "find_python_scalar_leaves",
    "assert_no_python_scalar_leaves",
]

_PY_SCALARS = (bool, int, float, complex)


def _paths(tree: Any) -> list[tuple[str, Any]]:
    leaves, _ = jax.tree_util.tree_flatten_with_path(tree)
    return [(jax.tree_util.keystr(path), leaf) for path, leaf in leaves]


def _listing(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def find_tree_mismatch(yours: Any, expected: Any, *, name: str = "your tree") -> list[Finding]:
    """A finding when ``yours`` does not have the pytree structure of ``expected`` (leaves named by path)."""
    if jax.tree.structure(yours) == jax.tree.structure(expected):
        return []
    mine, wanted = [p for p, _ in _paths(yours)], [p for p, _ in _paths(expected)]
    if mine == [""]:
        mine = [f"(the whole of {name}: a single {type(yours).__name__} leaf)"]
    missing = [p for p in wanted if p not in mine]
    extra = [p for p in mine if p not in wanted]
    if missing or extra:
        parts = ([f"it lost the leaves {_listing(missing)}"] if missing else []) + (
            [f"it has leaves that should not be there: {_listing(extra)}"] if extra else []
        )
        what = f"the structure of {name} differs from the expected tree's: " + "; ".join(parts)
    else:
        what = (
            f"the leaves of {name} have the expected names but sit in other containers: "
            f"{jax.tree.structure(yours)} instead of {jax.tree.structure(expected)}"
        )
    return [
        Finding(
            check="tree-structure",
            what=what,
            why="a tree rebuilt by hand ({'w': ..., 'b': ...}) only has the leaves you wrote down; any other "
            "parameter is silently dropped or changes container, and the next step fails or trains less.",
            fix="let JAX keep the structure: `jax.tree.map(lambda p, g: ..., params, grads)` returns a tree "
            "shaped exactly like params, whatever it holds.",
        )
    ]


def assert_same_tree_structure(yours: Any, expected: Any, *, name: str = "your tree") -> None:
    """Fail unless ``yours`` has the same pytree structure as ``expected``, naming lost and extra leaves."""
    __tracebackhide__ = True
    raise_findings(find_tree_mismatch(yours, expected, name=name))


def _snapshot(tree: Any) -> tuple[Any, list[tuple[str, Any]]]:
    # The leaves themselves are kept (not their ids), so a replaced leaf cannot hand its id to a new one.
    return jax.tree.structure(tree), _paths(tree)


def find_input_mutation(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Finding]:
    """Call ``fn(*args, **kwargs)`` and report every argument tree whose leaves or structure it changed in place."""
    names = list(inspect.signature(fn).parameters) if _has_signature(fn) else []
    before = [_snapshot(a) for a in args] + [_snapshot(v) for v in kwargs.values()]
    labels = [names[i] if i < len(names) else f"argument {i}" for i in range(len(args))] + list(kwargs)
    fn(*args, **kwargs)
    findings = []
    for label, value, (structure, leaves) in zip(labels, list(args) + list(kwargs.values()), before):
        now_structure, now_leaves = _snapshot(value)
        if now_structure != structure:
            changed = "its structure (leaves were added or removed)"
        else:
            replaced = [p for (p, old), (_, new) in zip(leaves, now_leaves) if old is not new]
            if not replaced:
                continue
            changed = "the leaves " + _listing([f"{label}{p}" for p in replaced])
        findings.append(
            Finding(
                check="input-mutation",
                what=f"your function changed its input `{label}` in place: {changed} are not what the caller passed",
                why="JAX code is functional: under jit the change is lost (jit works on a copy), without jit "
                "the caller's parameters change behind its back, and a gradient or a second call then sees "
                "the wrong values.",
                fix="build and return a new tree instead of assigning into the old one, e.g. "
                "`new_params = jax.tree.map(lambda p, g: p - lr * g, params, grads)`.",
                where=definition_of(fn),
            )
        )
    return findings


def _has_signature(fn: Callable[..., Any]) -> bool:
    try:
        inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    return True


def assert_no_input_mutation(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Fail if calling ``fn(*args, **kwargs)`` changes any argument tree in place."""
    __tracebackhide__ = True
    raise_findings(find_input_mutation(fn, *args, **kwargs))


def find_unregistered_class(obj: Any, *, name: str = "your object") -> list[Finding]:
    """A finding when ``obj`` is an instance of a user class that JAX sees as one opaque leaf."""
    leaves = jax.tree.leaves(obj)
    cls = type(obj)
    if not (len(leaves) == 1 and leaves[0] is obj) or isinstance(obj, (jax.Array, *_PY_SCALARS)):
        return []
    if cls.__module__ in ("numpy", "builtins") or cls.__module__.startswith(("numpy.", "jax.", "jaxlib.")):
        return []
    return [
        Finding(
            check="unregistered-pytree",
            what=f"{name} (class {cls.__name__}) is not a registered pytree: JAX sees it as one leaf and cannot look inside",
            why="jit, grad and vmap only accept arrays and pytrees of arrays; an unregistered class makes jit "
            "raise 'Error interpreting argument ... as an abstract array', and jax.tree.map passes the whole "
            "object to your function as if it were one leaf.",
            fix="register the class: `jax.tree_util.register_dataclass(Cls, data_fields=[...array fields...], "
            "meta_fields=[...static settings...])` on a dataclass, or `jax.tree_util.register_pytree_node(Cls, "
            "flatten, unflatten)`.",
        )
    ]


def assert_registered_pytree(obj: Any, *, name: str = "your object") -> None:
    """Fail if ``obj`` belongs to a class JAX does not know as a pytree node."""
    __tracebackhide__ = True
    raise_findings(find_unregistered_class(obj, name=name))


def find_python_scalar_leaves(tree: Any, *, name: str = "your tree") -> list[Finding]:
    """A finding naming every leaf of ``tree`` that is a plain Python number (bool, int, float, complex)."""
    scalars = [(p, leaf) for p, leaf in _paths(tree) if type(leaf) in _PY_SCALARS]
    if not scalars:
        return []
    listed = _listing([f"{name}{p} = {leaf!r} ({type(leaf).__name__})" for p, leaf in scalars])
    return [
        Finding(
            check="python-scalar-leaf",
            what=f"{name} holds Python numbers as leaves: {listed}",
            why="jit sees a Python number as a weakly typed scalar, while your step returns a JAX array for it; "
            "the second call then has a different input type and jit compiles the whole step again "
            "(and an int here, a float there compiles once more).",
            fix="store numbers in a state tree as JAX arrays of a fixed dtype, e.g. "
            "`jnp.zeros((), jnp.int32)` for a step count or `jnp.asarray(0.9, jnp.float32)`.",
        )
    ]


def assert_no_python_scalar_leaves(tree: Any, *, name: str = "your tree") -> None:
    """Fail if any leaf of ``tree`` is a plain Python number rather than a JAX array."""
    __tracebackhide__ = True
    raise_findings(find_python_scalar_leaves(tree, name=name))
