"""Count the XLA compilations of a learner's code, and explain the recompilations.

A function JAX compiles again and again (a static learning rate that changes, ``jax.jit``
re-created inside a loop, input shapes that change every step) spends its time in the
compiler instead of running. ``count_compilations`` runs a piece of learner code and records
every real backend compilation of a learner function, with JAX's own explanation of why
its caches missed. The small compilations JAX does for eager operations (``jnp.ones(3)``,
``x + 1`` outside ``jit``) and for JAX's own jitted helpers are not counted.
"""
from __future__ import annotations

import linecache
import logging
import re
import sys
import sysconfig
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

import jax
from jax import monitoring

from .._compat import ClosedJaxpr, parse_function_source
from ..findings import Finding, raise_findings
from ..source import Location, is_library_file

__all__ = [
    "Compilation",
    "CompileLog",
    "count_compilations",
    "find_recompilation",
    "assert_max_compilations",
]

CHECK = "recompilation"

_BACKEND_COMPILE_EVENT = "/jax/core/compile/backend_compile_duration"
# Loggers that echo compile messages while jax_log_compiles is on (names as of JAX 0.5-0.10).
_COMPILE_LOGGERS = (
    "jax._src.interpreters.pxla",
    "jax._src.interpreters.partial_eval",
    "jax._src.pjit",
    "jax._src.dispatch",
    "jax._src.compiler",
    "jax._src.cache_key",
    "jax._src.compilation_cache",
)
_COMPILE_NOISE = (
    "Compiling ",
    "TRACING CACHE MISS",
    "Finished ",
    "PERSISTENT COMPILATION CACHE",
    "Persistent compilation cache hit",
    "Writing ",  # "Writing jit_f to persistent compilation cache with key ..."
    "Not writing persistent cache",
)
_MISS_NAME = re.compile(r"never seen function:\s*\n\s*(?P<name>\S+) id=|^\s*for (?P<name2>\S+)(?: defined at|\s*$)", re.M)
_STDLIB = tuple(
    p for p in {sysconfig.get_paths().get("stdlib"), sysconfig.get_paths().get("platstdlib")} if p
)


@dataclass(frozen=True)
class Compilation:
    """One real compilation of a learner function."""

    name: str
    defined_at: Location | None
    called_at: Location | None
    signature: tuple[str, ...]
    arg_names: tuple[str, ...]
    reason: str

    @property
    def key(self) -> tuple[Any, ...]:
        """Groups the compilations of one function, even when it is re-created each time."""
        d = self.defined_at
        return (self.name, d.file, d.line) if d is not None else (self.name,)


@dataclass
class CompileLog:
    """What ``count_compilations`` saw: ``count``, ``names`` and ``reasons`` per compilation."""

    compilations: list[Compilation] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.compilations)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.compilations]

    @property
    def reasons(self) -> list[str]:
        """JAX's cache-miss explanation for each compilation ('' where JAX gave none)."""
        return [c.reason for c in self.compilations]

    def by_function(self) -> dict[tuple[Any, ...], list[Compilation]]:
        """The compilations grouped per learner function (by name and definition line)."""
        groups: dict[tuple[Any, ...], list[Compilation]] = {}
        for c in self.compilations:
            groups.setdefault(c.key, []).append(c)
        return groups


def _is_learner_file(filename: str) -> bool:
    if is_library_file(filename) or filename.startswith("<frozen"):
        return False
    return not (_STDLIB and filename.startswith(_STDLIB))


def _learner_call_site() -> Location | None:
    """The innermost learner line on the current Python stack."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if _is_learner_file(code.co_filename):
            return _make_location(code.co_filename, frame.f_lineno, code.co_name)
        frame = frame.f_back
    return None


def _make_location(filename: str, line: int, function: str) -> Location:
    return Location(filename, line, function, linecache.getline(filename, line).strip())


def _lowered_jaxpr_on_stack() -> ClosedJaxpr | None:
    """The program JAX is lowering right now (a local of its lowering frames)."""
    frame = sys._getframe(1)
    while frame is not None:
        for name in ("closed_jaxpr", "jaxpr"):
            value = frame.f_locals.get(name)
            if isinstance(value, ClosedJaxpr):
                return value
        frame = frame.f_back
    return None


def _eager_primitive_on_stack() -> bool:
    """True while JAX compiles a single primitive applied outside ``jit`` (``x + 1``)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "apply_primitive" and is_library_file(frame.f_code.co_filename):
            return True
        frame = frame.f_back
    return False


@dataclass
class _Pending:
    name: str
    learner: bool
    defined_at: Location | None
    called_at: Location | None
    signature: tuple[str, ...]
    arg_names: tuple[str, ...]


