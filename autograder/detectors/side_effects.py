"""Find host side effects that run while JAX traces a learner's function.

Python code inside a traced function runs once, while JAX traces it, with tracers in
place of values; it does not run on later calls. A ``print`` there shows a tracer once
and then never again, a ``logging`` call logs once, and a traced value stored in a global
list or dict leaks out of the trace. ``jax.debug.print`` and ``jax.debug.callback`` are
staged into the program and run on every call: they are the right tool and pass here.

Decided on purpose:

- Output that shows only static values from the function's own body (``print(x.shape)``,
  ``print("compiling")``) is not reported: it prints once per compilation and says
  something true. Output that shows a traced value, or that sits in a ``lax.cond`` branch or a
  loop body (it runs once whichever branch runs, however many steps), is reported.
- Every ``logging`` call is reported, whatever the logger's level: a log is meant as a record
  of every call, and a call below today's level logs once per trace when the level changes.
- A traced value stored where it outlives the trace (a global, a closure, ``self``, an object
  argument) is reported.
"""
from __future__ import annotations

import builtins
import linecache
import re
import logging
import os
import sys
import types
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import jax
import numpy as np

from .._compat import ClosedJaxpr, fresh_trace_context, jitted_function_source
from ..findings import Finding, raise_findings
from ..source import Location, is_library_code, is_library_file, location_of
from ..walk import is_learner_jit, iter_eqns

__all__ = ["find_trace_side_effects", "assert_no_trace_side_effects"]

CHECK = "side-effect"


@dataclass(frozen=True)
class _Effect:
    kind: str  # "print", "stream", "logging"
    text: str
    where: Location


def _location(frame: types.FrameType) -> Location:
    code = frame.f_code
    return Location(
        code.co_filename, frame.f_lineno, code.co_name,
        linecache.getline(code.co_filename, frame.f_lineno).strip(),
    )


def _learner_frame(depth: int) -> types.FrameType | None:
    """The caller ``depth`` frames up, if it is learner code (not JAX, NumPy, Python, us)."""
    frame = sys._getframe(depth + 1)
    name = frame.f_code.co_filename
    if is_library_code(frame.f_code) or name.startswith(os.path.dirname(logging.__file__)):
        return None
    return frame


class _Stream:
    """Stands in for sys.stdout/sys.stderr and records writes made by learner code."""

    def __init__(self, inner: Any, effects: list[_Effect], label: str):
        self._inner, self._effects, self._label = inner, effects, label

    def write(self, text: str) -> int:
        frame = _learner_frame(1)
        if frame is None:
            return self._inner.write(text)
        if _misleads((), text, frame):
            self._effects.append(_Effect("stream", f"{self._label}.write({text!r})", _location(frame)))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


_LOG_METHODS = ("debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log")


_TRACER_TEXT = re.compile(r"Trace[dr][<(]")
_CONTROL_FLOW = os.path.join(os.path.dirname(jax.__file__), "_src", "lax", "control_flow") + os.sep


def _misleads(values: tuple, text: str, frame: types.FrameType) -> bool:
    """Whether output written while tracing misleads: it shows a traced value (a placeholder, not a
    number), or it sits in a branch or loop body (it runs once, whichever branch runs, however many
    steps). Static output of the function's own body (``print(x.shape)``, a note) is what it says."""
    if _TRACER_TEXT.search(text) or any(next(_tracers_in(v, "", 2), None) for v in values):
        return True
    while frame is not None:
        if os.path.abspath(frame.f_code.co_filename).startswith(_CONTROL_FLOW):
            return True
        frame = frame.f_back
    return False


