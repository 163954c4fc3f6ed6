"""Implicit host <-> device transfers made by a learner's function, seen on every device, CPU included.

- Host to device: the function runs under ``jax.transfer_guard("log")``; JAX logs every implicit
  copy of host data (a NumPy array or a list fed to a device computation) and the learner's line
  running at that moment is noted. Explicit ``jax.device_put`` is never logged.
- Device to host: JAX's guard does not fire for these on CPU, so they are watched where they start
  (``host_reads``): ``float(x)``, ``int(x)``, ``x.item()``, ``x.tolist()``, ``np.asarray(x)``, a
  Python ``if`` on a device value, made by the learner's code. ``jax.device_get`` is explicit and allowed.

Decided on purpose: a Python number (``x * 2.0``, a learning rate passed to a jitted step,
``jnp.zeros(n)``'s fill value) is copied as one scalar constant; that costs nothing worth a
lesson and the recompilation advice recommends passing such numbers as arguments, so 0-d copies
are not reported. ``print(x)`` of a device array is a debugging read and is not reported either.
"""
from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from types import FrameType
from typing import Any, Callable, Iterator

import jax

from .._compat import forget_dispatch_fast_paths
from ..findings import Finding, raise_findings
from ..source import Location, frame_location, is_library_code, learner_frame
from .host_reads import HostRead, host_reads_watched

__all__ = ["find_implicit_transfers", "assert_no_implicit_transfers"]

CHECK = "implicit-transfer"
_LOGGED = re.compile(r"host-to-device transfer: aval=\w+\((?P<dtype>\w+)\[(?P<shape>[\d, ]*)\]")
_WHY = (
    "every implicit copy between the host and the device is slow and easy to miss; in a loop it "
    "happens on every step, and a read back to the host also waits for all queued device work"
)
_FIX_TO_DEVICE = (
    "move host data once, explicitly, with jax.device_put(...), or create it on the device with jnp.*; "
    "do the work inside a jax.jit function"
)
_FIX_TO_HOST = (
    "keep values on the device inside the function (jnp operations, jnp.where / lax.cond instead of a "
    "Python if) and return them; read results back once, explicitly, with jax.device_get(...) after the call"
)


@dataclass(frozen=True)
class _Copy:
    direction: str
    what: str
    where: Location | None


def _aval_words(dtype: str, shape: str) -> str:
    dims = [d.strip() for d in shape.split(",") if d.strip()]
    return f"a {dtype}[{', '.join(dims)}] array"


@contextlib.contextmanager
def _stderr_to(file: Any) -> Iterator[None]:
    """Send the process's stderr (where JAX's C++ guard logs) to ``file`` for the block."""
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(file.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class _LineTracker:
    """Notes which learner line was running each time the guard's log grew.

    Each time the learner's code moves to another line, JAX's C++ dispatch fast paths are
    forgotten, so the first call of each kind on a line is dispatched in Python and logs the full
    shape of what it copies (the C++ path logs a copy without its shape).
    """

    def __init__(self, log_fd: int):
        self._fd, self._size = log_fd, 0
        self._line: Location | None = None
        self.marks: list[tuple[int, Location | None]] = []

    def check(self) -> None:
        size = os.fstat(self._fd).st_size
        if size != self._size:
            self._size = size
            self.marks.append((size, self._line))

    def trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event != "call" or is_library_code(frame.f_code):
            return None
        self.check()
        return self._local

    def _local(self, frame: FrameType, event: str, arg: Any) -> Any:
        self.check()
        if event == "line":
            self._line = frame_location(frame)
        elif event == "return":  # back in the nearest learner frame (JAX may have been tracing a helper)
            caller = learner_frame(frame.f_back)
            self._line = frame_location(caller) if caller is not None else None
        if event in ("line", "return"):
            forget_dispatch_fast_paths()
        return self._local


def _logged_copies(text: bytes, marks: list[tuple[int, Location | None]]) -> list[_Copy]:
    """Parse the guard's log; place each logged copy at the learner line that was running."""
    found, offset = [], 0
    for line in text.decode(errors="replace").splitlines(keepends=True):
        offset += len(line.encode())
        if "host-to-device transfer" not in line:
            continue
        match = _LOGGED.search(line)
        if match is None:
            # No shape: JAX's C++ dispatch made this copy, so a call of the same kind, with the
            # same kinds of arguments, already ran on this line and logged its copies in full.
            continue
        shape = match.group("shape").strip()
        if not shape:  # a Python number or another 0-d constant: deliberately allowed
            continue
        where = next((loc for size, loc in marks if size >= offset), marks[-1][1] if marks else None)
        found.append(_Copy("host-to-device", _aval_words(match.group("dtype"), shape), where))
    return found


def _copies(fn: Callable[..., Any], args: tuple, kwargs: dict) -> tuple[Any, list[_Copy]]:
    """Run ``fn`` once; its result and the copies seen.

    JAX logs a copy's shape only on its Python dispatch path: a function or eager operation
    already called with the same kinds of arguments takes a C++ fast path that logs none. Those
    fast paths are forgotten before the run and on each new learner line (``_LineTracker``);
    nothing is traced or compiled again.
    """
    reads: list[HostRead] = []
    with tempfile.TemporaryFile() as log:
        tracker = _LineTracker(log.fileno())
        previous = sys.gettrace()
        try:
            forget_dispatch_fast_paths()
            with _stderr_to(log), jax.transfer_guard("log"), host_reads_watched(reads.append):
                sys.settrace(tracker.trace)
                try:
                    out = fn(*args, **kwargs)
                    jax.block_until_ready(out)
                finally:
                    sys.settrace(previous)
                    tracker.check()
        finally:
            log.seek(0)
            text = log.read()
            _replay_other_lines(text)
    copies = _logged_copies(text, tracker.marks)
    copies += [_Copy("device-to-host", r.how, r.where) for r in reads if r.copies and not r.explicit]
    return out, copies


def _replay_other_lines(text: bytes) -> None:
    """What else was written to stderr during the run (a warning, the learner's own output) goes back."""
    other = [line for line in text.decode(errors="replace").splitlines(keepends=True)
             if "host-to-device transfer" not in line]
    if other:
        sys.stderr.write("".join(other))


def _findings(copies: list[_Copy]) -> list[Finding]:
    findings, seen = [], set()
    for copy in copies:
        key = (copy.direction, copy.where)
        if key in seen:
            continue
        seen.add(key)
        if copy.direction == "host-to-device":
            what = f"Implicit host-to-device copy: {copy.what} from the host is copied to the device here."
            fix = _FIX_TO_DEVICE
        else:
            what = f"Implicit device-to-host copy: {copy.what} reads a device value back to the host here."
            fix = _FIX_TO_HOST
        findings.append(Finding(CHECK, what, _WHY, fix, copy.where))
    return findings


def find_implicit_transfers(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Finding]:
    """Run ``fn(*args, **kwargs)`` and report each implicit transfer it makes, at the learner's line."""
    return _findings(_copies(fn, args, kwargs)[1])


def assert_no_implicit_transfers(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Raise ``[anti-pattern: implicit-transfer]`` if ``fn(*args, **kwargs)`` makes an implicit transfer;
    otherwise return its (finished) result."""
    __tracebackhide__ = True
    out, copies = _copies(fn, args, kwargs)
    raise_findings(_findings(copies))
    return out
