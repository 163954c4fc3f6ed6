"""Linear solves written the way learners write them, with and without the forbidden matrix inverse.

The exercise forbids ``jnp.linalg.inv``: a learner's own helper that happens to be called ``inv``
is judged by what it does, not by its name.
"""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl
from jax import lax

from autograder import assert_avoids_primitive

from . import Case

CHECKS = ("forbidden-primitive",)
A = jnp.eye(3) * 2.0 + 0.1
B = jnp.arange(3.0)


def FIND(fn, *args, **kwargs):
    """The sites of the forbidden inverse, as findings (via the assert, which builds the messages)."""
    try:
        assert_avoids_primitive(fn, *args, forbidden="inv", **kwargs)
    except AssertionError as err:
        return list(err.findings)
    return []


def ASSERT(fn, *args, **kwargs):
    __tracebackhide__ = True
    assert_avoids_primitive(fn, *args, forbidden="inv", **kwargs)


def _case(fn):
    return Case(fn, (A, B))


# --- clean -----------------------------------------------------------------------------------------
@jax.jit
def inv(a):
    """A learner's own helper named ``inv``: it solves, it does not invert."""
    return jnp.linalg.solve(a, jnp.eye(a.shape[0]))


def own_helper_named_inv(a, b):
    return inv(a) @ b


def plain_solve(a, b):
    return jnp.linalg.solve(a, b)


def cholesky_solve(a, b):
    factor = jsl.cho_factor(a @ a.T)
    return jsl.cho_solve(factor, a @ b)


def lu_solve(a, b):
    return jsl.lu_solve(jsl.lu_factor(a), b)


def solve_tuple_and_dict(a, b):
    x = jnp.linalg.solve(a, b)
    return {"x": x, "residual": (a @ x - b, jnp.linalg.norm(a @ x - b))}


class Solver:
    def __init__(self, a):
        self.a = a

    def __call__(self, b):
        return jnp.linalg.solve(self.a, b)


def method_solver(a, b):
    return Solver(a)(b)


def partial_solve(a, b):
    return functools.partial(jnp.linalg.solve, a)(b)


def jacobi_iterations(a, b):
    d = jnp.diag(a)
    return lax.fori_loop(0, 20, lambda i, x: (b - (a @ x - d * x)) / d, jnp.zeros_like(b))


def triangular_solve(a, b):
    return jsl.solve_triangular(jnp.triu(a), b)


def vmapped_solves(a, b):
    return jax.vmap(lambda col: jnp.linalg.solve(a, col), in_axes=1, out_axes=1)(jnp.stack([b, 2 * b], axis=1))


inv_from_a_lambda = jax.jit(lambda a: jnp.linalg.solve(a, jnp.eye(a.shape[0])))


def own_jitted_lambda_helper(a, b):
    return inv_from_a_lambda(a) @ b


class Linalg:
    @functools.partial(jax.jit, static_argnums=0)
    def inv(self, a):
        """A method named ``inv`` that factorises instead of inverting."""
        return jsl.cho_solve(jsl.cho_factor(a @ a.T), a)


def own_method_named_inv(a, b):
    return Linalg().inv(a).T @ b


CLEAN = [
    _case(own_jitted_lambda_helper), _case(own_method_named_inv),
    _case(own_helper_named_inv), _case(plain_solve), _case(cholesky_solve), _case(lu_solve),
    _case(solve_tuple_and_dict), _case(method_solver), _case(partial_solve), _case(jacobi_iterations),
    _case(triangular_solve), _case(vmapped_solves),
]


# --- offending -------------------------------------------------------------------------------------
def _inverse(a):
    return jnp.linalg.inv(a)  # MISTAKE


def inverse_in_helper(a, b):
    return _inverse(a) @ b


def inverse_in_comprehension(a, b):
    return sum(m @ b for m in [jnp.linalg.inv(a)])  # MISTAKE


class Model:
    def __init__(self, a):
        self.a = a

    def solve(self, b):
        return jnp.linalg.inv(self.a) @ b  # MISTAKE


def inverse_in_method(a, b):
    return Model(a).solve(b)


def inverse_in_loop_body(a, b):
    x = b
    for _ in range(2):
        x = jnp.linalg.inv(a) @ x  # MISTAKE
    return x


def inverse_in_scan(a, b):
    return lax.scan(lambda c, _: (jnp.linalg.inv(a) @ c, None), b, None, length=2)[0]  # MISTAKE


def inverse_in_dict(a, b):
    parts = {"inv": jnp.linalg.inv(a)}  # MISTAKE
    return parts["inv"] @ b


@jax.jit
def _jitted_inverse(a):
    return jnp.linalg.inv(a)  # MISTAKE


def inverse_in_jitted_helper(a, b):
    return _jitted_inverse(a) @ b


def inverse_via_partial(a, b):
    solve = functools.partial(lambda m, v: jnp.linalg.inv(m) @ v, a)  # MISTAKE
    return solve(b)


def inverse_in_vmap(a, b):
    return jax.vmap(lambda m: jnp.linalg.inv(m) @ b)(jnp.stack([a, a]))  # MISTAKE


def inverse_in_cond(a, b):
    return lax.cond(b.sum() > 0, lambda: jnp.linalg.inv(a) @ b, lambda: b)  # MISTAKE


inverse = jax.jit(jnp.linalg.inv)


def library_inverse_jitted_again(a, b):
    return inverse(a) @ b  # MISTAKE


def inverse_inside_own_jitted_inv(a, b):
    return _own_inv_calling_the_library(a) @ b


@jax.jit
def _own_inv_calling_the_library(a):
    return jnp.linalg.inv(a)  # MISTAKE


OFFENDING = [
    _case(library_inverse_jitted_again), _case(inverse_inside_own_jitted_inv),
    _case(inverse_in_helper), _case(inverse_in_comprehension), _case(inverse_in_method), _case(inverse_in_loop_body),
    _case(inverse_in_scan), _case(inverse_in_dict), _case(inverse_in_jitted_helper), _case(inverse_via_partial),
    _case(inverse_in_vmap), _case(inverse_in_cond),
]
