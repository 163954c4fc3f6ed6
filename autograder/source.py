"""Map what JAX traced back to the learner's own source line."""
from __future__ import annotations

import ast
import functools
import inspect
import linecache
import os
import re
import sysconfig
import traceback as _traceback
from dataclasses import dataclass
from types import CodeType, FrameType, TracebackType
from typing import Any

import jax

from ._compat import JaxprEqn

__all__ = [
    "Location", "location_of", "location_in_traceback", "is_library_file", "learner_frame", "frame_location",
    "definition_of", "is_library_code", "binding_of",
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


@functools.lru_cache(maxsize=4096)
def is_library_file(filename: str) -> bool:
    """True for files of JAX, NumPy, the autograder or Python itself: never the learner's.

    ``"<string>"`` is the learner's: code run with ``python -c``, ``exec`` or ``eval``. The methods
    Python writes for dataclasses and named tuples carry that name too; ``is_library_code`` tells
    them apart by their code.
    """
    if filename.startswith(("<frozen", "<__array_function__")):
        return True
    if filename.startswith("<"):  # "<string>", "<stdin>", "<ipython-input-...>": code the learner ran
        return False
    path = os.path.abspath(filename)
    return path.startswith(_LIBRARY_DIRS) or f"{os.sep}contextlib.py" in path


def is_library_code(code: CodeType) -> bool:
    """True for code that is never the learner's: code in a library file (``is_library_file``) and
    the methods Python generates from text, a dataclass's ``__init__``/``__eq__`` (written inside
    ``__create_fn__``) and a named tuple's ``__new__`` (a lambda whose first argument is ``_cls``)."""
    if is_library_file(code.co_filename):
        return True
    if code.co_filename != "<string>":
        return False
    qualname = getattr(code, "co_qualname", code.co_name)
    return qualname.startswith("__create_fn__.") or (code.co_name == "<lambda>" and code.co_varnames[:1] == ("_cls",))


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
    while frame is not None and is_library_code(frame.f_code):
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
    if code is None or is_library_code(code):
        return None
    line = code.co_firstlineno
    lines = linecache.getlines(code.co_filename)
    while 0 < line < len(lines) and lines[line - 1].lstrip().startswith("@"):
        line += 1
    return _location(code.co_filename, line, code.co_name)


def binding_of(fn: Any) -> Location | None:
    """The learner's module-level line that made ``fn`` from another function by wrapping or renaming
    it (``fast = jax.vmap(f)``, ``step = functools.partial(update, lr=0.1)``, ``fast = f``): the line
    to fix when ``fn`` lacks a transformation. None when ``fn`` is only bound by its own ``def``."""
    inner = fn
    while isinstance(inner, functools.partial):
        inner = inner.func
    inner = inspect.unwrap(inner) if callable(inner) else inner
    code, scope = getattr(inner, "__code__", None), getattr(inner, "__globals__", None)
    if code is None or scope is None or is_library_code(code):
        return None
    names = {name for name, value in list(scope.items()) if value is fn and not (fn is inner and name == code.co_name)}
    if not names:
        return None
    files = [code.co_filename] + [f for f in list(linecache.cache) if f != code.co_filename and not is_library_file(f)]
    for filename in files:
        line = _last_assignment(filename, names)
        if line is not None:
            return _location(filename, line, "<module>")
    return None


def _last_assignment(filename: str, names: set[str]) -> int | None:
    """The line of the last module-level ``name = ...`` in ``filename`` for one of ``names``."""
    source = "".join(linecache.getlines(filename))
    if not any(name in source for name in names):
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    lines = [node.lineno for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
             for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
             if isinstance(target, ast.Name) and target.id in names]
    return max(lines, default=None)


def _location(filename: str, line: int, function: str) -> Location:
    code = linecache.getline(filename, line).strip()
    return Location(filename, line, function, code)


def location_of(eqn: JaxprEqn) -> Location | None:
    """The innermost line of learner code that produced ``eqn``, or None if JAX kept none."""
    tb = getattr(eqn.source_info, "traceback", None)
    if tb is None:
        return None
    codes, _ = tb.raw_frames()
    user = [(f.file_name, f.line_num, f.function_name) for f, code in zip(tb.frames, codes)
            if not is_library_code(code)]
    return _location(*user[0]) if user else None


def location_in_traceback(tb: TracebackType | None) -> Location | None:
    """The innermost line of learner code in a Python traceback (for errors raised while tracing)."""
    frames = [(frame.f_code, line) for frame, line in _traceback.walk_tb(tb)]
    user = [(code.co_filename, line, code.co_name) for code, line in reversed(frames) if not is_library_code(code)]
    return _location(*user[0]) if user else None