class _Recording:
    """Patches print, sys.stdout/stderr and every logging call for the duration of one trace.

    A logging call counts where it is written, whatever the logger's level: below the level it logs
    nothing today, and the same line logs once per trace when someone lowers the level.
    """

    def __init__(self) -> None:
        self.effects: list[_Effect] = []

    def _print(self, *values: Any, **kwargs: Any) -> None:
        frame = _learner_frame(1)
        if frame is None:
            return self._original_print(*values, **kwargs)
        sep = kwargs.get("sep")
        text = (" " if sep is None else sep).join(str(v) for v in values)
        if _misleads(values, text, frame):
            self.effects.append(_Effect("print", text, _location(frame)))
        return None

    def _logging_call(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        recording = self

        def call(*args: Any, **kwargs: Any) -> Any:
            frame = _learner_frame(1)
            if frame is None:
                return original(*args, **kwargs)
            values = args[1:] if args and isinstance(args[0], logging.Logger) else args
            text = " ".join(str(v) for v in values)
            recording.effects.append(_Effect("logging", f"{name}: {text}", _location(frame)))
            return None

        return call

    def __enter__(self) -> "_Recording":
        self._original_print = builtins.print
        self._patched = [(owner, name, getattr(owner, name))
                         for owner in (logging.Logger, logging) for name in _LOG_METHODS if hasattr(owner, name)]
        self._stdout, self._stderr = sys.stdout, sys.stderr
        builtins.print = self._print
        for owner, name, original in self._patched:
            setattr(owner, name, self._logging_call(name, original))
        sys.stdout = _Stream(self._stdout, self.effects, "sys.stdout")
        sys.stderr = _Stream(self._stderr, self.effects, "sys.stderr")
        return self

    def __exit__(self, *exc: Any) -> None:
        builtins.print = self._original_print
        for owner, name, original in self._patched:
            setattr(owner, name, original)
        sys.stdout, sys.stderr = self._stdout, self._stderr


# -- leaked tracers ---------------------------------------------------------------


def _globals_of(fn: Any) -> dict[str, Any]:
    for candidate in (fn, getattr(fn, "__wrapped__", None), getattr(fn, "func", None)):
        g = getattr(candidate, "__globals__", None)
        if isinstance(g, dict):
            return g
    return {}


def _closure_of(fn: Any) -> dict[str, Any]:
    target = getattr(fn, "__wrapped__", fn)
    code = getattr(target, "__code__", None)
    cells = getattr(target, "__closure__", None) or ()
    names = code.co_freevars if code is not None else ()
    found = {}
    for name, cell in zip(names, cells):
        try:
            found[name] = cell.cell_contents
        except ValueError:  # an empty cell
            continue
    return found


def _tracers_in(value: Any, path: str, depth: int = 3) -> Iterator[tuple[str, jax.core.Tracer]]:
    """Tracers reachable from ``value`` through lists, tuples, sets, dicts and object attributes."""
    if isinstance(value, jax.core.Tracer):
        yield path, value
        return
    if depth == 0 or isinstance(value, (str, bytes, int, float, complex, np.ndarray, jax.Array,
                                        types.ModuleType, type, types.FunctionType)):
        return
    if isinstance(value, dict):
        for k, v in list(value.items())[:1000]:
            yield from _tracers_in(v, f"{path}[{k!r}]", depth - 1)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value[:1000]):
            yield from _tracers_in(v, f"{path}[{i}]", depth - 1)
    elif isinstance(value, (set, frozenset)):
        for v in list(value)[:1000]:
            yield from _tracers_in(v, f"{path} (a set)", depth - 1)
    elif hasattr(value, "__dict__") and not isinstance(value, (types.MethodType, types.BuiltinFunctionType)):
        for k, v in list(vars(value).items())[:200]:
            yield from _tracers_in(v, f"{path}.{k}", depth - 1)


def _objects_of(fn: Any, args: tuple, kwargs: dict) -> dict[str, Any]:
    """The objects a call can store into: ``self`` of a method, a partial's arguments, object arguments."""
    found: dict[str, Any] = {}
    owner = getattr(fn, "__self__", None) or getattr(getattr(fn, "__wrapped__", None), "__self__", None)
    if owner is not None and not isinstance(owner, types.ModuleType):
        found["self"] = owner
    for i, value in enumerate((*getattr(fn, "args", ()), *args)):
        found[f"argument {i}"] = value
    found.update({k: v for k, v in {**getattr(fn, "keywords", {}), **kwargs}.items()})
    return {k: v for k, v in found.items() if not _is_array(v)}


def _reachable_tracers(fn: Any, args: tuple = (), kwargs: dict | None = None) -> dict[int, tuple[str, jax.core.Tracer]]:
    found: dict[int, tuple[str, jax.core.Tracer]] = {}
    for scope in (_globals_of(fn), _closure_of(fn), _objects_of(fn, args, kwargs or {})):
        for name, value in list(scope.items()):
            if name.startswith("__"):
                continue
            for path, tracer in _tracers_in(value, name):
                found.setdefault(id(tracer), (path, tracer))
    return found


def _storing_line(path: str, codes: list[types.CodeType]) -> Location | None:
    """The learner's line that stored a leaked value at ``path`` (``self.last = y``, ``HISTORY.append(y)``)."""
    last = re.search(r"\.(\w+)$", path)
    if last:
        pattern = re.compile(rf"\.{last.group(1)}\s*(=(?!=)|\+=)|setattr\(")
    else:
        root = re.match(r"\w+", path)
        if root is None:
            return None
        pattern = re.compile(rf"\b{root.group(0)}\s*(\[|\.(append|extend|insert|update|add|setdefault)\()")
    for code in codes:
        lines = linecache.getlines(code.co_filename)
        first = code.co_firstlineno
        for number in sorted({line for _, _, line in code.co_lines() if line}):
            text = lines[number - 1] if 0 < number <= len(lines) else ""
            if number >= first and pattern.search(text):
                return Location(code.co_filename, number, code.co_qualname if hasattr(code, "co_qualname")
                                else code.co_name, text.strip())
    return None


def _tracer_location(tracer: Any) -> Location | None:
    info = getattr(tracer, "_line_info", None)
    if info is None:
        return None
    return location_of(types.SimpleNamespace(source_info=info))  # type: ignore[arg-type]


# -- tracing ----------------------------------------------------------------------


def _is_array(leaf: Any) -> bool:
    return isinstance(leaf, (jax.Array, np.ndarray, np.generic, jax.ShapeDtypeStruct))


