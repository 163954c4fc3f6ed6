"""Worker side: execute one sanitized submission notebook with nbgrader's own ``Execute``.

Runs in a worker process (a local process pool or a Dask worker). Each worker keeps one kernel
started ahead of time, so a kernel boots while the previous notebook runs. A pre-started kernel is
a fresh ``ipykernel`` process, exactly what nbgrader would start: nothing is imported or compiled
in it before the notebook runs (JAX and its compilation cache stay cold, so compile-count checks
measure the same thing), and the only set-up is a silent ``os.chdir`` to the submission's folder.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbgrader.preprocessors import Execute
from traitlets.config import Config

__all__ = ["ExecutionJob", "ExecutionResult", "execute_notebook"]

# nbgrader runs the kernel with this set (utils.setenv in Autograde.convert_single_notebook).
os.environ["NBGRADER_EXECUTION"] = "autograde"
_HISTORY_ARG = "--HistoryManager.hist_file=:memory:"


@dataclass
class ExecutionJob:
    """One notebook to execute: its JSON text, where to run it, and how."""

    key: str
    notebook: str
    cwd: str
    timeout: float
    config: dict[str, dict[str, Any]]
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class ExecutionResult:
    """The executed notebook (partial when it failed), or why it could not run."""

    key: str
    notebook: str | None
    error: str | None
    seconds: float
    kernel_seconds: float = 0.0


class _WarmKernel:
    """One kernel started ahead of time per worker process, all handled on one thread."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grading-kernel")
        self._spare: AsyncKernelManager | None = None
        self._spare_dir = tempfile.mkdtemp(prefix="autograder-kernel-")

    def run(self, job: ExecutionJob) -> ExecutionResult:
        return self._thread.submit(self._run, job).result()

    def _start(self, kernel_name: str) -> AsyncKernelManager:
        km = AsyncKernelManager(kernel_name=kernel_name)
        # The kernel process's own log (not the notebook's output) would flood the instructor's terminal.
        run_sync(km.start_kernel)(extra_arguments=[_HISTORY_ARG], cwd=self._spare_dir, stderr=subprocess.DEVNULL)
        return km

    def _take(self, kernel_name: str) -> AsyncKernelManager:
        km, self._spare = self._spare, None
        if km is None or km.kernel_name != kernel_name or not run_sync(km.is_alive)():
            if km is not None:
                _shutdown(km)
            km = self._start(kernel_name)
        self._spare = self._start(kernel_name)  # boots while this notebook runs
        return km

    def _run(self, job: ExecutionJob) -> ExecutionResult:
        started = time.perf_counter()
        try:
            nb = nbformat.reads(job.notebook, as_version=nbformat.NO_CONVERT)
        except Exception as err:  # noqa: BLE001 - any unreadable notebook is a graded failure
            return ExecutionResult(job.key, None, f"malformed notebook: {err}", 0.0)
        kernel_name = nb.metadata.get("kernelspec", {}).get("name", "python3")
        cwd, scratch = _working_dir(job)
        km = self._take(kernel_name)
        executor = Execute(config=Config(job.config))
        executor.on_notebook_start = _chdir_hook(executor, cwd)
        running = ["the notebook"]
        executor.on_cell_execute = lambda cell, cell_index: running.__setitem__(0, _cell_name(cell, cell_index))
        timed_out = threading.Event()
        watchdog = threading.Timer(job.timeout, _kill, (km, timed_out))
        watchdog.daemon = True
        error = None
        exec_started = time.perf_counter()
        watchdog.start()
        try:
            executor.preprocess(nb, {"metadata": {"path": cwd}}, km=km)
        except DeadKernelError:
            error = (f"timeout: still running after {job.timeout:g} s (an endless loop?)" if timed_out.is_set()
                     else f"the kernel died while running {running[0]} "
                          "(os._exit, a crash, or out of memory)")
        except Exception as err:  # noqa: BLE001 - every other failure is recorded, never raised
            error = ("timeout: " if timed_out.is_set() else "") + f"{type(err).__name__}: {err}"
        finally:
            watchdog.cancel()
            kernel_seconds = time.perf_counter() - exec_started
            _shutdown(km)
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
        return ExecutionResult(job.key, nbformat.writes(nb), error, time.perf_counter() - started, kernel_seconds)


def _working_dir(job: ExecutionJob) -> tuple[str, str | None]:
    """The submission's folder, or (on a machine without it) a scratch copy of its files."""
    if os.path.isdir(job.cwd):
        return job.cwd, None
    scratch = tempfile.mkdtemp(prefix="autograder-submission-")
    for rel, data in job.files.items():
        path = os.path.join(scratch, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return scratch, scratch


def _chdir_hook(executor: Execute, cwd: str):
    async def chdir(**_: Any) -> None:
        msg_id = executor.kc.execute(f"import os as _os; _os.chdir({cwd!r}); del _os",
                                     silent=True, store_history=False)
        await executor.async_wait_for_reply(msg_id)
    return chdir


def _cell_name(cell: Any, index: int) -> str:
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    return f"cell {grade_id!r}" if grade_id else f"cell {index + 1}"


def _kill(km: AsyncKernelManager, flag: threading.Event) -> None:
    flag.set()
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if process is not None and process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)


def _shutdown(km: AsyncKernelManager) -> None:
    try:
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
        run_sync(km.cleanup_resources)()
    except Exception:  # noqa: BLE001 - a kernel that is already gone is fine
        pass


_WARM: _WarmKernel | None = None


def execute_notebook(job: ExecutionJob) -> ExecutionResult:
    """Execute ``job`` in this process's warm kernel; never raises for a learner's failure."""
    global _WARM
    if _WARM is None:
        _WARM = _WarmKernel()
    return _WARM.run(job)
