"""Bank for host side effects at trace time (print, console writes, logging, leaked tracers)."""
import logging
import sys

import jax
import jax.numpy as jnp
import pytest
from jax import lax

from autograder import AntiPatternError, assert_no_trace_side_effects, find_trace_side_effects

pytestmark = pytest.mark.detectors
X = jnp.arange(3.0)
SAVED = []
CACHE = {}


def bad_print(x):
    y = x * 2
    print("y =", y)  # <- effect
    return y


@jax.jit
def bad_print_shape_jitted(x):
    print(f"shape: {x.shape}")  # <- effect
    return x.sum()


def bad_print_in_scan(x):
    def body(carry, row):
        print(carry)  # <- effect
        return carry + row, carry

    return lax.scan(body, x, jnp.ones((4, 3)))[0]


def bad_print_in_cond(x):
    def big(v):
        print("big branch")  # <- effect
        return v * 2

    return lax.cond(x.sum() > 0, big, lambda v: v, x)


def bad_logging(x):
    logging.warning("loss is %s", x.sum())  # <- effect
    return x


def bad_append_global(x):
    y = jnp.tanh(x)
    SAVED.append(y)  # <- effect
    return y


def bad_global_dict(x):
    CACHE["mean"] = x.mean()  # <- effect
    return x - 1


def bad_stdout_write(x):
    sys.stdout.write("tracing...\n")  # <- effect
    return x


def bad_print_in_jitted_helper(x):
    return helper_that_prints(x) + 1


@jax.jit
def helper_that_prints(x):
    print(x)  # <- effect
    return x * 3


OFFENDING = [bad_print, bad_print_in_scan, bad_print_in_cond, bad_logging,
             bad_append_global, bad_global_dict, bad_print_in_jitted_helper]


def good_debug_print(x):
    y = x * 2
    jax.debug.print("y = {}", y)
    return y


def good_debug_callback(x):
    jax.debug.callback(lambda v: print("value", v), x)
    return x + 1


def good_pure(x):
    return jnp.sin(x) * 2


def good_local_list(x):
    parts = []
    for i in range(3):
        parts.append(x * i)
    return jnp.stack(parts).sum(0)


@jax.jit
def _clean_step(x):
    return x * 0.5


def train_loop(x, steps):
    """A Python driver: its print is outside traced code; the traced step is what is checked."""
    for _ in range(steps):
        x = _clean_step(x)
    print("done")
    return x


def good_debug_print_in_scan(x):
    def body(carry, row):
        jax.debug.print("carry {}", carry)
        return carry + row, carry

    return lax.scan(body, x, jnp.ones((4, 3)))[0]


def good_static_python_arg(x, n=3):
    for _ in range(n):
        x = x * 2
    return x


# Static output of the function's own body says something true: deliberately not reported.
CLEAN = [bad_print_shape_jitted, bad_stdout_write, good_debug_print, good_debug_callback, good_pure, good_local_list, _clean_step,
         good_debug_print_in_scan, good_static_python_arg]


@pytest.mark.parametrize("fn", OFFENDING, ids=lambda f: f.__name__)
def test_offending_is_caught(fn):
    findings = find_trace_side_effects(fn, X)
    assert findings, fn.__name__
    assert {f.check for f in findings} == {"side-effect"}
    where = findings[0].where
    assert where is not None and where.file == __file__
    assert "# <- effect" in where.code


@pytest.mark.parametrize("fn", CLEAN, ids=lambda f: f.__name__)
def test_clean_passes(fn):
    assert find_trace_side_effects(fn, X) == []


def test_print_message_teaches_debug_print():
    (finding,) = find_trace_side_effects(bad_print, X)
    assert "jax.debug.print" in finding.fix
    assert "once" in finding.why


def test_seen_again_after_the_function_was_already_traced():
    bad_print_in_jitted_helper(X)  # cached by JAX now
    assert find_trace_side_effects(bad_print_in_jitted_helper, X)
    assert find_trace_side_effects(bad_print_in_jitted_helper, X)  # and a second time


def test_print_is_restored_and_silenced(capsys):
    import builtins

    before = builtins.print
    find_trace_side_effects(bad_print, X)
    assert builtins.print is before
    assert capsys.readouterr().out == ""


def test_untraceable_function_is_left_to_traceable():
    def branches(x):
        print("start", x)  # <- effect
        if x.sum() > 0:
            return x
        return -x

    (finding,) = find_trace_side_effects(branches, X)
    assert "a traced float32[3] array" in finding.what
    assert "# <- effect" in finding.where.code


def test_assert_raises_with_tag():
    with pytest.raises(AntiPatternError, match=r"^\[anti-pattern: side-effect\]"):
        assert_no_trace_side_effects(bad_print, X)
