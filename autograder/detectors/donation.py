"""Check that the buffers a jitted function donates are really reused for its outputs.

``jax.jit(step, donate_argnums=0)`` lets XLA write the new parameters into the memory of
the old ones, so a training step needs one copy of the parameters instead of two. The
donation only helps when an output has the same shape and dtype as the donated input; if
none does, JAX warns "Some donated buffers were not usable" and keeps both copies. This
module lowers the function and reads, in the program JAX produced, which inputs are
aliased to outputs (``tf.aliasing_output`` in StableHLO, ``input_output_alias`` in HLO).
"""
from __future__ import annotations

import inspect
import re
import warnings
from collections import Counter
from typing import Any, Callable, Sequence

import jax
import numpy as np

from ..findings import Finding, raise_findings
from ..source import definition_of

__all__ = ["find_unhonoured_donation", "assert_donation_honoured"]

CHECK = "donation"

_MAIN = re.compile(r"func\.func public @main\((?P<args>.*?)\)\s*->", re.S)
_ARG = re.compile(r"%arg(?P<i>\d+): (?P<type>tensor<[^>]*>)(?: \{(?P<attrs>[^}]*)\})?")
_HLO_ALIAS = re.compile(r"\(\s*(?P<param>\d+),\s*\{[^}]*\},\s*(?:may|must)-alias\)")
_MLIR_DTYPES = {
    "float32": "f32", "float64": "f64", "float16": "f16", "bfloat16": "bf16", "bool": "i1",
    "int8": "i8", "int16": "i16", "int32": "i32", "int64": "i64",
    "uint8": "ui8", "uint16": "ui16", "uint32": "ui32", "uint64": "ui64",
    "complex64": "complex<f32>", "complex128": "complex<f64>",
}


def _tensor_type(shape: Sequence[int], dtype: Any) -> str:
    dt = _MLIR_DTYPES.get(np.dtype(dtype).name, np.dtype(dtype).name)
    return "tensor<" + "".join(f"{d}x" for d in shape) + dt + ">"


def _param_names(fn: Any) -> list[str]:
    try:
        return [p.name for p in inspect.signature(inspect.unwrap(fn)).parameters.values()]
    except (TypeError, ValueError):
        return []


def _leaf_label(path: tuple, names: list[str]) -> str:
    """``params['w']`` for a leaf of the first positional argument named ``params``."""
    head, *rest = path
    if getattr(head, "idx", None) == 0 and rest:  # positional args
        i = getattr(rest[0], "idx", None)
        base = names[i] if i is not None and i < len(names) else f"argument {i}"
        tail = rest[1:]
    elif rest:  # keyword args
        base, tail = str(getattr(rest[0], "key", rest[0])), rest[1:]
    else:
        return "an argument"
    return base + jax.tree_util.keystr(tuple(tail))


def _aliased_params(lowered: Any) -> tuple[list[tuple[int, str, bool, bool]], set[int] | None]:
    """Main's parameters as (index, tensor type, aliased, donor) and, if needed, compiled aliases."""
    match = _MAIN.search(lowered.as_text())
    params = []
    if match:
        for m in _ARG.finditer(match.group("args")):
            attrs = m.group("attrs") or ""
            params.append((int(m.group("i")), m.group("type"), "tf.aliasing_output" in attrs,
                           "jax.buffer_donor" in attrs))
    compiled_aliases = None
    if any(donor for *_, donor in params):  # XLA decides these when it compiles
        hlo = lowered.compile().as_text()
        head = next((line for line in hlo.splitlines() if "input_output_alias" in line), "")
        compiled_aliases = {int(m.group("param")) for m in _HLO_ALIAS.finditer(head)}
    return params, compiled_aliases


