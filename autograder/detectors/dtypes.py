"""Find float64 creeping into a float32 program (NumPy float64 constants, ``astype(float64)``...).

Outside 64-bit mode JAX silently turns float64 into float32, so the drift is
invisible until someone enables ``jax_enable_x64``. The trace is taken with 64-bit
mode on (only during the trace), and float64 values are followed from where they
start. Float64 that only comes from JAX's own default dtype (``jnp.zeros(n)``,
``jnp.arange(n) * 0.5``, ``jax.random.normal``) is not reported: it is float32
in the course's normal mode and follows the default, not the learner's choice.

Decided on purpose: ``jnp.array(1.0, dtype=float)`` is reported. ``float`` is a dtype the learner
wrote, and it means float64 (NumPy's and Python's double): in 64-bit mode it turns the learner's
float32 data into float64, exactly like ``np.float64(1.0)``, and the traced program cannot tell the
two apart. Write ``dtype=x.dtype`` or ``jnp.float32``, or leave the dtype out.
"""
from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator

import jax
import numpy as np

from .._compat import ClosedJaxpr, Jaxpr, Literal, Var
from ..findings import Finding, raise_findings
from ..trace import trace
from ..walk import Site, as_jaxpr, primitive_name, sub_jaxprs

__all__ = ["find_dtype_drift", "assert_no_dtype_drift"]

# Ops that only move or reshape a value: applied to NumPy constants alone, the result is still a NumPy
# constant (jnp.asarray of a NumPy array is a device_put; broadcasting one against an image a broadcast_in_dim).
_PASS_THROUGH = {
    "device_put", "copy", "copy_p", "reshape", "transpose", "squeeze", "expand_dims", "slice", "dynamic_slice",
    "gather", "rev", "concatenate", "broadcast_in_dim", "convert_element_type",
}
# Of these, the ones that also create arrays from a scalar: jnp.zeros(n) is a broadcast of the literal 0.0,
# float64 only through the default dtype, so a scalar literal alone does not make a constant.
_FILLS = {"broadcast_in_dim"}
_DEFAULT, _CONVERTED, _EXPLICIT = "default", "converted", "explicit"


@contextlib.contextmanager
def _x64() -> Iterator[None]:
    """64-bit mode for the duration of the block, on every supported JAX."""
    manager = getattr(jax, "enable_x64", None)
    if manager is None:  # JAX < 0.7
        from jax.experimental import enable_x64 as manager  # type: ignore[no-redef]
    with manager(True):
        yield


@contextlib.contextmanager
def _isolated_x64() -> Iterator[None]:
    """64-bit mode with JAX's tracing caches emptied on the way in and out.

    JAX 0.10 caches a traced function's NumPy constants without the 64-bit mode in the key: a function
    jitted by an earlier test cell would show its float64 constants as float32 here, and after this
    trace the learner's own jit(fn) would get float64 constants in a float32 program and fail to lower.
    """
    jax.clear_caches()
    try:
        with _x64():
            yield
    finally:
        jax.clear_caches()


def _is_f64(aval: Any) -> bool:
    return getattr(aval, "dtype", None) == np.float64


def _is_narrow_float(aval: Any) -> bool:
    dtype = getattr(aval, "dtype", None)
    try:
        return dtype is not None and np.dtype(dtype).kind == "f" and np.dtype(dtype).itemsize <= 4
    except TypeError:
        return False


def _is_narrow_int(aval: Any) -> bool:
    """uint8 pixels, int32 counts...: integer data that JAX's normal mode keeps in 32 bits or fewer."""
    dtype = getattr(aval, "dtype", None)
    try:
        return dtype is not None and np.dtype(dtype).kind in "iu" and np.dtype(dtype).itemsize <= 4
    except TypeError:
        return False


