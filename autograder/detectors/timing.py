"""Timing done right: a warm-up call before the clock starts, every timed result waited for before it stops.

The learner's timer is run on a watched ``f``; each call of ``f``, each wait on one of its results and
each clock read is logged in order, then the log is checked against the two rules of benchmarking
asynchronous JAX code. Nothing is judged by elapsed time, and nothing the timer touches is replaced:

- ``f`` returns its real result (a pytree of arrays), so a timer may unpack, index, add or
  ``float()`` it; waits are seen through ``host_reads`` (``block_until_ready``, ``float``,
  ``np.asarray``, ``jax.device_get``...);
- clock reads are seen with a profiler hook of the timer's own thread (``sys.setprofile`` is
  per thread): any clock (``time.perf_counter``, ``time.monotonic``, ``time.time``, their ``_ns``
  forms, ``datetime.now()``, ``timeit``) read by the learner's code or by ``timeit`` on its behalf.
  Clock reads of other threads (the kernel's output thread) and of libraries never count.
"""
from __future__ import annotations

import contextlib
import datetime
import numbers
import os
import sys
import time
import timeit
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, Callable, Iterator

import jax

from ..findings import Finding, raise_findings
from ..source import Location, frame_location, is_library_file, learner_frame
from .host_reads import HostRead, host_reads_watched

__all__ = [
    "TimingEvent",
    "TimingLog",
    "record_timing",
    "findings_from_log",
    "find_timing_mistakes",
    "assert_times_correctly",
]

CHECK = "timing"
_CLOCKS = {id(getattr(time, name)) for name in (
    "perf_counter", "perf_counter_ns", "time", "time_ns", "monotonic", "monotonic_ns", "process_time",
    "process_time_ns",
)}
_DATETIME_CLOCKS = {"now", "utcnow", "today"}
_TIMEIT_FILE = os.path.abspath(timeit.__file__)
_ATTEMPTS = 5  # runs of the timer at most, while its returned number is unclear (see _recorded)


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
    # For the k-th clock read: the checker's time just before and just after it (the read lies between,
    # whatever other threads do in the meantime).
    clock_windows: list[list[float | None]] = field(default_factory=list)

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


def _is_clock(fn: Any) -> bool:
    if id(fn) in _CLOCKS:
        return True
    owner = getattr(fn, "__self__", None)
    return isinstance(owner, type) and issubclass(owner, datetime.date) and fn.__name__ in _DATETIME_CLOCKS


def _timer_code(frame: FrameType) -> bool:
    """The learner's own code, or timeit running the learner's statement."""
    name = frame.f_code.co_filename
    return name == "<timeit-src>" or os.path.abspath(name) == _TIMEIT_FILE or not is_library_file(name)


@contextlib.contextmanager
def _clock_reads_recorded(log: TimingLog) -> Iterator[None]:
    """Log the clock reads of the timer's code, in this thread only."""
    previous = sys.getprofile()

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        # The window around a clock read is kept as tight as possible: the checker's clock is read last
        # before the learner's clock runs and first after it returns; all other work lies outside.
        if event == "c_return" and log.clock_windows and log.clock_windows[-1][1] is None:
            if _is_clock(arg) and _timer_code(frame):
                log.clock_windows[-1][1] = time.perf_counter()
        if previous is not None:  # a profiler already running in this thread keeps running
            previous(frame, event, arg)
        if event == "c_call" and _is_clock(arg) and _timer_code(frame):
            where = learner_frame(frame)
            log.events.append(TimingEvent("clock", None, frame_location(where) if where else None))
            log.clock_windows.append([time.perf_counter(), None])

    sys.setprofile(profile)
    try:
        yield
    finally:
        sys.setprofile(previous)


def _user_location() -> Location | None:
    frame = learner_frame(sys._getframe(1))
    return frame_location(frame) if frame is not None else None