def find_unhonoured_donation(
    fn: Callable[..., Any],
    *args: Any,
    donate_argnums: int | Sequence[int] | None = None,
    **kwargs: Any,
) -> list[Finding]:
    """Findings for donated inputs of the jitted ``fn`` that no output reuses.

    ``donate_argnums`` names the positional arguments the exercise requires to be donated;
    a required argument ``fn`` does not donate is a finding, and so is ``fn`` donating
    nothing at all.
    """
    where = definition_of(fn)
    name = getattr(inspect.unwrap(fn), "__name__", "your function")
    if not hasattr(fn, "lower"):
        return [Finding(
            CHECK, f"`{name}` is not a jitted function, so it donates nothing.",
            "only `jax.jit` can reuse an input's memory for an output",
            f"wrap it: `jax.jit({name}, donate_argnums=0)` (the argument you replace, e.g. the "
            "parameters or the optimizer state)", where)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lowered = fn.lower(*args, **kwargs)
        params, compiled_aliases = _aliased_params(lowered)
    unusable = [str(w.message).splitlines()[0] for w in caught if "donated buffers" in str(w.message)]

    names = _param_names(fn)
    flat = jax.tree_util.tree_flatten_with_path(lowered.args_info)[0]
    donated = [(path, info) for path, info in flat if getattr(info, "donated", False)]
    findings: list[Finding] = []

    required = () if donate_argnums is None else (
        (donate_argnums,) if isinstance(donate_argnums, int) else tuple(donate_argnums))
    for argnum in required:
        leaves = [info for path, info in flat
                  if getattr(path[0], "idx", None) == 0 and getattr(path[1], "idx", None) == argnum]
        if leaves and all(getattr(info, "donated", False) for info in leaves):
            continue
        label = names[argnum] if argnum < len(names) else f"argument {argnum}"
        others = sorted({_leaf_label(p, names).split("[")[0] for p, _ in donated})
        shown = ", ".join(f"`{o}`" for o in others)
        also = f" (it donates {shown} instead)" if others else ""
        findings.append(Finding(
            CHECK,
            f"`{name}` does not donate argument {argnum} (`{label}`){also}.",
            "without donation XLA keeps the old and the new buffers alive at once, doubling the "
            "memory of what you update (parameters, optimizer state)",
            f"donate it: `jax.jit({name}, donate_argnums={argnum})` (or donate_argnames=('{label}',)), "
            "and do not use the old value after the call",
            where))
    if not donated:
        if not required:
            findings.append(Finding(
                CHECK, f"`{name}` donates no argument.",
                "without donation XLA keeps the old and the new buffers alive at once, doubling "
                "the memory of what you update",
                f"add `donate_argnums=` to `jax.jit` for the argument the function replaces "
                f"(e.g. `jax.jit({name}, donate_argnums=0)`)", where))
        return findings

    # Which donated leaves did the lowered program alias to an output?
    honoured_types: Counter[str] = Counter()
    honoured_index: set[int] = set()
    for index, ttype, aliased, donor in params:
        if aliased or (donor and compiled_aliases is not None and index in compiled_aliases):
            honoured_types[ttype] += 1
            honoured_index.add(index)
    exact = len(params) == len(flat)
    position = {id(info): i for i, (_, info) in enumerate(flat)}
    for path, info in donated:
        shape, dtype = tuple(getattr(info, "shape", ())), getattr(info, "dtype", None)
        if exact:
            ok = position[id(info)] in honoured_index
        else:
            ttype = _tensor_type(shape, dtype) if dtype is not None else ""
            ok = honoured_types[ttype] > 0
            if ok:
                honoured_types[ttype] -= 1
        if ok:
            continue
        label = _leaf_label(path, names)
        aval = f"{np.dtype(dtype).name}{list(shape)}" if dtype is not None else "?"
        said = f" JAX warned: {unusable[0]}" if unusable else ""
        findings.append(Finding(
            CHECK,
            f"`{name}` donates `{label}` ({aval}) but no output reuses its buffer.{said}",
            "a donated buffer is only reused when an output has exactly its shape and dtype; "
            "otherwise the donation does nothing and the input is still invalidated",
            "return the updated value with the same shape and dtype as the donated input "
            "(e.g. `return params - lr * grads`), or donate the argument the function actually "
            "replaces",
            where))
    return findings


def assert_donation_honoured(
    fn: Callable[..., Any],
    *args: Any,
    donate_argnums: int | Sequence[int] | None = None,
    **kwargs: Any,
) -> None:
    """Raise ``AntiPatternError`` unless every buffer ``fn`` donates (and must donate) is reused."""
    raise_findings(find_unhonoured_donation(fn, *args, donate_argnums=donate_argnums, **kwargs))
