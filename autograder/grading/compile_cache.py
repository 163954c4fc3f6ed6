"""JAX's persistent compilation cache: shared by every notebook of a grading run; one per test process.

Every student's notebook runs the same hidden tests, so JAX would compile the same programs once per
student. With a cache folder shared by the kernels, each program is compiled once per class: the
grading command creates the folder, warms it by running the reference solution (trusted code), then
gives it to the students' kernels read-only, so that no submission can plant a program a classmate
would load; it removes the folder when the run ends. Compile-count checks count a program served
from this cache like a compiled one (see ``autograder.detectors.compiles``).

JAX writes a cache entry in place (no temporary file and rename, 0.5.3 to 0.12): a process reading
an entry while another one writes it gets a truncated program (a warning, and that entry stays
broken). So a folder is either filled by one process and then only read (grading), or used by one
process at a time (:func:`private_cache`: the test suite, ``make lab``'s kernels).

This module imports nothing but the standard library: the test suite loads it before JAX starts.
"""
from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import shutil
from typing import Iterator

__all__ = ["cache_environment", "class_cache", "seal", "private_cache"]

_HELD: list[int] = []  # the slots this process holds: locked until it exits


def cache_environment(folder: str, writes: bool = True) -> dict[str, str]:
    """Environment variables that make JAX (0.5.3 to 0.12) use its persistent cache in ``folder``.

    Writing, every program is cached, however fast it compiled and however small it is; not
    writing, JAX only reads the cache (it writes nothing that compiled in less than 10^9 s).
    """
    return {
        "JAX_COMPILATION_CACHE_DIR": os.path.abspath(folder),
        "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0" if writes else "1000000000",
        "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "-1",
        "JAX_PERSISTENT_CACHE_ENABLE_XLA_CACHES": "none",
    }


@contextlib.contextmanager
def class_cache(course_dir: str, enabled: bool = True) -> Iterator[str | None]:
    """A fresh cache folder in the course (``.jax_cache/grading/``) for one grading run, removed afterwards.

    The rest of ``.jax_cache/`` (the test suite's and ``make lab``'s caches) is left alone.
    """
    if not enabled:
        yield None
        return
    folder = os.path.join(os.path.abspath(course_dir), ".jax_cache", "grading")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    os.chmod(os.path.dirname(folder), 0o755)
    os.chmod(folder, 0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def seal(folder: str) -> None:
    """Make the warmed cache the grader's own: readable by every kernel, writable by none of them."""
    for root, dirs, files in os.walk(folder):
        for name in [root] + [os.path.join(root, n) for n in dirs + files]:
            os.lchown(name, os.geteuid(), os.getegid())
            os.chmod(name, 0o755 if os.path.isdir(name) else 0o644)


def private_cache(base: str) -> str:
    """A cache folder under ``base`` that no other process uses while this one runs; kept for later runs.

    Each process takes the first free slot (``base/0``, ``base/1``...: an ``flock`` held until it
    exits), so a later run finds the programs an earlier one compiled in the same slot. A process
    this one starts and waits for (a notebook's kernel, a ``pytest`` run) may use the slot too.
    """
    for n in itertools.count():
        folder = os.path.join(base, str(n))
        os.makedirs(folder, exist_ok=True)
        fd = os.open(os.path.join(folder, ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        _HELD.append(fd)
        return folder
    raise AssertionError("unreachable: itertools.count() never ends")