def record_timing(timer: Callable[..., Any], f: Callable[..., Any], *args: Any, **kwargs: Any) -> TimingLog:
    """Run ``timer(f, *args, **kwargs)`` with a watched ``f``; return the log of what it did.

    ``f`` should be a jitted function returning an array or a pytree of arrays; the timer gets
    its real results. A wait on one of them (``.block_until_ready()``, ``jax.block_until_ready``,
    ``np.asarray``, ``.item()``, ``float``, ``jax.device_get``) waits for its call; a wait on an
    array computed from results (a running total) waits for every call before it.
    """
    log = TimingLog()
    owner: dict[int, int] = {}  # id of a result leaf -> the call that returned it
    needs: dict[int, set[int]] = {}  # call -> the earlier calls whose results it was given
    kept: list[Any] = []  # results and arguments kept alive, so that the ids above stay theirs
    inputs = {id(leaf) for leaf in jax.tree_util.tree_leaves((args, kwargs))}

    def watched_f(*a: Any, **k: Any) -> Any:
        call = log.calls
        log.events.append(TimingEvent("call", call, _user_location()))
        given = jax.tree_util.tree_leaves((a, k))
        needs[call] = {c for leaf in given if id(leaf) in owner for c in needs[owner[id(leaf)]] | {owner[id(leaf)]}}
        inputs.update(id(leaf) for leaf in given if id(leaf) not in owner)
        out = f(*a, **k)
        kept.append((out, given))
        for leaf in jax.tree_util.tree_leaves(out):
            owner[id(leaf)] = call
        return out

    def waited(read: HostRead) -> None:
        calls: set[int] = set()
        for array in read.arrays:
            if id(array) in owner:  # a result: its call, and the calls it was computed from
                calls |= needs[owner[id(array)]] | {owner[id(array)]}
            elif id(array) not in inputs:  # computed from results (a running total): it waits for all
                calls.update(range(log.calls))
        for call in sorted(calls):
            log.events.append(TimingEvent("block", call, read.where))

    watched_f.__name__ = getattr(f, "__name__", "f")
    with host_reads_watched(waited), _clock_reads_recorded(log):
        log.returned = timer(watched_f, *args, **kwargs)
    return log


def find_timing_mistakes(
    timer: Callable[..., Any], f: Callable[..., Any], *args: Any, returns: str | None = "mean", **kwargs: Any
) -> list[Finding]:
    """Run ``timer(f, *args, **kwargs)`` and report each way its timing would lie.

    The rules: (1) f is called once (the warm-up, which compiles) and its result waited for
    before the clock first starts; (2) every call made while the clock runs has its result
    waited for before the clock is read again; (3) with ``returns="mean"`` a timer returning a
    number returns the time of one call, not the total of all timed calls (``returns=None``
    skips this rule).
    """
    return findings_from_log(_recorded(timer, f, args, kwargs, returns), returns=returns)


def _blocked_between(log: TimingLog, call: int, start: int, stop: int) -> bool:
    return any(e.kind == "block" and e.call == call for e in log.events[start:stop])


def _not_timed(events: list[TimingEvent], clocks: list[int]) -> Finding:
    return Finding(
        CHECK,
        "f was never called while the clock was running.",
        "a timer must read the clock before and after the calls it measures.",
        "start = time.perf_counter(); run f and block on its result; elapsed = time.perf_counter() - start.",
        events[clocks[0]].where if clocks else None,
    )


def _warmup_finding(log: TimingLog, clocks: list[int], calls: list[int]) -> Finding | None:
    events = log.events
    warmups = [i for i in calls if i < clocks[0]]
    if not warmups:
        return Finding(
            CHECK,
            "The clock started before any warm-up call: the first timed call also traces and compiles f.",
            "jit compiles on the first call with new shapes and dtypes, which can be 100-1000x slower than a run.",
            "call f(x) once and block on it (f(x).block_until_ready()) before you start the clock.",
            events[clocks[0]].where,
        )
    if not _blocked_between(log, events[warmups[-1]].call, warmups[-1], clocks[0]):
        return Finding(
            CHECK,
            "The warm-up call's result was not waited for before the clock started.",
            "JAX dispatches asynchronously: the warm-up may still be running, and its time leaks into the measurement.",
            "block on the warm-up: f(x).block_until_ready(), then start the clock.",
            events[warmups[-1]].where,
        )
    return None


def _unblocked_finding(log: TimingLog, clocks: list[int], calls: list[int]) -> Finding | None:
    events = log.events
    unblocked = []
    for i in calls:
        if not clocks[0] < i < clocks[-1]:
            continue
        stop = next(c for c in clocks if c > i)
        if not _blocked_between(log, events[i].call, i, stop):
            unblocked.append(i)
    if not unblocked:
        return None
    return Finding(
        CHECK,
        f"{len(unblocked)} timed call(s) of f were not waited for before the clock was read again.",
        "JAX returns before the work is done (asynchronous dispatch): you measured how long it takes to "
        "queue the work, not to do it.",
        "block on each timed result before reading the clock: f(x).block_until_ready() "
        "(or jax.block_until_ready(results)).",
        events[unblocked[0]].where,
    )


