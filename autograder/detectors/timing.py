"""Timing done right: a warm-up call before the clock starts, every timed result blocked before it stops.

The learner's timer is run with an instrumented ``f`` and instrumented clocks. Each call of ``f``,
each wait on one of its results, and each clock read is logged in order; the log is then checked
against the two rules of benchmarking asynchronous JAX code. Nothing is judged by elapsed time.
"""
from __future__ import annotations

import contextlib
import sys
import time
import timeit
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from ..findings import Finding, raise_findings
from ..source import Location, is_library_file

__all__ = [
    "TimingEvent",
    "TimingLog",
    "record_timing",
    "findings_from_log",
    "find_timing_mistakes",
    "assert_times_correctly",
]

CHECK = "timing"
# The clocks a learner may read; each is swapped for a recording twin while the timer runs.
_CLOCK_NAMES = ("perf_counter", "perf_counter_ns", "time", "time_ns", "monotonic", "monotonic_ns", "process_time")


@dataclass(frozen=True)
class TimingEvent:
    """One thing the timer did: ``"clock"`` (read a clock), ``"call"`` (called f) or ``"block"``
    (waited for the result of call number ``call``)."""

    kind: str
    call: int | None
    where: Location | None


@dataclass
class TimingLog:
    """Everything the timer did, in order, and what it returned."""

    events: list[TimingEvent] = field(default_factory=list)
    returned: Any = None

    def _index(self, kind: str) -> list[int]:
        return [i for i, e in enumerate(self.events) if e.kind == kind]

    @property
    def clock_reads(self) -> int:
        return len(self._index("clock"))

    @property
    def calls(self) -> int:
        return len(self._index("call"))

    @property
    def warmup_calls(self) -> int:
        """Calls of f made before the clock was first read."""
        clocks = self._index("clock")
        first = clocks[0] if clocks else len(self.events)
        return sum(1 for i in self._index("call") if i < first)

    @property
    def timed_calls(self) -> int:
        """Calls of f made while the clock was running (a clock read before and after them)."""
        clocks = self._index("clock")
        if len(clocks) < 2:
            return 0
        return sum(1 for i in self._index("call") if clocks[0] < i < clocks[-1])


def _user_location() -> Location | None:
    """The innermost line of learner code on the current stack."""
    for frame in reversed(traceback.extract_stack()[:-1]):
        if not is_library_file(frame.filename) and not frame.filename.startswith("<timeit"):
            return Location(frame.filename, frame.lineno or 0, frame.name, (frame.line or "").strip())
    return None


class _Watched:
    """Stands in for the array that ``f`` returned and logs every way of waiting for it."""

    def __init__(self, value: Any, call: int, log: TimingLog):
        self._value, self._call, self._log = value, call, log

    def _waited(self) -> Any:
        self._log.events.append(TimingEvent("block", self._call, _user_location()))
        import jax

        return jax.block_until_ready(self._value)

    def block_until_ready(self) -> Any:
        self._waited()
        return self

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        import numpy as np

        out = np.asarray(self._waited())
        return out if dtype is None else out.astype(dtype)

    def item(self, *args: Any) -> Any:
        return self._waited().item(*args)

    def tolist(self) -> Any:
        return self._waited().tolist()

    def __float__(self) -> float:
        return float(self._waited())

    def __int__(self) -> int:
        return int(self._waited())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._value, name)

    def __repr__(self) -> str:
        return repr(self._waited())


def _recording_clock(real: Callable[[], Any], log: TimingLog) -> Callable[[], Any]:
    def clock() -> Any:
        caller = sys._getframe(1).f_code.co_filename
        if not is_library_file(caller):  # JAX reads clocks too, for its own logs
            log.events.append(TimingEvent("clock", None, _user_location()))
        return real()

    clock.__wrapped__ = real  # type: ignore[attr-defined]
    return clock


@contextlib.contextmanager
def _clocks_recorded(timer: Callable[..., Any], log: TimingLog) -> Iterator[None]:
    """Swap every clock the timer can reach (``time.*``, names it imported, timeit's default)."""
    real = {name: getattr(time, name) for name in _CLOCK_NAMES}
    twins = {name: _recording_clock(fn, log) for name, fn in real.items()}
    by_id = {id(fn): twins[name] for name, fn in real.items()}
    scope = getattr(timer, "__globals__", {})
    imported = {k: v for k, v in scope.items() if id(v) in by_id and callable(v)}
    timeit_fns = (timeit.Timer.__init__, timeit.timeit, timeit.repeat)
    timeit_defaults = [fn.__defaults__ for fn in timeit_fns]
    saved_default_timer = timeit.default_timer
    try:
        for name, twin in twins.items():
            setattr(time, name, twin)
        for name, fn in imported.items():
            scope[name] = by_id[id(fn)]
        for fn, defaults in zip(timeit_fns, timeit_defaults):
            if defaults is not None:
                fn.__defaults__ = tuple(by_id.get(id(d), d) for d in defaults)
        timeit.default_timer = by_id.get(id(saved_default_timer), saved_default_timer)
        yield
    finally:
        for name, fn in real.items():
            setattr(time, name, fn)
        for name, fn in imported.items():
            scope[name] = fn
        for fn, defaults in zip(timeit_fns, timeit_defaults):
            fn.__defaults__ = defaults
        timeit.default_timer = saved_default_timer


