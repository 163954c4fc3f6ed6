"""Worker side: execute one sanitized submission notebook with nbgrader's own ``Execute``, in a jail.

Runs in a worker process (a local process pool or a Dask worker). Each worker keeps one kernel
started ahead of time, so a kernel boots while the previous notebook runs. A pre-started kernel is
a fresh ``ipykernel`` process in its own :mod:`~autograder.grading.sandbox` (no network, no view of
the course, an unprivileged uid, resource limits): exactly what nbgrader would start, jailed.
Nothing is imported or compiled in it before the notebook runs. When the notebook ends (or its time
is up) the jail's PID namespace is torn down: every process the submission started dies with it.
"""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import nbformat
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbgrader.preprocessors import Execute
from traitlets.config import Config

from .intake import clean_text
from .sandbox import HOME, Sandbox, SandboxedKernelManager, kernel_environment

__all__ = ["ExecutionJob", "ExecutionResult", "execute_notebook"]

_HISTORY_ARG = "--HistoryManager.hist_file=:memory:"


@dataclass
class ExecutionJob:
    """One notebook to execute: its JSON text, its other files, and its limits."""

    key: str
    notebook: str
    timeout: float
    config: dict[str, dict[str, Any]]
    files: dict[str, bytes] = field(default_factory=dict)
    max_output_bytes: int = 4 << 20
    cache_dir: str | None = None  # JAX's compilation cache of the run, read-only in the kernel...
    writes_cache: bool = False  # ...except for the reference solution, which fills it
    next_kernel: bool = True  # start the worker's next kernel while this one runs (not for the last jobs)


@dataclass
class ExecutionResult:
    """The executed notebook (partial when it failed), or why it could not run."""

    key: str
    notebook: str | None
    error: str | None
    seconds: float
    kernel_seconds: float = 0.0
    enclave_key: bytes = b""  # the key of the kernel's enclave, and what it reported
    enclave_record: bytes | None = None


class _CappedExecute(Execute):
    """nbgrader's ``Execute``, keeping at most ``max_output_bytes`` of output per notebook."""

    max_output_bytes = 4 << 20

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> Any:
        size = _size(msg.get("content", {}))
        self._output_bytes = getattr(self, "_output_bytes", 0) + size
        if self._output_bytes <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        if not getattr(self, "_truncated", False):
            self._truncated = True
            note = nbformat.v4.new_output("stream", name="stdout", text=(
                f"\n[output truncated: this notebook printed more than {self.max_output_bytes >> 20} MiB]\n"))
            outs.append(note)
        return None


def _size(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_size(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_size(v) for v in value)
    return 8


class _WarmKernel:
    """One jailed kernel started ahead of time per worker process, all handled on one thread."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grading-kernel")
        self._sandbox = Sandbox()
        self._spare: SandboxedKernelManager | None = None

    def run(self, job: ExecutionJob) -> ExecutionResult:
        return self._thread.submit(self._run, job).result()

    def _start(self, kernel_name: str, cache: str | None, writable: bool) -> SandboxedKernelManager:
        if cache and writable:
            self._sandbox.own(cache)
        km = SandboxedKernelManager(self._sandbox, cache, writable, kernel_name=kernel_name)
        # The kernel process's own log (not the notebook's output) would flood the instructor's terminal.
        run_sync(km.start_kernel)(extra_arguments=[_HISTORY_ARG], env=kernel_environment(bool(cache), writable),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return km

    def _take(self, kernel_name: str, job: ExecutionJob) -> SandboxedKernelManager:
        mode = (job.cache_dir if job.cache_dir and os.path.isdir(job.cache_dir) else None, job.writes_cache)
        km, self._spare = self._spare, None
        if (km is None or km.kernel_name != kernel_name or km.cache_mode != mode
                or not run_sync(km.is_alive)()):
            if km is not None:
                _shutdown(km)
            km = self._start(kernel_name, *mode)
        if job.next_kernel:
            self._spare = self._start(kernel_name, mode[0], False)  # boots while this notebook runs
        return km

    def _run(self, job: ExecutionJob) -> ExecutionResult:
        started = time.perf_counter()
        try:
            nb = nbformat.reads(job.notebook, as_version=nbformat.NO_CONVERT)
        except Exception as err:  # noqa: BLE001 - any unreadable notebook is a graded failure
            return ExecutionResult(job.key, None, f"malformed notebook: {err}", 0.0)
        kernel_name = nb.metadata.get("kernelspec", {}).get("name", "python3")
        try:
            km = self._take(kernel_name, job)
        except Exception as err:  # noqa: BLE001 - no jail, no run: fail closed
            return ExecutionResult(job.key, None, f"could not start a sandboxed kernel: {clean_text(str(err))}",
                                   time.perf_counter() - started)
        _place_files(job.files, km.home)
        self._sandbox.own(km.home)
        config = Config(job.config)
        cell_timeout = config.get("Execute", {}).get("timeout") or job.timeout
        config.Execute.timeout = int(max(1, min(cell_timeout, job.timeout)))
        executor = _CappedExecute(config=config)
        executor.max_output_bytes = job.max_output_bytes
        running = ["the notebook"]
        executor.on_cell_execute = lambda cell, cell_index: running.__setitem__(0, _cell_name(cell, cell_index))
        timed_out = threading.Event()
        watchdog = threading.Timer(job.timeout, _kill, (km, timed_out))
        watchdog.daemon = True
        error = None
        exec_started = time.perf_counter()
        watchdog.start()
        try:
            executor.preprocess(nb, {"metadata": {"path": HOME}}, km=km)
        except DeadKernelError:
            error = (f"timeout: still running after {job.timeout:g} s (an endless loop?)" if timed_out.is_set()
                     else f"the kernel died while running {running[0]} "
                          "(os._exit, a crash, or out of memory)")
        except Exception as err:  # noqa: BLE001 - every other failure is recorded, never raised
            error = ("timeout: " if timed_out.is_set() else "") + f"{type(err).__name__}: {clean_text(str(err))}"
        finally:
            watchdog.cancel()
            kernel_seconds = time.perf_counter() - exec_started
            record = km.enclave_record()
            _shutdown(km)
        return ExecutionResult(job.key, clean_text(nbformat.writes(nb)), error, time.perf_counter() - started,
                               kernel_seconds, km.enclave_key, record)


def _place_files(files: dict[str, bytes], home: str) -> None:
    """The submission's other files, in the jail's home folder (never outside it)."""
    for rel, data in files.items():
        path = os.path.normpath(os.path.join(home, rel))
        if not path.startswith(home + os.sep):
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def _cell_name(cell: Any, index: int) -> str:
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    return f"cell {grade_id!r}" if grade_id else f"cell {index + 1}"


def _kill(km: SandboxedKernelManager, flag: threading.Event) -> None:
    """Kill the jail: its init dies, and with it every process of its PID namespace."""
    flag.set()
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if process is not None and process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # the kernel's session: bwrap and all it started
        except OSError:
            os.kill(process.pid, signal.SIGKILL)


def _shutdown(km: SandboxedKernelManager) -> None:
    try:
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
        run_sync(km.cleanup_resources)()
    except Exception:  # noqa: BLE001 - a kernel that is already gone is fine
        pass
    _kill(km, threading.Event())
    km.remove_work()


_WARM: _WarmKernel | None = None


def execute_notebook(job: ExecutionJob) -> ExecutionResult:
    """Execute ``job`` in this process's warm kernel; never raises for a learner's failure."""
    global _WARM
    if _WARM is None:
        _WARM = _WarmKernel()
    return _WARM.run(job)