def _total_or_mean(log: TimingLog, clocks: list[int], calls: list[int]) -> tuple[str | None, int]:
    """Whether the timer's returned number can only be the total of its timed calls (``"total"``),
    can only be one call's time (``"mean"``), could be either (``"unclear"``: a clock read was slowed
    down so much that the two ranges overlap), or is neither (``None``); and how many calls were timed.

    Each clock read lies inside its window, so the summed timed intervals lie between ``shortest``
    and ``longest`` exactly; the verdict only depends on how wide the windows are, never on how fast
    the machine is."""
    value = log.returned
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
        return None, 0
    windows = log.clock_windows
    if len(windows) != len(clocks) or any(None in w for w in windows):
        return None, 0
    timed, shortest, longest = 0, 0.0, 0.0
    for k, (a, b) in enumerate(zip(clocks, clocks[1:])):
        inside = sum(1 for i in calls if a < i < b)
        if inside:
            timed += inside
            shortest += max(windows[k + 1][0] - windows[k][1], 0.0)
            longest += windows[k + 1][1] - windows[k][0]
    if timed < 2 or longest <= 0:
        return None, timed

    def fits(low: float, high: float) -> bool:  # the value lies in [low, high] in some unit (s, ms, us, ns)
        return any(low * unit / 1.5 <= float(value) <= high * unit * 1.5 for unit in (1.0, 1e3, 1e6, 1e9))

    total, mean = fits(shortest, longest), fits(shortest / timed, longest / timed)
    if total and mean:
        return "unclear", timed
    return ("total" if total else "mean" if mean else None), timed


def _total_finding(log: TimingLog, clocks: list[int], calls: list[int]) -> Finding | None:
    """A finding when the timer returns the summed time of its timed calls instead of one call's."""
    kind, timed = _total_or_mean(log, clocks, calls)
    if kind != "total":
        return None  # only a value that can only be the total is reported
    return Finding(
        CHECK,
        f"Your timer returns the total time of its {timed} timed calls, not the time of one call.",
        "the exercise asks for the mean time per call; the total grows with the number of repeats.",
        f"divide the elapsed time by the number of timed calls ({timed} here): (stop - start) / repeats.",
        log.events[clocks[-1]].where,
    )


def _unclear(log: TimingLog) -> bool:
    """The returned number could be the total or one call's time: a clock read was slowed down (the
    machine is busy) as long as a whole timed call."""
    return _total_or_mean(log, log._index("clock"), log._index("call"))[0] == "unclear"


def _recorded(
    timer: Callable[..., Any], f: Callable[..., Any], args: tuple, kwargs: dict, returns: str | None
) -> TimingLog:
    """The log of one run of the timer; run again (a few times at most) while a busy machine leaves it
    unclear whether the returned number is the total or the mean, so the verdict does not depend on load."""
    for _ in range(_ATTEMPTS - 1):
        log = record_timing(timer, f, *args, **kwargs)
        if returns != "mean" or not _unclear(log):
            return log
    return record_timing(timer, f, *args, **kwargs)


def findings_from_log(log: TimingLog, *, returns: str | None = "mean") -> list[Finding]:
    """The timing mistakes visible in an already recorded log (see ``find_timing_mistakes``)."""
    events = log.events
    clocks = [i for i, e in enumerate(events) if e.kind == "clock"]
    calls = [i for i, e in enumerate(events) if e.kind == "call"]
    if len(clocks) < 2 or not any(clocks[0] < i < clocks[-1] for i in calls):
        return [_not_timed(events, clocks)]
    found = [_warmup_finding(log, clocks, calls), _unblocked_finding(log, clocks, calls)]
    if returns == "mean":
        found.append(_total_finding(log, clocks, calls))
    return [f for f in found if f is not None]


def assert_times_correctly(
    timer: Callable[..., Any], f: Callable[..., Any], *args: Any, returns: str | None = "mean", **kwargs: Any
) -> TimingLog:
    """Raise ``[anti-pattern: timing]`` unless ``timer(f, *args, **kwargs)`` warms up, blocks and (with
    ``returns="mean"``) returns the time of one call; return the recorded log (calls, clock reads,
    the timer's return value)."""
    __tracebackhide__ = True
    log = _recorded(timer, f, args, kwargs, returns)
    raise_findings(findings_from_log(log, returns=returns))
    return log