def record_timing(timer: Callable[..., Any], f: Callable[..., Any], *args: Any, **kwargs: Any) -> TimingLog:
    """Run ``timer(f, *args, **kwargs)`` with an instrumented ``f`` and clocks; return the log.

    ``f`` should be a jitted function returning an array (or a pytree of arrays). The timer sees
    a stand-in for each result that logs when it is waited for (``.block_until_ready()``,
    ``jax.block_until_ready``, ``np.asarray``, ``.item()``, ``float``, ``jax.device_get``).
    """
    log = TimingLog()

    def watched_f(*a: Any, **k: Any) -> _Watched:
        call = log.calls
        log.events.append(TimingEvent("call", call, _user_location()))
        return _Watched(f(*a, **k), call, log)

    with _clocks_recorded(timer, log):
        log.returned = timer(watched_f, *args, **kwargs)
    return log


def _blocked_between(log: TimingLog, call: int, start: int, stop: int) -> bool:
    return any(e.kind == "block" and e.call == call for e in log.events[start:stop])


def find_timing_mistakes(timer: Callable[..., Any], f: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Finding]:
    """Run ``timer(f, *args, **kwargs)`` and report each way its timing would lie.

    The rules: (1) f is called once (the warm-up, which compiles) and its result waited for
    before the clock first starts; (2) every call made while the clock runs has its result
    waited for before the clock is read again.
    """
    log = record_timing(timer, f, *args, **kwargs)
    return findings_from_log(log)


def findings_from_log(log: TimingLog) -> list[Finding]:
    """The timing mistakes visible in an already recorded log."""
    events = log.events
    clocks = [i for i, e in enumerate(events) if e.kind == "clock"]
    calls = [i for i, e in enumerate(events) if e.kind == "call"]
    if len(clocks) < 2 or not any(clocks[0] < i < clocks[-1] for i in calls):
        return [
            Finding(
                CHECK,
                "f was never called while the clock was running.",
                "A timer must read the clock (time.perf_counter()) before and after the calls it measures.",
                "start = time.perf_counter(); run f and block on its result; elapsed = time.perf_counter() - start.",
                events[clocks[0]].where if clocks else None,
            )
        ]
    findings: list[Finding] = []
    warmups = [i for i in calls if i < clocks[0]]
    if not warmups:
        findings.append(
            Finding(
                CHECK,
                "The clock started before any warm-up call: the first timed call also traces and compiles f.",
                "jit compiles on the first call with new shapes and dtypes, which can be 100-1000x slower than a run.",
                "Call f(x) once and block on it (f(x).block_until_ready()) before you start the clock.",
                events[clocks[0]].where,
            )
        )
    elif not _blocked_between(log, events[warmups[-1]].call, warmups[-1], clocks[0]):
        findings.append(
            Finding(
                CHECK,
                "The warm-up call's result was not waited for before the clock started.",
                "JAX dispatches asynchronously: the warm-up may still be running, and its time leaks into the measurement.",
                "Block on the warm-up: f(x).block_until_ready(), then start the clock.",
                events[warmups[-1]].where,
            )
        )
    unblocked = []
    for i in calls:
        if not clocks[0] < i < clocks[-1]:
            continue
        stop = next(c for c in clocks if c > i)
        if not _blocked_between(log, events[i].call, i, stop):
            unblocked.append(i)
    if unblocked:
        first = events[unblocked[0]]
        findings.append(
            Finding(
                CHECK,
                f"{len(unblocked)} timed call(s) of f were not waited for before the clock was read again.",
                "JAX returns before the work is done (asynchronous dispatch): you measured how long it takes to "
                "queue the work, not to do it.",
                "Block on each timed result before reading the clock: f(x).block_until_ready() "
                "(or jax.block_until_ready(results)).",
                first.where,
            )
        )
    return findings


def assert_times_correctly(timer: Callable[..., Any], f: Callable[..., Any], *args: Any, **kwargs: Any) -> TimingLog:
    """Raise ``[anti-pattern: timing]`` unless ``timer(f, *args, **kwargs)`` warms up and blocks
    correctly; return the recorded log (calls, clock reads, the timer's return value)."""
    log = record_timing(timer, f, *args, **kwargs)
    raise_findings(findings_from_log(log))
    return log
