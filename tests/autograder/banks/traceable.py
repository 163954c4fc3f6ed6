"""Functions that jax.jit can trace, in many styles, and ones that stop the trace (the error hidden in a
helper, a method, a comprehension or a loop body)."""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from autograder import assert_traceable, find_untraceable

from . import Case

FIND, ASSERT, CHECKS = find_untraceable, assert_traceable, ("not-traceable",)
X = jnp.array([-2.0, -1.0, 0.5, 1.0, 2.0])
VALUES = [1.0, 2.0, 3.0]


def _case(fn, *args, **kwargs):
    return Case(fn, args or (X,), kwargs)


# --- clean -----------------------------------------------------------------------------------------
def where_instead_of_if(x):
    return jnp.where(x > 0, x, 0.1 * x)


def cond_on_a_sum(x):
    return lax.cond(x.sum() > 0, lambda v: v * 2, lambda v: -v, x)


def static_count_argument(x, n):
    for _ in range(n):
        x = jnp.sin(x)
    return x


def masked_statistics(x):
    mask = x > 0
    return {"mean": jnp.sum(x, where=mask) / jnp.maximum(mask.sum(), 1), "count": mask.sum()}


def nonzero_with_size(x):
    (idx,) = jnp.nonzero(x > 0, size=x.shape[0], fill_value=0)
    return idx, x[idx]


def index_an_array_of_values(x, i):
    return jnp.asarray(VALUES)[i] * x


class Clipper:
    def __init__(self, limit):
        self.limit = limit

    def __call__(self, x):
        return jnp.clip(x, -self.limit, self.limit)


def method_with_python_state(x):
    return Clipper(1.5)(x)


def shape_based_python_if(x):
    if x.ndim == 1 and x.shape[0] > 3:  # shapes are static
        return x[:3]
    return x


def fori_over_traced_count(x, n):
    return lax.fori_loop(0, n, lambda i, v: v * 0.5, x)


def scan_unroll_debug_print(x):
    def step(c, v):
        jax.debug.print("c {}", c)
        return c + v, c

    return lax.scan(step, 0.0, x, unroll=2)


CLEAN = [
    _case(where_instead_of_if), _case(cond_on_a_sum), _case(static_count_argument, X, 3, static_argnums=1),
    _case(masked_statistics), _case(nonzero_with_size), _case(index_an_array_of_values, X, jnp.asarray(1)),
    _case(method_with_python_state), _case(shape_based_python_if), _case(fori_over_traced_count, X, jnp.asarray(3)),
    _case(scan_unroll_debug_print),
    Case(functools.partial(static_count_argument, n=2), (X,), label="partial_static_count"),
]


# --- offending -------------------------------------------------------------------------------------
def _leaky_relu(v):
    if v.sum() > 0:  # MISTAKE
        return v
    return 0.1 * v


def if_in_helper(x):
    return _leaky_relu(x)


def float_of_traced(x):
    scale = float(x.max())  # MISTAKE
    return x / scale


def range_of_traced_count(x, n):
    for _ in range(n):  # MISTAKE
        x = x * 2
    return x


def boolean_mask_select(x):
    return x[x > 0].sum()  # MISTAKE


def numpy_on_traced(x):
    return np.sin(x) + 1  # MISTAKE


def nonzero_without_size(x):
    return jnp.nonzero(x > 0)[0]  # MISTAKE


def list_index_by_traced(x, i):
    return VALUES[i] * x  # MISTAKE


class Gate:
    def __call__(self, x):
        return x if x.mean() > 0 else -x  # MISTAKE


def if_in_method(x):
    return Gate()(x)


def item_in_comprehension(x):
    return jnp.stack([v * x.max().item() for v in x])  # MISTAKE


def while_on_traced_in_loop_body(x):
    for _ in range(2):
        while x.max() > 1.0:  # MISTAKE
            x = x / 2
    return x


def zeros_of_traced_size(x, n):
    return jnp.zeros(n) + x.sum()  # MISTAKE


OFFENDING = [
    _case(if_in_helper), _case(float_of_traced), _case(range_of_traced_count, X, 3), _case(boolean_mask_select),
    _case(numpy_on_traced), _case(nonzero_without_size), _case(list_index_by_traced, X, 1), _case(if_in_method),
    _case(item_in_comprehension), _case(while_on_traced_in_loop_body), _case(zeros_of_traced_size, X, 3),
]
