"""Loops written the way learners write them: traced once (lax loops, static counts) or unrolled by Python."""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
from jax import lax

from autograder import assert_no_unrolled_loop, find_unrolled_loop

from . import Case

FIND, ASSERT, CHECKS = find_unrolled_loop, assert_no_unrolled_loop, ("unrolled-loop",)


def _seq(n):
    return (jnp.linspace(0.0, 1.0, n),)


def _case(fn, make_args=_seq, **kwargs):
    return Case(fn, (make_args,), kwargs)


# --- clean -----------------------------------------------------------------------------------------
def scan_running_sum(xs):
    return lax.scan(lambda c, x: (c + x, c), 0.0, xs)


def scan_with_unroll(xs):
    return lax.scan(lambda c, x: (c * 0.9 + x, c), 0.0, xs, unroll=2)[0]


def fori_over_length(xs):
    return lax.fori_loop(0, xs.shape[0], lambda i, acc: acc + xs[i] ** 2, 0.0)


def fixed_number_of_layers(xs):
    h = xs
    for scale in (0.5, 2.0, 1.5):  # three layers, whatever the length
        h = jnp.tanh(h * scale)
    return h


def tuple_carry_scan(xs):
    def step(carry, x):
        total, count = carry
        return (total + x, count + 1), None

    (total, count), _ = lax.scan(step, (0.0, 0), xs)
    return total / count


def dict_carry_fori(xs):
    def body(i, state):
        return {"sum": state["sum"] + xs[i], "max": jnp.maximum(state["max"], xs[i])}

    return lax.fori_loop(0, xs.shape[0], body, {"sum": 0.0, "max": -jnp.inf})


def while_loop_until(xs):
    return lax.while_loop(lambda s: s[0] < xs.shape[0], lambda s: (s[0] + 1, s[1] + xs[s[0]]), (0, 0.0))[1]


def vectorised_cumsum(xs):
    return jnp.cumsum(xs) * jnp.exp(-xs)


def associative_scan(xs):
    return lax.associative_scan(jnp.add, xs)


class Rnn:
    def __init__(self, decay):
        self.decay = decay

    def run(self, xs):
        return lax.scan(lambda h, x: (jnp.tanh(self.decay * h + x),) * 2, 0.0, xs)[1]


def method_scan(xs):
    return Rnn(0.5).run(xs)


def partial_steps(xs, steps):
    return lax.fori_loop(0, steps, lambda i, v: v * 0.5, xs)


CLEAN = [
    _case(scan_running_sum), _case(scan_with_unroll), _case(fori_over_length), _case(fixed_number_of_layers),
    _case(tuple_carry_scan), _case(dict_carry_fori), _case(while_loop_until), _case(vectorised_cumsum),
    _case(associative_scan), _case(method_scan),
    Case(functools.partial(partial_steps, steps=5), (_seq,), label="partial_steps"),
]


# --- offending -------------------------------------------------------------------------------------
def _accumulate(xs):
    total = 0.0
    for i in range(xs.shape[0]):
        total = total + jnp.sin(xs[i])  # MISTAKE
    return total


def loop_in_helper(xs):
    return _accumulate(xs) * 2


def comprehension_stack(xs):
    return jnp.stack([xs[i] * xs[i - 1] for i in range(len(xs))])  # MISTAKE


def iterate_over_array(xs):
    h = 0.0
    for x in xs:  # MISTAKE (iterating over the array)
        h = jnp.tanh(0.5 * h + x)  # MISTAKE
    return h


class Filter:
    def apply(self, xs):
        out = xs
        for t in range(1, xs.shape[0]):
            out = out.at[t].set(0.9 * out[t - 1] + xs[t])  # MISTAKE
        return out


def loop_in_method(xs):
    return Filter().apply(xs)


def python_while(xs):
    i, acc = 0, 1.0
    while i < xs.shape[0]:
        acc = acc * (1 + xs[i])  # MISTAKE
        i += 1
    return acc


def generator_sum(xs):
    return sum(jnp.exp(x) for x in xs)  # MISTAKE


def tuple_results_loop(xs):
    lo, hi = xs[0], xs[0]
    for i in range(1, xs.shape[0]):
        lo, hi = jnp.minimum(lo, xs[i]), jnp.maximum(hi, xs[i])  # MISTAKE
    return lo, hi


@jax.jit
def jitted_loop(xs):
    y = xs
    for _ in range(xs.shape[0]):
        y = jnp.roll(y, 1) + 1.0  # MISTAKE
    return y


def loop_inside_scan_body(xs):
    def step(c, x):
        for k in range(xs.shape[0]):
            c = c + x * k  # MISTAKE
        return c, None

    return lax.scan(step, 0.0, xs[:2])[0]


def dict_of_partials(xs):
    parts = {}
    for i in range(xs.shape[0]):
        parts[i] = xs[i] ** 2  # MISTAKE
    return sum(parts.values())


OFFENDING = [
    _case(loop_in_helper), _case(comprehension_stack), _case(iterate_over_array), _case(loop_in_method),
    _case(python_while), _case(generator_sum), _case(tuple_results_loop), _case(jitted_loop),
    _case(loop_inside_scan_body), _case(dict_of_partials),
]
