"""JAX's persistent compilation cache, shared by every notebook of a grading run (or of the test suite).

Every student's notebook runs the same hidden tests, so JAX would compile the same programs once per
student. With a cache folder shared by the kernels, each program is compiled once per class: the
grading command creates the folder, warms it by running the reference solution (trusted code), then
gives it to the students' kernels read-only, so that no submission can plant a program a classmate
would load; it removes the folder when the run ends. Compile-count checks count a program served
from this cache like a compiled one (see ``autograder.detectors.compiles``).
"""
from __future__ import annotations

import contextlib
import os
import shutil
from typing import Iterator

__all__ = ["cache_environment", "class_cache", "seal"]


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
    """A fresh cache folder in the course (``.jax_cache/``) for one grading run, removed afterwards."""
    if not enabled:
        yield None
        return
    folder = os.path.join(os.path.abspath(course_dir), ".jax_cache")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
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
