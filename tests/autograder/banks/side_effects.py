"""Traced functions written the way learners write them: staged output and pure code, or host side effects
that run once while JAX traces (hidden in helpers, methods, loop bodies and branches)."""
from __future__ import annotations

import functools
import logging
import sys

import jax
import jax.numpy as jnp
from jax import lax

from autograder import assert_no_trace_side_effects, find_trace_side_effects

from . import Case

FIND, ASSERT, CHECKS = find_trace_side_effects, assert_no_trace_side_effects, ("side-effect",)
X = jnp.arange(3.0)
LOG = logging.getLogger("learner.training")
LOG.setLevel(logging.WARNING)
HISTORY: list = []


def _case(fn, *extra, **kwargs):
    return Case(fn, (X, *extra), kwargs)


# --- clean -----------------------------------------------------------------------------------------
def debug_print_values(x):
    y = jnp.sin(x)
    jax.debug.print("y = {y}, sum = {s}", y=y, s=y.sum())
    return y


def print_static_shape(x):
    print("input shape:", x.shape, x.dtype)
    return x * 2


def debug_callback_logs(x):
    jax.debug.callback(lambda v: LOG.info("value %s", v), x.sum())
    return x + 1


def tuple_and_dict_results(x):
    return {"loss": jnp.sum(x ** 2), "parts": (x.min(), x.max())}


def scan_with_debug_print(x):
    def body(carry, v):
        jax.debug.print("carry {}", carry)
        return carry + v, carry

    return lax.scan(body, 0.0, x, unroll=2)


class Model:
    def __init__(self, scale):
        self.scale = scale
        self.calls = 0

    def __call__(self, x):
        return self.scale * jnp.tanh(x)


def method_reads_self(x):
    return Model(2.0)(x)


def local_list_in_loop(x):
    parts = []
    for k in range(3):
        parts.append(x * k)
    return jnp.stack(parts).sum(0)


def partial_static(x, power):
    return x ** power


@functools.partial(jax.jit, static_argnames="steps")
def jitted_static_argnames(x, steps=2):
    for _ in range(steps):
        x = x * 0.5
    return x


def log_outside_jit(x):
    return _logged_driver(x)


def _logged_driver(x):
    y = _pure_step(x)
    return y


@jax.jit
def _pure_step(x):
    return x - 0.1 * x


def params_pytree(x):
    params = {"w": jnp.ones(3), "b": jnp.zeros(())}
    return jax.tree_util.tree_map(lambda p: p * 0.5, params), x @ params["w"] + params["b"]


CLEAN = [
    _case(debug_print_values), _case(print_static_shape), _case(debug_callback_logs), _case(tuple_and_dict_results),
    _case(scan_with_debug_print), _case(method_reads_self), _case(local_list_in_loop),
    Case(functools.partial(partial_static, power=3), (X,), label="partial_static"), _case(jitted_static_argnames),
    _case(log_outside_jit), _case(params_pytree),
]


# --- offending -------------------------------------------------------------------------------------
def _report(v):
    print("value:", v)  # MISTAKE
    return v


def print_in_helper(x):
    return _report(x * 2)


def logging_below_level(x):
    LOG.debug("x = %s", x)  # MISTAKE
    return x + 1


class Tracker:
    def __init__(self):
        self.last = None

    def step(self, x):
        y = x * 2
        self.last = y  # MISTAKE
        return y


TRACKER = Tracker()


def stores_on_self(x):
    return TRACKER.step(x)


def append_to_global(x):
    y = jnp.cos(x)
    HISTORY.append(y)  # MISTAKE
    return y


def print_in_loop_body(x):
    def body(carry, v):
        print("step", carry)  # MISTAKE
        return carry + v, None

    return lax.scan(body, 0.0, x)[0]


def print_in_cond_branch(x):
    def big(v):
        print("big branch taken")  # MISTAKE
        return v * 2

    return lax.cond(x.sum() > 0, big, lambda v: v, x)


def fstring_of_traced(x):
    sys.stdout.write(f"x is {x}\n")  # MISTAKE
    return x


def comprehension_of_prints(x):
    return jnp.stack([_report(v) for v in (x, x + 1)])


def logging_info_module_level(x):
    logging.info("loss %s", jnp.sum(x))  # MISTAKE
    return x


@jax.jit
def _jitted_prints(x):
    print("in jit:", x)  # MISTAKE
    return x * 3


def print_in_jitted_helper(x):
    return _jitted_prints(x) + 1


def closure_cache(x):
    cache = {}

    def inner(v):
        cache["v"] = v  # MISTAKE
        return v + 1

    return _apply(inner, x), cache


def _apply(fn, x):
    return fn(x)


OFFENDING = [
    _case(print_in_helper), _case(logging_below_level), _case(stores_on_self), _case(append_to_global),
    _case(print_in_loop_body), _case(print_in_cond_branch), _case(fstring_of_traced), _case(comprehension_of_prints),
    _case(logging_info_module_level), _case(print_in_jitted_helper),
]
