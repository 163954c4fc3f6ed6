"""A running mean the exercise asks to write with ``lax.scan``: scans in many styles, and equivalent code
that never scans (the finding points at the function's definition)."""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
from jax import lax

from autograder import assert_uses_primitive

from . import Case

CHECKS = ("required-primitive",)
X = jnp.arange(1.0, 7.0)


def FIND(fn, *args, **kwargs):
    """The finding of a missing scan (via the assert, which builds the message)."""
    try:
        assert_uses_primitive(fn, *args, required="scan", **kwargs)
    except AssertionError as err:
        return list(err.findings)
    return []


def ASSERT(fn, *args, **kwargs):
    __tracebackhide__ = True
    assert_uses_primitive(fn, *args, required="scan", **kwargs)


def _case(fn):
    return Case(fn, (X,))


# --- clean -----------------------------------------------------------------------------------------
def scan_tuple_carry(xs):
    def step(carry, x):
        total, n = carry
        return (total + x, n + 1), (total + x) / (n + 1)

    return lax.scan(step, (0.0, 0.0), xs)[1]


def scan_dict_carry(xs):
    def step(state, x):
        state = {"sum": state["sum"] + x, "n": state["n"] + 1}
        return state, state["sum"] / state["n"]

    return lax.scan(step, {"sum": 0.0, "n": 0.0}, xs)[1]


def scan_with_unroll(xs):
    return lax.scan(lambda c, x: (c + x, c + x), 0.0, xs, unroll=3)[1] / jnp.arange(1, xs.shape[0] + 1)


def scan_reverse_then_flip(xs):
    return lax.scan(lambda c, x: (c + x, c + x), 0.0, xs[::-1], reverse=True)[1][::-1] / jnp.arange(1, 7)


def _step(carry, x):
    return carry + x, carry + x


def scan_of_helper(xs):
    return lax.scan(_step, 0.0, xs)[1] / jnp.arange(1, xs.shape[0] + 1)


class RunningMean:
    def __init__(self, start):
        self.start = start

    def __call__(self, xs):
        return lax.scan(self.step, (self.start, 0.0), xs)[1]

    def step(self, carry, x):
        total, n = carry
        return (total + x, n + 1), (total + x) / (n + 1)


def method_scan(xs):
    return RunningMean(0.0)(xs)


def partial_scan(xs, decay):
    return lax.scan(functools.partial(lambda d, c, x: (d * c + x, d * c + x), decay), 0.0, xs)[1]


def fori_loop_static_bounds(xs):
    def body(i, state):
        total, out = state
        total = total + xs[i]
        return total, out.at[i].set(total / (i + 1))

    return lax.fori_loop(0, xs.shape[0], body, (0.0, jnp.zeros_like(xs)))[1]


@jax.jit
def jitted_scan_with_debug(xs):
    def step(c, x):
        jax.debug.print("c {}", c)
        return c + x, c + x

    return lax.scan(step, 0.0, xs)[1]


def scan_without_xs(xs):
    return lax.scan(lambda c, _: (c + 1.0, c), 0.0, None, length=xs.shape[0])[1] + xs


CLEAN = [
    _case(scan_tuple_carry), _case(scan_dict_carry), _case(scan_with_unroll), _case(scan_reverse_then_flip),
    _case(scan_of_helper), _case(method_scan),
    Case(functools.partial(partial_scan, decay=0.5), (X,), label="partial_scan"),
    _case(fori_loop_static_bounds), _case(jitted_scan_with_debug), _case(scan_without_xs),
]


# --- offending (equivalent numbers, no scan) -------------------------------------------------------
def cumsum_divided(xs):  # MISTAKE
    return jnp.cumsum(xs) / jnp.arange(1, xs.shape[0] + 1)


def python_loop(xs):  # MISTAKE
    out, total = [], 0.0
    for i in range(xs.shape[0]):
        total = total + xs[i]
        out.append(total / (i + 1))
    return jnp.stack(out)


def comprehension_of_means(xs):  # MISTAKE
    return jnp.stack([xs[: i + 1].mean() for i in range(xs.shape[0])])


def associative_scan_instead(xs):  # MISTAKE
    return lax.associative_scan(jnp.add, xs) / jnp.arange(1, xs.shape[0] + 1)


def while_loop_instead(xs):  # MISTAKE
    def body(state):
        i, total, out = state
        total = total + xs[i]
        return i + 1, total, out.at[i].set(total / (i + 1))

    return lax.while_loop(lambda s: s[0] < xs.shape[0], body, (0, 0.0, jnp.zeros_like(xs)))[2]


def triangular_matmul(xs):  # MISTAKE
    weights = jnp.tril(jnp.ones((xs.shape[0], xs.shape[0])))
    return weights @ xs / weights.sum(1)


class NoScan:
    def __call__(self, xs):  # MISTAKE
        return jnp.cumsum(xs) / (jnp.arange(xs.shape[0]) + 1)


def method_without_scan(xs):  # MISTAKE
    return NoScan()(xs)


def vmap_of_prefix_means(xs):  # MISTAKE
    mask = jnp.arange(xs.shape[0])[None, :] <= jnp.arange(xs.shape[0])[:, None]
    return jax.vmap(lambda m: jnp.sum(xs, where=m) / m.sum())(mask)


def dict_of_cumsums(xs):  # MISTAKE
    parts = {"sum": jnp.cumsum(xs), "n": jnp.arange(1.0, xs.shape[0] + 1)}
    return parts["sum"] / parts["n"]


@jax.jit
def jitted_cumsum(xs):  # MISTAKE
    return jnp.cumsum(xs) / jnp.arange(1, xs.shape[0] + 1)


OFFENDING = [
    _case(cumsum_divided), _case(python_loop), _case(comprehension_of_means), _case(associative_scan_instead),
    _case(while_loop_instead), _case(triangular_matmul), _case(method_without_scan), _case(vmap_of_prefix_means),
    _case(dict_of_cumsums), _case(jitted_cumsum),
]