def _narrow(x: Any) -> Any:
    """What JAX's normal mode does to an input: 64-bit arrays become 32-bit."""
    if isinstance(x, (np.ndarray, np.generic, jax.Array)) and getattr(x, "dtype", None) is not None:
        if x.dtype == np.float64:
            return np.asarray(x, dtype=np.float32)
        if x.dtype == np.int64:
            return np.asarray(x, dtype=np.int32)
        if x.dtype == np.complex128:
            return np.asarray(x, dtype=np.complex64)
    return x


class _Walker:
    def __init__(self) -> None:
        self.introduced: list[Site] = []
        self.convert_site: dict[Var, Site] = {}

    def _report(self, site: Site) -> None:
        if all(s.eqn is not site.eqn for s in self.introduced):
            self.introduced.append(site)

    def walk(self, program: Jaxpr | ClosedJaxpr, tags: dict[Var, str], enclosing: tuple) -> dict[Var, str]:
        jaxpr = as_jaxpr(program)
        for v in jaxpr.constvars:
            if _is_f64(v.aval) and v not in tags:
                tags[v] = "const"
        for eqn in jaxpr.eqns:
            site = Site(eqn, (), enclosing)
            subs = sub_jaxprs(eqn)
            if subs:
                self._nested(eqn, subs, tags, enclosing)
                continue
            if not any(_is_f64(v.aval) for v in eqn.outvars):
                continue
            inputs = [self._input(eqn, v, tags) for v in eqn.invars]
            tag = self._tag(eqn, site, inputs)
            for v in eqn.outvars:
                if _is_f64(v.aval):
                    tags[v] = tag
                    if tag == _CONVERTED:
                        self.convert_site[v] = site
        return tags

    @staticmethod
    def _input(eqn: Any, v: Any, tags: dict[Var, str]) -> str | None:
        """What an equation's input is: a float64 "const", "narrow" 32-bit data, or the tag it carries."""
        if isinstance(v, Literal):
            strong = _is_f64(v.aval) and not getattr(v.aval, "weak_type", False)
            if strong and primitive_name(eqn) in _FILLS and not getattr(v.aval, "shape", ()):
                return None  # jnp.zeros(n), jnp.full(n, 0.5): a default-dtype creation
            return "const" if strong else None
        if _is_narrow_float(v.aval):
            return "narrow"
        if _is_narrow_int(v.aval) and primitive_name(eqn) == "convert_element_type" \
                and not eqn.params.get("weak_type", False):
            return "narrow"  # image.astype(jnp.float64); a weak conversion is a promotion (image / 255.0)
        return tags.get(v)

    def _tag(self, eqn: Any, site: Site, inputs: list[str | None]) -> str:
        name = primitive_name(eqn)
        if name in _PASS_THROUGH and set(inputs) - {None} == {"const"}:
            return "const"  # jnp.asarray(np_array), a NumPy constant broadcast: still the NumPy constant
        if name == "convert_element_type" and inputs == ["narrow"]:
            return _CONVERTED  # astype(float64), or a promotion: decided where it is used
        if _EXPLICIT in inputs:
            return _EXPLICIT
        if "const" in inputs and ("narrow" in inputs or _CONVERTED in inputs):
            consts = [v for v, tag in zip(eqn.invars, inputs) if tag == "const"]
            if _CONVERTED in inputs and all(isinstance(v, Literal) for v in consts):
                # x.astype(float64) / 255.0: the Python scalar only follows the conversion
                self._report_converts(eqn, site)
            else:
                self._report(site)  # a float64 constant (NumPy value) mixed into 32-bit data
            return _EXPLICIT
        if _CONVERTED in inputs:
            if _DEFAULT in inputs:
                return _DEFAULT  # 32-bit data promoted by a default-dtype array (jnp.zeros(n) + x)
            self._report_converts(eqn, site)
            return _EXPLICIT
        return _DEFAULT

    def _report_converts(self, eqn: Any, fallback: Site) -> None:
        for v in eqn.invars:
            if isinstance(v, Var) and v in self.convert_site:
                self._report(self.convert_site[v])
                return
        self._report(fallback)

    def _nested(self, eqn: Any, subs: list, tags: dict[Var, str], enclosing: tuple) -> None:
        results: dict[int, str] = {}
        for _, sub in subs:
            inner = as_jaxpr(sub)
            offset = len(eqn.invars) - len(inner.invars)
            inner_tags: dict[Var, str] = {}
            if offset >= 0:
                for o, i in zip(eqn.invars[offset:], inner.invars):
                    if isinstance(o, Var) and o in tags:
                        inner_tags[i] = tags[o]
                        if o in self.convert_site:
                            self.convert_site[i] = self.convert_site[o]
            out = self.walk(sub, inner_tags, enclosing + (eqn,))
            if len(inner.outvars) == len(eqn.outvars):
                for k, v in enumerate(inner.outvars):
                    tag = out.get(v) if isinstance(v, Var) else None
                    if tag == _CONVERTED and isinstance(v, Var):
                        self._report(self.convert_site[v])
                        tag = _EXPLICIT
                    if tag and (results.get(k) != _EXPLICIT):
                        results[k] = tag
        for k, v in enumerate(eqn.outvars):
            if _is_f64(v.aval):
                tags[v] = results.get(k, _DEFAULT)