def _trace_arrays(fn: Callable[..., Any], args: tuple, kwargs: dict) -> ClosedJaxpr:
    """Trace ``fn`` with its array leaves traced and everything else passed as is."""
    leaves, tree = jax.tree_util.tree_flatten((args, kwargs))
    dynamic = [i for i, leaf in enumerate(leaves) if _is_array(leaf)]

    def traced(*arrays: Any) -> Any:
        full = list(leaves)
        for i, a in zip(dynamic, arrays):
            full[i] = a
        a, k = jax.tree_util.tree_unflatten(tree, full)
        return fn(*a, **k)

    arrays = [jax.ShapeDtypeStruct(np.shape(leaves[i]), leaves[i].dtype) for i in dynamic]
    return jax.make_jaxpr(traced)(*arrays)


def _cached_learner_jits(program: ClosedJaxpr, ran: list[types.CodeType]) -> bool:
    """True when ``program`` holds a jitted function of the learner's whose body did not run while
    tracing: JAX reused the program it traced earlier, so its prints were not seen."""
    bodies = {(code.co_filename, code.co_name) for code in ran}
    for site in iter_eqns(program):
        source = jitted_function_source(site.eqn) if is_learner_jit(site.eqn) else None
        if source is not None and (source.file, source.name) not in bodies:
            return True
    return False


def _trace_watched(fn: Callable[..., Any], args: tuple, kwargs: dict, ran: list[types.CodeType]) -> None:
    """Trace ``fn`` once; trace it again as if for the first time only when JAX reused a program it had
    traced for one of the learner's jitted helpers (retracing everything costs a lot more)."""
    try:
        program = _trace_arrays(fn, args, kwargs)
        if _cached_learner_jits(program, ran):
            with fresh_trace_context():  # helpers JAX already traced run their Python bodies again
                _trace_arrays(fn, args, kwargs)
    except Exception:  # not traceable: that is find_untraceable's job
        pass


_WHY = {
    "print": (
        "Python `print` runs only while JAX traces the function: it prints once, shows "
        "tracers (shapes and dtypes) instead of values, and prints nothing on later calls"
    ),
    "stream": (
        "writes to sys.stdout/sys.stderr run only while JAX traces the function: once, with "
        "tracers instead of values, and never on later calls"
    ),
    "logging": (
        "a logging call runs only while JAX traces the function: it logs once, with tracers "
        "instead of values, and never on later calls"
    ),
}
_FIX_PRINT = (
    'use `jax.debug.print("x = {}", x)`, which is staged into the program and prints the '
    "real values on every call (or `jax.debug.callback(fn, x)` for logging and other host code)"
)


def find_trace_side_effects(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Finding]:
    """Findings for host side effects ``fn(*args, **kwargs)`` has while JAX traces it.

    Array arguments are traced (nothing is computed); other arguments (Python numbers,
    strings, flags) are passed as they are. Errors that make the function untraceable
    are left to ``find_untraceable``: the effects seen before the error are reported.
    """
    before = _reachable_tracers(fn, args, kwargs)
    codes: list[types.CodeType] = []  # the learner's functions that ran, to find where a value was stored
    judged: set[types.CodeType] = set()

    def on_call(frame: types.FrameType, event: str, arg: Any) -> None:
        code = frame.f_code
        if code not in judged:
            judged.add(code)
            if not is_library_code(code):
                codes.append(code)
        return None  # calls only: no line-by-line tracing

    previous = sys.gettrace()
    with _Recording() as recording:
        sys.settrace(on_call)
        try:
            _trace_watched(fn, args, kwargs, codes)
        finally:
            sys.settrace(previous)
    findings: list[Finding] = []
    seen: set[tuple[str, str, int]] = set()
    for effect in recording.effects:
        key = (effect.kind, effect.where.file, effect.where.line)
        if key in seen:
            continue
        seen.add(key)
        shown = effect.text if len(effect.text) <= 120 else effect.text[:117] + "..."
        label = {"print": "print", "stream": "a write to the console", "logging": "a logging call"}[effect.kind]
        findings.append(Finding(
            check=CHECK,
            what=f"{label[0].upper() + label[1:]} runs while JAX traces `{getattr(fn, '__name__', 'your function')}`; "
                 f"it produced: {shown}",
            why=_WHY[effect.kind],
            fix=_FIX_PRINT,
            where=effect.where,
        ))
    for key, (path, tracer) in _reachable_tracers(fn, args, kwargs).items():
        if key in before:
            continue
        findings.append(Finding(
            check=CHECK,
            what=f"A traced value leaked out of the function: `{path}` now holds a traced "
                 f"{tracer.aval.str_short()} value after tracing.",
            why="values inside a traced function are placeholders that only exist during "
                "tracing; stored in a global or outer list/dict they hold no number, and using "
                "them later raises UnexpectedTracerError",
            fix="return the value from the function instead (`return out, aux`) and store it "
                "outside after the call; to watch values while it runs, use jax.debug.print",
            where=_storing_line(path, codes) or _tracer_location(tracer),
        ))
    return findings


def assert_no_trace_side_effects(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Raise ``AntiPatternError`` if ``fn`` prints, logs or leaks tracers while JAX traces it."""
    raise_findings(find_trace_side_effects(fn, *args, **kwargs))
