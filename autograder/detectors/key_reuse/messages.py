"""What the learner reads: the reused key described in words, where it was used, why and how to fix."""
from __future__ import annotations

from typing import Any

from ...findings import Finding
from .sites import Use

CHECK = "key-reuse"

WHY = (
    "A JAX key is a fixed seed, not a generator with state: the same key gives the same "
    "random numbers every time, so these draws are identical or correlated instead of "
    "independent samples."
)
FIX = (
    "Split before each use and never use a key again once it has been split or drawn from: "
    "`key, sub = jax.random.split(key)`, then draw with `sub`. In a loop, split the carried key "
    "every step, or use `jax.random.fold_in(key, step)` to get a different key per step."
)


def _describe(kid: Any, depth: int = 0) -> str:
    """A key identity in words, such as ``subkey 0 of split(`key`)``."""
    if not isinstance(kid, tuple) or depth > 3:
        return "a key"
    kind = kid[0]
    if kind == "arg":
        name, index = kid[1], kid[2]
        return f"`{name}[{', '.join(map(str, index))}]`" if index else f"`{name}`"
    if kind == "keydata":
        data = kid[2]
        if kid[1] == "threefry2x32" and len(data) == 2 and data[0] == 0:
            return f"made from seed {data[1]}"
        return f"the constant key with data {list(data)}"
    if kind == "seed":
        return "made from the same seed"
    if kind == "split":
        return f"subkey {kid[2]} of split({_describe(kid[1], depth + 1)})"
    if kind == "fold":
        return f"fold_in({_describe(kid[1], depth + 1)}, {_describe_data(kid[2])})"
    if kind == "wrap":
        parts = kid[2]
        if parts and all(isinstance(p, tuple) and p[:1] == ("arg",) for p in parts):
            names = {p[1] for p in parts}
            rows = {p[2][:-1] for p in parts}
            if len(names) == 1 and len(rows) == 1:
                return _describe(("arg", names.pop(), rows.pop()), depth + 1)
        return "a key built from raw key data"
    return "a key"


def _describe_data(data: Any) -> str:
    """The data given to ``fold_in``, in words."""
    if isinstance(data, tuple) and data[:1] == ("cval",):
        return str(data[1])
    if isinstance(data, tuple) and data[:1] == ("arg",):
        return _describe(data)
    return "the same value"


def _place(use: Use, other: Use) -> str:
    """``line 7 (normal)``, with the calling line when a shared helper made both uses."""
    loc = use.location
    text = "an unknown line" if loc is None else f"line {loc.line}"
    if loc is not None and other.location is not None and other.location.file != loc.file:
        text = loc.place
    detail = use.api
    if other.frames and use.frames and other.frames[0] == use.frames[0]:
        callers = [f for f in use.frames[1:] if f not in other.frames]
        if callers:
            detail += f", called from line {callers[0][1]}"
    return f"{text} ({detail})"


def reuse_finding(kid: Any, first: Use, again: Use) -> Finding:
    """The finding for key ``kid``, used by ``first`` and then again by ``again``."""
    desc = _describe(kid)
    if first is again:
        what = (
            f"PRNG key {desc} is used for several samples at once at {_place(again, first)}: "
            f"it was copied (stacked or broadcast) instead of split."
        )
    elif first.site == again.site and first.frames == again.frames and first.iteration != again.iteration:
        what = (
            f"PRNG key {desc} is used on every step of a loop: {_place(again, first)} "
            f"draws from the same key at each iteration."
        )
    else:
        what = (
            f"PRNG key {desc} is used twice: first at {_place(first, again)}, "
            f"used again at {_place(again, first)}."
        )
    return Finding(CHECK, what, WHY, FIX, again.location)