def find_dtype_drift(fn: Callable[..., Any], *args: Any, expected: Any = np.float32, **kwargs: Any) -> list[Finding]:
    """Findings for the lines that bring float64 into a program meant to compute in ``expected``.

    The trace runs with 64-bit mode on; inputs are first narrowed to 32 bits as JAX's
    normal mode would. Reports each learner line that starts float64 (a NumPy float64
    constant or array, NumPy math on the Python side, ``astype(float64)``,
    ``dtype=float64``), and a float64 result.
    """
    if np.dtype(expected).itemsize > 4:
        return []
    args = jax.tree_util.tree_map(_narrow, args)
    kwargs = {k: jax.tree_util.tree_map(_narrow, v) for k, v in kwargs.items()}
    with _isolated_x64():
        try:
            closed = trace(fn, *args, **kwargs)
        except TypeError:
            # A loop carry or branch whose dtype changes only in 64-bit mode: nothing can be concluded.
            return []
    walker = _Walker()
    tags = walker.walk(closed, {}, ())
    outputs = [v for v in as_jaxpr(closed).outvars if isinstance(v, Var) and _is_f64(v.aval)]
    for v in outputs:
        if tags.get(v) == _CONVERTED:
            walker._report(walker.convert_site[v])
    drifting_outputs = [v for v in outputs if tags.get(v) in (_EXPLICIT, _CONVERTED)]
    findings = []
    seen: set = set()
    result_note = (
        f" Your function returns float64 where {np.dtype(expected).name} is expected." if drifting_outputs else ""
    )
    for site in walker.introduced:
        where = site.location
        if where in seen:
            continue
        seen.add(where)
        findings.append(
            Finding(
                check="dtype-drift",
                what=f"float64 enters your {np.dtype(expected).name} computation here ({site.primitive} makes "
                f"float64 from 32-bit or smaller values).{result_note if not seen - {where} else ''}",
                why="a NumPy float64 constant, NumPy math on the Python side or an explicit float64 dtype makes "
                "JAX compute in float64 when 64-bit mode is on (2x memory, much slower on GPUs and TPUs), and "
                "is silently cut to float32 otherwise: the program means different things in the two modes.",
                fix=f"keep values in {np.dtype(expected).name}: use jnp functions instead of np ones on traced "
                f"values, create constants with dtype=x.dtype (or jnp.{np.dtype(expected).name}), and drop "
                "astype(float64) / dtype=float64.",
                where=where,
            )
        )
    return findings


def assert_no_dtype_drift(fn: Callable[..., Any], *args: Any, expected: Any = np.float32, **kwargs: Any) -> None:
    """Fail if float64 creeps into ``fn``'s computation meant to be in ``expected``."""
    raise_findings(find_dtype_drift(fn, *args, expected=expected, **kwargs))
