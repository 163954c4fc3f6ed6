"""The identities of the traced function's arguments, named as the learner wrote them."""
from __future__ import annotations

import inspect
from typing import Any, Callable

import jax
import numpy as np

from ...trace import is_python_value
from .identities import MAX_TRACKED, id_array, is_integer, is_key, shape_of, size_of


def argument_names(fn: Callable, args: tuple, kwargs: dict) -> list[str]:
    """A readable name for every array leaf of ``(args, kwargs)``: ``key``, ``keys['a']``."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    names = []
    for path, leaf in jax.tree_util.tree_flatten_with_path((args, kwargs))[0]:
        if is_python_value(leaf):  # passed as it is, not traced (see autograder.trace)
            continue
        top = path[0].idx if hasattr(path[0], "idx") else 0
        head = path[1] if len(path) > 1 else None
        if top == 0 and head is not None:
            i = head.idx
            base = positional[i] if i < len(positional) else f"args[{i}]"
        else:
            base = str(getattr(head, "key", "kwargs"))
        names.append(base + jax.tree_util.keystr(tuple(path[2:])))
    return names


def argument_ids(names: list[str], invars: list) -> list[Any]:
    """One identity per element of every key or integer argument, one per other argument."""
    values = []
    for i, var in enumerate(invars):
        name = names[i] if len(names) == len(invars) else f"argument {i}"
        shape = shape_of(var.aval)
        if (is_key(var.aval) or is_integer(var.aval)) and size_of(shape) <= MAX_TRACKED:
            values.append(id_array(shape, (("arg", name, idx) for idx in np.ndindex(*shape))))
        else:
            values.append(("arg", name))
    return values
