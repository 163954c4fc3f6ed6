"""The timing detector: a bank of timers that lie (caught, every one) and timers that do not (never flagged)."""
from __future__ import annotations

import threading
import time
import timeit
from time import perf_counter

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from autograder.detectors import timing
from autograder.detectors.timing import (
    assert_times_correctly,
    find_timing_mistakes,
    record_timing,
)
from autograder.findings import AntiPatternError

from .banks.timing import per_call_sum_not_mean

pytestmark = pytest.mark.detectors


# --- timers that lie -----------------------------------------------------------------------------
def no_warmup(f, x, repeats):
    start = time.perf_counter()
    for _ in range(repeats):
        f(x).block_until_ready()
    return (time.perf_counter() - start) / repeats


def no_block(f, x, repeats):
    f(x).block_until_ready()
    start = time.perf_counter()
    for _ in range(repeats):
        f(x)
    return (time.perf_counter() - start) / repeats


def block_only_last(f, x, repeats):
    f(x).block_until_ready()
    start = time.perf_counter()
    for _ in range(repeats):
        y = f(x)
    y.block_until_ready()
    return (time.perf_counter() - start) / repeats


def block_after_clock_stops(f, x, repeats):
    f(x).block_until_ready()
    start = time.perf_counter()
    ys = [f(x) for _ in range(repeats)]
    elapsed = time.perf_counter() - start
    jax.block_until_ready(ys)
    return elapsed / repeats


def warmup_not_blocked(f, x, repeats):
    f(x)
    start = time.perf_counter()
    for _ in range(repeats):
        f(x).block_until_ready()
    return (time.perf_counter() - start) / repeats


def per_call_unblocked(f, x, repeats):
    f(x).block_until_ready()
    times = []
    for _ in range(repeats):
        t0 = time.time()
        f(x)
        times.append(time.time() - t0)
    return float(np.median(times))


def imported_clock_no_warmup(f, x, repeats):
    start = perf_counter()
    for _ in range(repeats):
        np.asarray(f(x))
    return (perf_counter() - start) / repeats


def never_times(f, x, repeats):
    for _ in range(repeats):
        f(x).block_until_ready()
    return 0.0


def timeit_without_block(f, x, repeats):
    f(x).block_until_ready()
    return timeit.timeit(lambda: f(x), number=repeats) / repeats


LIARS = [
    no_warmup,
    no_block,
    block_only_last,
    block_after_clock_stops,
    warmup_not_blocked,
    per_call_unblocked,
    imported_clock_no_warmup,
    never_times,
    timeit_without_block,
]


# --- honest timers -------------------------------------------------------------------------------
def honest_loop(f, x, repeats):
    f(x).block_until_ready()
    start = time.perf_counter()
    for _ in range(repeats):
        f(x).block_until_ready()
    return (time.perf_counter() - start) / repeats


def honest_per_call_median(f, x, repeats):
    jax.block_until_ready(f(x))
    times = []
    for _ in range(repeats):
        t0 = perf_counter()
        jax.block_until_ready(f(x))
        times.append(perf_counter() - t0)
    return float(np.median(times))


def honest_block_all_at_once(f, x, repeats):
    np.asarray(f(x))
    start = time.monotonic()
    ys = [f(x) for _ in range(repeats)]
    jax.block_until_ready(ys)
    return (time.monotonic() - start) / repeats


def honest_two_warmups_item(f, x, repeats):
    f(x)
    f(x).item()
    start = time.perf_counter_ns()
    for _ in range(repeats):
        jax.device_get(f(x))
    return (time.perf_counter_ns() - start) / 1e9 / repeats


def honest_timeit(f, x, repeats):
    f(x).block_until_ready()
    return timeit.timeit(lambda: f(x).block_until_ready(), number=repeats) / repeats


HONEST = [honest_loop, honest_per_call_median, honest_block_all_at_once, honest_two_warmups_item, honest_timeit]


@jax.jit
def _work(x):
    return jnp.sum(jnp.sin(x) ** 2)


X = np.arange(64.0, dtype=np.float32)  # a host array: importing this file must not start JAX


@pytest.mark.parametrize("timer", LIARS, ids=lambda t: t.__name__)
def test_every_lying_timer_is_caught(timer):
    findings = find_timing_mistakes(timer, _work, X, 3)
    assert findings and all(f.check == "timing" for f in findings)
    with pytest.raises(AntiPatternError, match=r"^\[anti-pattern: timing\]"):
        assert_times_correctly(timer, _work, X, 3)