def _program_on_stack(name: str) -> _Pending:
    """What JAX is lowering or compiling right now, read from its frames: the learner's function
    (name, definition, argument types) or JAX's own (an eager operation, a jitted library helper)."""
    name = name[4:-1] if name.startswith("jit(") and name.endswith(")") else name
    jaxpr = _lowered_jaxpr_on_stack()
    defined_at, signature, arg_names, learner = None, (), (), True
    if jaxpr is not None:
        debug = getattr(jaxpr.jaxpr, "debug_info", None)
        source = parse_function_source(getattr(debug, "func_src_info", None))
        if source is not None:
            name = source.name
            defined_at = _make_location(source.file, source.line, name)
            learner = _is_learner_file(source.file)
        signature = tuple(a.str_short() for a in jaxpr.in_avals)
        arg_names = tuple(getattr(debug, "arg_names", None) or ())
    if _eager_primitive_on_stack():
        learner = False
    return _Pending(name, learner, defined_at, _learner_call_site(), signature, arg_names)


class _Recorder:
    """Collects lowering records, cache-miss explanations and backend-compile events."""

    def __init__(self) -> None:
        self.log = CompileLog()
        self.pending: list[_Pending] = []
        self.misses: list[tuple[str, str]] = []  # (function name, explanation)

    # -- logging -------------------------------------------------------------
    def on_record(self, record: logging.LogRecord) -> bool:
        """Record compile messages; return True when the record is compile noise to hide."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to judge
            return False
        if message.startswith("TRACING CACHE MISS"):
            self._on_cache_miss(message)
        elif message.startswith("Compiling "):
            self._on_lowering(message)
        return message.startswith(_COMPILE_NOISE)

    def _on_cache_miss(self, message: str) -> None:
        match = _MISS_NAME.search(message)
        name = (match.group("name") or match.group("name2")) if match else ""
        lines = message.splitlines()[1:]
        self.misses.append((name, "\n".join(line.strip() for line in lines)))

    def _on_lowering(self, message: str) -> None:
        name = message[len("Compiling "):].split(" with global shapes", 1)[0]
        self.pending.append(_program_on_stack(name))

    # -- monitoring ----------------------------------------------------------
    def on_event(self, event: str, duration: float, **kwargs: Any) -> None:
        if event != _BACKEND_COMPILE_EVENT:
            return
        # Without a lowering record, the program was lowered earlier and is compiled now: lowered
        # before `run`, or compiled again for another device (an eager `x.sum()` on each shard).
        p = self.pending.pop() if self.pending else _program_on_stack(kwargs.get("fun_name") or "<unknown function>")
        if not p.learner:
            return
        reason = ""
        defined = f"defined at {p.defined_at.file}:{p.defined_at.line}" if p.defined_at else None
        for i in range(len(self.misses) - 1, -1, -1):
            name, text = self.misses[i]
            # JAX < 0.6 logs the __qualname__ (or the repr of a functools.partial).
            if name.rsplit(".", 1)[-1] == p.name or (defined and defined in text):
                reason = text
                break
        self.misses.clear()
        self.log.compilations.append(
            Compilation(p.name, p.defined_at, p.called_at, p.signature, p.arg_names, reason)
        )


class _CaptureFilter(logging.Filter):
    def __init__(self, recorder: _Recorder):
        super().__init__()
        self.recorder = recorder

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.recorder.on_record(record)


def _unregister(listener: Callable[..., None]) -> None:
    public = getattr(monitoring, "unregister_event_duration_listener", None)
    if public is not None:
        public(listener)
        return
    from jax._src import monitoring as _monitoring  # JAX < 0.6

    _monitoring._unregister_event_duration_listener_by_callback(listener)


def count_compilations(run: Callable[[], Any]) -> CompileLog:
    """Run ``run()`` and return the real XLA compilations of learner functions it caused.

    Compilations served from JAX's in-memory caches do not count (a function compiled
    before ``run`` and called again with the same shapes counts 0). A program served from
    JAX's persistent (on-disk) cache counts like a compiled one: JAX reports its backend
    compile event on a cache hit too (JAX 0.5.3 to 0.12), so a warm cache changes no verdict. Config, log
    handlers and listeners are restored afterwards, also when ``run`` raises.
    """
    recorder = _Recorder()
    capture = _CaptureFilter(recorder)
    loggers = [logging.getLogger(name) for name in _COMPILE_LOGGERS]
    old_log_compiles = jax.config.jax_log_compiles
    old_explain = jax.config.jax_explain_cache_misses
    for logger in loggers:
        logger.addFilter(capture)
    monitoring.register_event_duration_secs_listener(recorder.on_event)
    try:
        jax.config.update("jax_log_compiles", True)
        jax.config.update("jax_explain_cache_misses", True)
        run()
    finally:
        jax.config.update("jax_log_compiles", old_log_compiles)
        jax.config.update("jax_explain_cache_misses", old_explain)
        _unregister(recorder.on_event)
        for logger in loggers:
            logger.removeFilter(capture)
    return recorder.log


# -- explaining recompilations -------------------------------------------------


def _signature_change(before: Compilation, after: Compilation) -> str | None:
    if not before.signature or not after.signature or before.signature == after.signature:
        return None
    names = after.arg_names if len(after.arg_names) == len(after.signature) else ()
    if len(before.signature) != len(after.signature):
        return (
            f"the number of array inputs changed ({len(before.signature)} -> {len(after.signature)})"
        )
    diffs = [
        f"{names[i] if names else f'input {i}'}: {old} -> {new}"
        for i, (old, new) in enumerate(zip(before.signature, after.signature))
        if old != new
    ]
    return "input shapes/dtypes changed (" + "; ".join(diffs[:3]) + ")"


def _cause(before: Compilation, after: Compilation) -> str:
    """One of 'new-function', 'dtype', 'shape', 'static', classified from JAX's data."""
    if "never seen function" in after.reason:
        return "new-function"
    change = _signature_change(before, after)
    if change is not None:
        shapes_before = [re.sub(r"^[a-z0-9]+", "", s) for s in before.signature]
        shapes_after = [re.sub(r"^[a-z0-9]+", "", s) for s in after.signature]
        return "dtype" if shapes_before == shapes_after else "shape"
    return "static"


