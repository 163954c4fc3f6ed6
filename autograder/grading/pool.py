"""Where notebooks execute: a local pool of worker processes, or a Dask distributed cluster."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator

from .executor import ExecutionJob, ExecutionResult, execute_notebook

__all__ = ["LocalPool", "DaskPool", "open_pool"]


class LocalPool:
    """``workers`` processes on this machine, each with its own pre-started kernel.

    A worker that dies (whatever killed it) breaks the whole process pool: the pool is rebuilt and
    the notebooks that were in flight run again. Those lost twice run again one at a time, alone,
    so that only the notebook that kills its worker on its own is reported as such.
    """

    _RETRY, _ALONE = 1, 2

    def __init__(self, workers: int):
        self._workers = workers
        self._executor = self._new_executor()
        self._futures: dict[Future, tuple[ExecutionJob, int]] = {}
        self._suspects: list[ExecutionJob] = []

    @property
    def workers(self) -> int:
        """How many notebooks run at once."""
        return self._workers

    def _new_executor(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["autograder.grading.executor"])  # import once, fork each worker
        return ProcessPoolExecutor(max_workers=self._workers, mp_context=context)

    def submit(self, job: ExecutionJob, attempt: int = 0) -> None:
        self._futures[self._executor.submit(execute_notebook, job)] = (job, attempt)

    def results(self) -> Iterator[ExecutionResult]:
        while self._futures or self._suspects:
            if not self._futures:
                self.submit(self._suspects.pop(0), self._ALONE)
            done, _ = wait(list(self._futures), return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                self._futures.pop(future)
                yield result
            if broken:
                yield from self._rebuild()

    def _rebuild(self) -> Iterator[ExecutionResult]:
        """A new pool; the jobs lost with the old one run again (or fail when they ran alone)."""
        lost, self._futures = list(self._futures.values()), {}
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._new_executor()
        for job, attempt in lost:
            if attempt == self._ALONE:
                yield ExecutionResult(job.key, None, "the grading worker died while running this notebook "
                                      "(the submission killed its own grader, or ran it out of memory)", 0.0)
            elif attempt == self._RETRY:
                self._suspects.append(job)
            else:
                self.submit(job, self._RETRY)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


class DaskPool:
    """The workers of a Dask distributed scheduler; results come back to this process."""

    def __init__(self, address: str):
        from distributed import Client

        self._client = Client(address)
        self._futures: list = []

    @property
    def workers(self) -> int:
        """How many notebooks run at once (the scheduler's workers now)."""
        return max(1, len(self._client.scheduler_info().get("workers", {})))

    def submit(self, job: ExecutionJob) -> None:
        self._futures.append(self._client.submit(execute_notebook, job, pure=False))

    def results(self) -> Iterator[ExecutionResult]:
        from distributed import as_completed as dask_completed

        futures, self._futures = self._futures, []
        for future in dask_completed(futures):
            yield future.result()

    def close(self) -> None:
        self._client.close()


def open_pool(workers: int | None, scheduler: str | None) -> LocalPool | DaskPool:
    """A Dask pool when ``scheduler`` is given, else a local pool of ``workers`` (default: every core)."""
    if scheduler:
        return DaskPool(scheduler)
    return LocalPool(workers or os.cpu_count() or 1)