@pytest.mark.parametrize("timer", HONEST, ids=lambda t: t.__name__)
def test_no_false_alarm_on_honest_timers(timer):
    assert find_timing_mistakes(timer, _work, X, 3) == []
    log = assert_times_correctly(timer, _work, X, 3)
    assert log.timed_calls == 3 and log.warmup_calls >= 1
    assert isinstance(log.returned, float) and log.returned >= 0


def test_the_message_points_at_the_learners_line():
    with pytest.raises(AntiPatternError) as err:
        assert_times_correctly(no_block, _work, X, 2)
    message = str(err.value)
    assert "asynchronous" in message and "block_until_ready" in message
    assert "f(x)" in message and "no_block()" in message


def test_clocks_are_restored_and_jax_internal_clock_reads_are_ignored():
    real = time.perf_counter, time.time, timeit.default_timer, timeit.Timer.__init__.__defaults__

    def compile_inside(f, x, repeats):
        g = jax.jit(lambda v: v * 2.0)  # JAX reads time.time() while compiling: not the learner's clock
        g(x).block_until_ready()
        return honest_loop(f, x, repeats)

    log = record_timing(compile_inside, _work, X, 2)
    assert log.clock_reads == 2 and log.timed_calls == 2
    assert (time.perf_counter, time.time, timeit.default_timer, timeit.Timer.__init__.__defaults__) == real
    assert perf_counter is real[0]


def test_results_still_behave_like_arrays():
    def returns_value(f, x, repeats):
        y = f(x)
        y.block_until_ready()
        start = time.perf_counter()
        z = f(x).block_until_ready()
        time.perf_counter()
        return float(z) + float(np.asarray(y)) + y.shape.count(0)

    log = record_timing(returns_value, _work, X, 1)
    assert log.returned == pytest.approx(2 * float(_work(X)))


def test_a_chain_of_calls_waited_for_at_the_end_is_honest():
    def chained(f, x, repeats):
        y = f(x)
        y.block_until_ready()
        start = time.perf_counter()
        for _ in range(repeats):
            y = f(y)
        y.block_until_ready()
        return (time.perf_counter() - start) / repeats

    double = jax.jit(lambda v: v * 1.0001)
    assert find_timing_mistakes(chained, double, X, 4) == []


def test_other_threads_reading_clocks_and_printing_never_count(capsys):
    """The kernel's output thread reads clocks and writes while a check runs: it must not matter."""
    stop = threading.Event()

    def busy_output_thread():
        while not stop.is_set():
            time.perf_counter()
            time.monotonic()
            print("output from another thread", time.time())

    thread = threading.Thread(target=busy_output_thread, daemon=True)
    thread.start()
    try:
        for _ in range(150):
            print("a cell printed something")
            log = assert_times_correctly(honest_loop, _work, X, 2)
            assert log.clock_reads == 2 and log.timed_calls == 2
    finally:
        stop.set()
        thread.join()
    capsys.readouterr()


def test_a_timer_returning_the_total_is_caught_and_the_mean_is_not():
    def total(f, x, repeats):
        f(x).block_until_ready()
        start = time.perf_counter()
        for _ in range(repeats):
            f(x).block_until_ready()
        return time.perf_counter() - start

    (finding,) = find_timing_mistakes(total, _work, X, 5)
    assert "total" in finding.what and "5" in finding.what
    assert find_timing_mistakes(total, _work, X, 5, returns=None) == []
    assert find_timing_mistakes(honest_loop, _work, X, 5) == []


def _busy_first_run(monkeypatch) -> list:
    """Make the first recording look as if every clock read had been held up for a second (a loaded
    machine), so that total and mean cannot be told apart from it."""
    real, runs = timing.record_timing, []

    def recorded(*args, **kwargs):
        log = real(*args, **kwargs)
        if not runs:
            for window in log.clock_windows:
                window[0] -= 1.0
                window[1] += 1.0
        runs.append(log)
        return log

    monkeypatch.setattr(timing, "record_timing", recorded)
    return runs


def test_a_busy_machine_cannot_hide_a_total_the_timer_is_run_again(monkeypatch):
    runs = _busy_first_run(monkeypatch)
    (finding,) = find_timing_mistakes(per_call_sum_not_mean, _work, X, 3)
    assert "total" in finding.what and len(runs) == 2


def test_a_busy_machine_never_turns_a_mean_into_a_total(monkeypatch):
    runs = _busy_first_run(monkeypatch)
    assert find_timing_mistakes(honest_loop, _work, X, 3) == [] and len(runs) == 2


def test_the_total_is_caught_every_time_while_another_thread_keeps_the_interpreter_busy():
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            sum(range(1000))

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        verdicts = [len(find_timing_mistakes(per_call_sum_not_mean, _work, X, 3)) for _ in range(20)]
    finally:
        stop.set()
        thread.join()
    assert verdicts == [1] * 20
