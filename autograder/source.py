"""Map what JAX traced back to the learner's own source line."""
from __future__ import annotations

import functools
import inspect
import linecache
import os
import re
import sysconfig
import traceback as _traceback
from dataclasses import dataclass
from types import FrameType, TracebackType
from typing import Any, Iterable

import jax

from ._compat import JaxprEqn

__all__ = [
    "Location", "location_of", "location_in_traceback", "is_library_file", "learner_frame", "frame_location",
    "definition_of",
]

_LIBRARY_DIRS = tuple(
    os.path.dirname(os.path.abspath(mod.__file__)) + os.sep
    for mod in (jax, __import__("jaxlib"), __import__("numpy"))
) + (os.path.dirname(os.path.abspath(__file__)) + os.sep,) + tuple(
    # Python's standard library and installed packages (the kernel, pytest, nbgrader): never the learner's.
    os.path.abspath(sysconfig.get_paths()[key]) + os.sep
    for key in ("stdlib", "platstdlib", "purelib", "platlib")
)

_CELL_FILE = re.compile(r"ipykernel_\d+[/\\]\d+\.py$")


def is_library_file(filename: str) -> bool:
    """True for files of JAX, NumPy, the autograder or Python itself: never the learner's."""
    if filename.startswith(("<frozen", "<__array_function__")) or filename == "<string>":
        return True  # "<string>": code Python generates (dataclass and namedtuple methods)
    path = os.path.abspath(filename)
    return path.startswith(_LIBRARY_DIRS) or f"{os.sep}contextlib.py" in path


@dataclass(frozen=True)
class Location:
    """A line of the learner's code: file, line number, function and the code itself."""

    file: str
    line: int
    function: str
    code: str

    @property
    def place(self) -> str:
        """``line 7 of your notebook cell`` or ``solution.py, line 7``."""
        if _CELL_FILE.search(self.file) or self.file.startswith("<"):
            return f"line {self.line} of your cell"
        return f"{os.path.basename(self.file)}, line {self.line}"

    def __str__(self) -> str:
        where = f"{self.place}, in {self.function}()"
        return f"{where}: {self.code}" if self.code else where


def learner_frame(frame: FrameType | None) -> FrameType | None:
    """``frame`` or the nearest frame above it that runs learner code; None if there is none."""
    while frame is not None and is_library_file(frame.f_code.co_filename):
        frame = frame.f_back
    return frame


def frame_location(frame: FrameType) -> Location:
    """The line ``frame`` is running, as a ``Location``."""
    return _location(frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)


def definition_of(fn: Any) -> Location | None:
    """The ``def`` line of the learner's function behind ``fn`` (jitted, wrapped or a bound method),
    past its decorators; None for library functions and objects without code."""
    while isinstance(fn, functools.partial):
        fn = fn.func
    code = getattr(inspect.unwrap(fn), "__code__", None) if callable(fn) else None
    if code is None or is_library_file(code.co_filename):
        return None
    line = code.co_firstlineno
    lines = linecache.getlines(code.co_filename)
    while 0 < line < len(lines) and lines[line - 1].lstrip().startswith("@"):
        line += 1
    return _location(code.co_filename, line, code.co_name)


def _location(filename: str, line: int, function: str) -> Location:
    code = linecache.getline(filename, line).strip()
    return Location(filename, line, function, code)


def _user_frames(frames: Iterable[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    return [f for f in frames if not is_library_file(f[0])]


def location_of(eqn: JaxprEqn) -> Location | None:
    """The innermost line of learner code that produced ``eqn``, or None if JAX kept none."""
    tb = getattr(eqn.source_info, "traceback", None)
    if tb is None:
        return None
    frames = [(f.file_name, f.line_num, f.function_name) for f in tb.frames]
    user = _user_frames(frames)
    return _location(*user[0]) if user else None


def location_in_traceback(tb: TracebackType | None) -> Location | None:
    """The innermost line of learner code in a Python traceback (for errors raised while tracing)."""
    frames = [(f.filename, f.lineno, f.name) for f in _traceback.extract_tb(tb)]
    user = _user_frames(reversed(frames))
    return _location(*user[0]) if user else None
