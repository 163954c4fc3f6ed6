"""Where notebooks execute: a local pool of worker processes, or a Dask distributed cluster."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Iterator

from .executor import ExecutionJob, ExecutionResult, execute_notebook

__all__ = ["LocalPool", "DaskPool", "open_pool"]


class LocalPool:
    """``workers`` processes on this machine, each with its own pre-started kernel."""

    def __init__(self, workers: int):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["autograder.grading.executor"])  # import once, fork each worker
        self._executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        self._futures: list[Future] = []

    def submit(self, job: ExecutionJob) -> None:
        self._futures.append(self._executor.submit(execute_notebook, job))

    def results(self) -> Iterator[ExecutionResult]:
        futures, self._futures = self._futures, []
        for future in as_completed(futures):
            yield future.result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


class DaskPool:
    """The workers of a Dask distributed scheduler; results come back to this process."""

    def __init__(self, address: str):
        from distributed import Client

        self._client = Client(address)
        self._futures: list = []

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