_FIXES = {
    "new-function": (
        "a new function object was compiled each time: `jax.jit(...)` (or the function or "
        "lambda it wraps) is created again inside a loop or another function, so JAX's cache "
        "never sees the same function twice",
        "define the jitted function once, outside the loop (e.g. `step = jax.jit(step_fn)` at "
        "top level, or the `@jax.jit` decorator), and call that same object every time",
    ),
    "shape": (
        "the input shapes changed between calls, and every new shape is a new program",
        "keep shapes fixed: pad inputs to a fixed size (or a few bucket sizes) and mask the "
        "padding, e.g. drop the last incomplete batch or pad it",
    ),
    "dtype": (
        "the input dtypes changed between calls (for instance a Python int one call and a "
        "float the next), and every new dtype is a new program",
        "pass values of one dtype every call, e.g. `jnp.asarray(x, jnp.float32)`, or always a "
        "float literal (`1.0`, not `1`)",
    ),
    "static": (
        "the inputs had the same shapes and dtypes, so a static argument (in static_argnums / "
        "static_argnames) or a Python value the function closes over changed; each new value "
        "is baked into a new program",
        "pass values that change from call to call (a learning rate, a step count) as traced "
        "arguments, e.g. `step(params, jnp.asarray(lr))`, and keep static only what picks "
        "among a few fixed choices",
    ),
}


def _first_line(reason: str) -> str:
    text = " ".join(reason.split())
    return text[:240] + ("..." if len(text) > 240 else "")


def find_recompilation(run: Callable[[], Any], *, max_compilations: int = 1) -> list[Finding]:
    """Findings for every learner function ``run()`` compiled more than ``max_compilations`` times."""
    log = count_compilations(run)
    findings = []
    for comps in log.by_function().values():
        if len(comps) <= max_compilations:
            continue
        causes = Counter(_cause(a, b) for a, b in zip(comps, comps[1:]))
        cause = causes.most_common(1)[0][0]
        why, fix = _FIXES[cause]
        last = comps[-1]
        detail = ""
        if cause in ("shape", "dtype"):
            detail = next(
                (d for d in (_signature_change(a, b) for a, b in zip(comps, comps[1:])) if d), ""
            )
        jax_says = next((c.reason for c in comps[1:] if c.reason and "unavailable" not in c.reason), "")
        defined = f" (defined at {last.defined_at.place})" if last.defined_at else ""
        what = (
            f"`{last.name}`{defined} was compiled {len(comps)} times; at most "
            f"{max_compilations} expected."
        )
        if detail:
            what += f" Between calls: {detail}."
        if jax_says:
            what += f" JAX says: {_first_line(jax_says)}"
        findings.append(
            Finding(
                check=CHECK,
                what=what,
                why=why + "; compiling takes far longer than running the step, so the loop "
                "spends its time in the compiler",
                fix=fix,
                where=last.called_at or last.defined_at,
            )
        )
    return findings


def assert_max_compilations(run: Callable[[], Any], *, max_compilations: int = 1) -> None:
    """Raise ``AntiPatternError`` if ``run()`` compiles a learner function more than ``max_compilations`` times."""
    raise_findings(find_recompilation(run, max_compilations=max_compilations))

