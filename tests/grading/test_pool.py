"""The local pool survives a worker that dies: it is rebuilt and the lost notebooks run again."""
from __future__ import annotations

import os
import signal
import threading
import time

import nbformat

from autograder.grading.pool import LocalPool
from autograder.grading.executor import ExecutionJob


def _job(key: str, code: str) -> ExecutionJob:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return ExecutionJob(key=key, notebook=nbformat.writes(nb), timeout=120, config={})


def _kill_a_worker_when_busy(pool: LocalPool, marker: str) -> None:
    deadline = time.time() + 90
    while time.time() < deadline and not os.path.exists(marker):
        time.sleep(0.2)
    os.kill(next(iter(pool._executor._processes)), signal.SIGKILL)


def test_a_dead_worker_is_replaced_and_no_notebook_is_lost(tmp_path):
    marker = str(tmp_path / "started")
    pool = LocalPool(2)
    try:
        # the marker is written by the test's own thread, once the slow notebook has had time to start
        slow = _job("a/s1/slow", "import time\ntime.sleep(6)\nprint('slow done')")
        fast = _job("a/s2/fast", "print('fast done')")
        pool.submit(slow)
        pool.submit(fast)
        threading.Timer(4, lambda: open(marker, "w").close()).start()
        killer = threading.Thread(target=_kill_a_worker_when_busy, args=(pool, marker))
        killer.start()
        results = {r.key: r for r in pool.results()}
        killer.join()
    finally:
        pool.close()
    assert set(results) == {"a/s1/slow", "a/s2/fast"}
    for result in results.values():
        assert result.error is None, result.error
    assert "slow done" in results["a/s1/slow"].notebook


def test_only_jobs_with_a_next_notebook_start_a_kernel_ahead():
    from autograder.grading.batch import _last_without_next_kernel

    jobs = [_job(f"a/s{i}/nb", "1") for i in range(5)]
    out = list(_last_without_next_kernel(iter(jobs), workers=2))
    assert [j.key for j in out] == [j.key for j in jobs]
    assert [j.next_kernel for j in out] == [True, True, True, False, False]
    few = [_job("a/s/nb", "1")]
    assert [j.next_kernel for j in _last_without_next_kernel(few, workers=2)] == [False]
