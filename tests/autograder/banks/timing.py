"""Timers written the way learners write them: honest ones in many styles, and ones that lie quietly."""
from __future__ import annotations

import statistics
import time
import timeit
from datetime import datetime
from time import monotonic, perf_counter

import jax
import jax.numpy as jnp
import numpy as np

from autograder.detectors.timing import assert_times_correctly, find_timing_mistakes

from . import Case

FIND, ASSERT, CHECKS = find_timing_mistakes, assert_times_correctly, ("timing",)


@jax.jit
def _work(x):
    return jnp.sum(jnp.sin(x) ** 2)


@jax.jit
def _loss_and_grads(x):
    return jnp.sum(x ** 2), 2 * x


@jax.jit
def _stats(x):
    return {"mean": jnp.mean(x), "max": jnp.max(x)}


X = np.arange(64.0, dtype=np.float32)


def _case(timer, f=_work):
    return Case(timer, (f, X, 3))


# --- honest timers ---------------------------------------------------------------------------------
def unpacks_loss_and_grads(f, x, repeats):
    loss, grads = f(x)
    loss.block_until_ready()
    start = time.perf_counter()
    for _ in range(repeats):
        loss, grads = f(x)
        jax.block_until_ready((loss, grads))
    return (time.perf_counter() - start) / repeats


def float_of_each_result(f, x, repeats):
    float(f(x))
    total = 0.0
    for _ in range(repeats):
        t0 = perf_counter()
        value = float(f(x))
        total += perf_counter() - t0
    return total / repeats + 0.0 * value


def running_device_total(f, x, repeats):
    f(x).block_until_ready()
    start = monotonic()
    acc = 0.0
    for _ in range(repeats):
        acc = acc + f(x)
    acc.block_until_ready()
    return (monotonic() - start) / repeats


def datetime_clock(f, x, repeats):
    jax.block_until_ready(f(x))
    begin = datetime.now()
    for _ in range(repeats):
        f(x).block_until_ready()
    return (datetime.now() - begin).total_seconds() / repeats


def time_time_and_item(f, x, repeats):
    f(x).item()
    start = time.time()
    for _ in range(repeats):
        f(x).item()
    return (time.time() - start) / repeats


def dict_results(f, x, repeats):
    jax.block_until_ready(f(x))
    t0 = time.perf_counter_ns()
    for _ in range(repeats):
        out = f(x)
        out["mean"].block_until_ready()
        out["max"].block_until_ready()
    return (time.perf_counter_ns() - t0) * 1e-9 / repeats


class Stopwatch:
    """A learner's context manager around the clock."""

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.elapsed = time.perf_counter() - self.start


def context_manager_timer(f, x, repeats):
    f(x).block_until_ready()
    with Stopwatch() as watch:
        for _ in range(repeats):
            f(x).block_until_ready()
    return watch.elapsed / repeats


def timeit_repeat_best(f, x, repeats):
    f(x).block_until_ready()
    runs = timeit.repeat(lambda: f(x).block_until_ready(), number=1, repeat=repeats)
    return min(runs)


def mean_of_numpy_reads(f, x, repeats):
    np.asarray(f(x))
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        np.asarray(f(x))
        times.append(time.perf_counter() - t0)
    return statistics.mean(times)


def _run_once(f, x):
    return f(x).block_until_ready()


def helper_blocks(f, x, repeats):
    _run_once(f, x)
    start = time.perf_counter()
    for _ in range(repeats):
        _run_once(f, x)
    return (time.perf_counter() - start) / repeats


def indexes_and_tolist(f, x, repeats):
    f(x)[0].block_until_ready()
    start = time.perf_counter()
    for _ in range(repeats):
        f(x)[1].tolist()
    return (time.perf_counter() - start) / repeats


CLEAN = [
    _case(unpacks_loss_and_grads, _loss_and_grads), _case(float_of_each_result), _case(running_device_total),
    _case(datetime_clock), _case(time_time_and_item), _case(dict_results, _stats), _case(context_manager_timer),
    _case(timeit_repeat_best), _case(mean_of_numpy_reads), _case(helper_blocks),
    _case(indexes_and_tolist, _loss_and_grads),
]


# --- timers that lie -------------------------------------------------------------------------------
def _call(f, x):
    return f(x)  # MISTAKE


def helper_forgets_to_block(f, x, repeats):
    f(x).block_until_ready()
    start = time.perf_counter()
    for _ in range(repeats):
        _call(f, x)
    return (time.perf_counter() - start) / repeats


def comprehension_unblocked(f, x, repeats):
    f(x).block_until_ready()
    start = time.perf_counter()
    results = [f(x) for _ in range(repeats)]  # MISTAKE
    elapsed = time.perf_counter() - start
    jax.block_until_ready(results)
    return elapsed / repeats


class Bench:
    """A learner's benchmark class whose run method forgets the wait."""

    def __init__(self, f, x):
        self.f, self.x = f, x

    def run(self):
        return self.f(self.x)  # MISTAKE


def method_unblocked(f, x, repeats):
    bench = Bench(f, x)
    bench.run().block_until_ready()
    start = time.perf_counter()
    for _ in range(repeats):
        bench.run()
    return (time.perf_counter() - start) / repeats


def returns_total(f, x, repeats):
    f(x).block_until_ready()
    start = time.perf_counter()
    for _ in range(repeats):
        f(x).block_until_ready()
    return time.perf_counter() - start  # MISTAKE


def per_call_sum_not_mean(f, x, repeats):
    f(x).block_until_ready()
    total = 0.0
    for _ in range(repeats):
        t0 = perf_counter()
        f(x).block_until_ready()
        total += perf_counter() - t0  # MISTAKE
    return total


def datetime_without_warmup(f, x, repeats):
    begin = datetime.now()  # MISTAKE
    for _ in range(repeats):
        f(x).block_until_ready()
    return (datetime.now() - begin).total_seconds() / repeats


def warmup_unpacked_not_waited(f, x, repeats):
    loss, grads = f(x)  # MISTAKE
    start = time.perf_counter()
    for _ in range(repeats):
        jax.block_until_ready(f(x))
    return (time.perf_counter() - start) / repeats


def blocks_the_input(f, x, repeats):
    x = jnp.asarray(x)
    f(x).block_until_ready()
    start = time.perf_counter()
    for _ in range(repeats):
        f(x)  # MISTAKE
        x.block_until_ready()
    return (time.perf_counter() - start) / repeats


def loop_body_reads_clock_before_wait(f, x, repeats):
    f(x).block_until_ready()
    times = []
    for _ in range(repeats):
        t0 = time.monotonic()
        y = f(x)  # MISTAKE
        times.append(time.monotonic() - t0)
        y.block_until_ready()
    return sum(times) / repeats


def timeit_statement_unblocked(f, x, repeats):
    f(x).block_until_ready()
    return timeit.timeit(lambda: f(x), number=repeats) / repeats  # MISTAKE


def no_warmup_in_helper(f, x, repeats):
    return _timed_loop(f, x, repeats)


def _timed_loop(f, x, repeats):
    start = time.perf_counter()  # MISTAKE
    for _ in range(repeats):
        f(x).block_until_ready()
    return (time.perf_counter() - start) / repeats


OFFENDING = [
    _case(helper_forgets_to_block), _case(comprehension_unblocked), _case(method_unblocked),
    _case(returns_total), _case(per_call_sum_not_mean), _case(datetime_without_warmup),
    _case(warmup_unpacked_not_waited, _loss_and_grads), _case(blocks_the_input),
    _case(loop_body_reads_clock_before_wait), _case(timeit_statement_unblocked), _case(no_warmup_in_helper),
]
