"""How checks read in a notebook: one short line when a cell's checks pass, the message first when one fails.

Every public ``assert_*`` helper is wrapped by :func:`counted`. Inside IPython (Jupyter, nbclient,
nbgrader), a cell whose checks all pass ends with ``✓ 3 checks passed``; a failing check's
``AssertionError`` is shown as its message, then the line of the cell that ran it, without the
library frames in between. The error itself is unchanged (same type, same message), so nbgrader
still records a failing cell as failed and a passing one as passed. Outside IPython nothing changes.
"""
from __future__ import annotations

import functools
import os
import sys
import traceback
from contextlib import contextmanager
from typing import Any, Callable, Iterator, MutableMapping, TypeVar

__all__ = ["counted", "count_exported_checks", "not_counted", "render_failure", "pass_line"]

F = TypeVar("F", bound=Callable[..., Any])

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
# Raised as each outermost check starts: the grading enclave (autograder.grading.enclave) compares the
# trusted code with its fingerprint right then, so a patch made by the learner's function just before
# the check and undone by the check's own call of it is still seen. Without an audit hook: nothing.
CHECK_EVENT = "autograder.check"
# Frames from these folders are library code, never the learner's.
_LIBRARY_MARKERS = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep, os.sep + "lib" + os.sep + "python")


class _CellChecks:
    """The checks run by the current cell: how many finished, and how deep the current call is."""

    def __init__(self) -> None:
        self.passed = 0
        self.depth = 0
        self.muted = 0

    def reset(self) -> None:
        self.passed = 0


_checks = _CellChecks()


def pass_line(count: int) -> str:
    """The verdict printed under a cell whose ``count`` checks all passed."""
    return f"✓ {count} check{'s' if count != 1 else ''} passed"


def _is_library_frame(filename: str) -> bool:
    path = os.path.abspath(filename)
    return path.startswith(_PACKAGE_DIR + os.sep) or any(m in path for m in _LIBRARY_MARKERS)


def _learner_frames(tb: Any) -> list[traceback.FrameSummary]:
    """The frames of the traceback that are the learner's (cells and their own files)."""
    return [f for f in traceback.extract_tb(tb) if not _is_library_frame(f.filename)]


def _describe_frame(frame: traceback.FrameSummary) -> str:
    in_cell = frame.filename.startswith("<ipython-input") or "ipykernel_" in frame.filename
    place = f"line {frame.lineno} of this cell" if in_cell else f"{frame.filename}, line {frame.lineno}"
    code = f": {frame.line.strip()}" if frame.line else ""
    return f"{place}{code}"


def render_failure(err: BaseException) -> list[str]:
    """The lines shown for a failed check: its whole message first, then the cell line that ran it."""
    lines = f"✗ {err}".splitlines()
    frames = _learner_frames(err.__traceback__)
    if frames:
        lines.append("")
        lines.append("The failing check: " + _describe_frame(frames[-1]))
    return lines


def _attach_renderer(err: AssertionError) -> None:
    # IPython shows an exception with a ``_render_traceback_`` method by calling it; nbclient saves
    # what it returns as the error's traceback, which nbgrader's feedback displays.
    err._render_traceback_ = functools.partial(render_failure, err)  # type: ignore[attr-defined]


def counted(assertion: F) -> F:
    """Wrap a public ``assert_*`` helper so the cell counts it and a failure reads well."""
    if getattr(assertion, "__wrapped_check__", False):
        return assertion

    @functools.wraps(assertion)
    def check(*args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True  # noqa: F841 - pytest hides this frame
        if _checks.depth == 0:
            sys.audit(CHECK_EVENT)
        _checks.depth += 1
        try:
            result = assertion(*args, **kwargs)
        except AssertionError as err:
            if _checks.depth == 1:
                _attach_renderer(err)
            raise
        finally:
            _checks.depth -= 1
        if _checks.depth == 0 and not _checks.muted:
            _checks.passed += 1
        return result

    check.__wrapped_check__ = True  # type: ignore[attr-defined]
    return check  # type: ignore[return-value]


@contextmanager
def not_counted() -> Iterator[None]:
    """Checks run inside this block print no pass line (``check(...)`` prints its own verdict)."""
    _checks.muted += 1
    try:
        yield
    finally:
        _checks.muted -= 1


def _before_cell(*_: Any) -> None:
    _checks.reset()


def _after_cell(result: Any) -> None:
    if _checks.passed and getattr(result, "success", False):
        print(pass_line(_checks.passed), flush=True)
    _checks.reset()


def _register_in_ipython() -> None:
    """Print the pass line after each cell whose checks passed (once per IPython shell)."""
    ipython_module = sys.modules.get("IPython")
    shell = ipython_module.get_ipython() if ipython_module is not None else None
    if shell is None or getattr(shell, "_jax_course_checks_registered", False):
        return
    shell.events.register("pre_run_cell", _before_cell)
    shell.events.register("post_run_cell", _after_cell)
    shell._jax_course_checks_registered = True


def count_exported_checks(namespace: MutableMapping[str, Any]) -> None:
    """Wrap every ``assert_*`` name of ``namespace`` (and of its defining module) with :func:`counted`."""
    for name, value in list(namespace.items()):
        if not (name.startswith("assert_") and callable(value)):
            continue
        wrapped = counted(value)
        namespace[name] = wrapped
        home = sys.modules.get(getattr(value, "__module__", ""))
        if home is not None and getattr(home, name, None) is value:
            setattr(home, name, wrapped)  # `from autograder.detectors.x import assert_y` counts too
    _register_in_ipython()
