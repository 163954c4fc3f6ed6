"""Array updates written the way learners write them: kept results, and ``.at[...]`` results thrown away."""
from __future__ import annotations

import functools

import jax.numpy as jnp
from jax import lax

from autograder import assert_no_discarded_updates, find_discarded_updates

from . import Case

FIND, ASSERT, CHECKS = find_discarded_updates, assert_no_discarded_updates, ("discarded-update",)
M = jnp.zeros((4, 3))


def _case(fn, *args, **kwargs):
    return Case(fn, args or (M,), kwargs)


# --- clean -----------------------------------------------------------------------------------------
def set_row_with_python_index(m, i, value):
    if i < 0:
        i = m.shape[0] + i
    return m.at[i].set(value)


def add_in_fori(m):
    return lax.fori_loop(0, m.shape[0], lambda i, acc: acc.at[i, 0].add(i), m)


def chained_updates(m):
    return m.at[0].set(1.0).at[-1].multiply(2.0).at[:, 1].add(3.0)


def tuple_and_dict_results(m):
    first = m.at[0].set(5.0)
    return {"first": first, "both": (first, m.at[1].set(6.0))}


class Board:
    def __init__(self, cells):
        self.cells = cells

    def place(self, r, c):
        self.cells = self.cells.at[r, c].set(1.0)
        return self


def method_keeps_result(m):
    return Board(m).place(1, 2).cells


def scatter_in_scan(m):
    def step(acc, i):
        return acc.at[i].add(1.0), None

    return lax.scan(step, m, jnp.arange(3), unroll=3)[0]


def partial_with_static_value(m, value):
    return m.at[:, 0].set(value)


def dynamic_update_slice_kept(m):
    return lax.dynamic_update_slice(m, jnp.ones((1, 3)), (2, 0))


def min_max_updates(m):
    return m.at[0].min(-1.0).at[1].max(4.0)


def helper_returns_update(m):
    return _bump(m, 2)


def _bump(m, k):
    return m.at[k].add(1.0)


CLEAN = [
    _case(set_row_with_python_index, M, -1, 2.0), _case(add_in_fori), _case(chained_updates),
    _case(tuple_and_dict_results), _case(method_keeps_result), _case(scatter_in_scan),
    Case(functools.partial(partial_with_static_value, value=7.0), (M,), label="partial_with_static_value"),
    _case(dynamic_update_slice_kept), _case(min_max_updates), _case(helper_returns_update),
]


# --- offending -------------------------------------------------------------------------------------
def _mark(m, i):
    m.at[i].set(1.0)  # MISTAKE
    return m


def discarded_in_helper(m):
    return _mark(m, 1)


def discarded_in_loop_body(m):
    for i in range(m.shape[0]):
        m.at[i, i % 3].set(1.0)  # MISTAKE
    return m


def discarded_in_comprehension(m):
    [m.at[i].add(1.0) for i in range(2)]  # MISTAKE
    return m


class Grid:
    def __init__(self, cells):
        self.cells = cells

    def clear(self, r):
        self.cells.at[r].set(0.0)  # MISTAKE
        return self.cells


def discarded_in_method(m):
    return Grid(m).clear(0)


def discarded_with_python_index(m, i):
    if i < 0:
        i = m.shape[0] + i
    m.at[i].multiply(2.0)  # MISTAKE
    return m


def discarded_in_fori(m):
    def body(i, acc):
        acc.at[i].add(1.0)  # MISTAKE
        return acc

    return lax.fori_loop(0, 3, body, m)


def discarded_dynamic_update_slice(m):
    lax.dynamic_update_slice(m, jnp.ones((1, 3)), (0, 0))  # MISTAKE
    return m


def wrong_variable_kept(m):
    out = m * 1
    new = m.at[0].set(9.0)  # MISTAKE
    del new
    return out


def discarded_in_tuple_result(m):
    m.at[:, 0].set(1.0)  # MISTAKE
    return m.sum(), m


def discarded_in_cond(m):
    def yes(a):
        a.at[0].set(1.0)  # MISTAKE
        return a

    return lax.cond(m.sum() >= 0, yes, lambda a: a, m)


OFFENDING = [
    _case(discarded_in_helper), _case(discarded_in_loop_body), _case(discarded_in_comprehension),
    _case(discarded_in_method), _case(discarded_with_python_index, M, -2), _case(discarded_in_fori),
    _case(discarded_dynamic_update_slice), _case(wrong_variable_kept), _case(discarded_in_tuple_result),
    _case(discarded_in_cond),
]
