"""Matrix-free code written the way learners write it, and code that quietly builds an n x n matrix."""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
from jax import lax

from autograder import assert_max_intermediate_size, find_large_intermediates

from . import Case

FIND, ASSERT, CHECKS = find_large_intermediates, assert_max_intermediate_size, ("memory",)
N = 256
BUDGET = 64 * 1024  # an N x N float32 matrix is 256 KiB; vectors are 1 KiB
A = jnp.ones((N, N // 2)) / N  # a tall input: only its transpose and its products appear
X = jnp.linspace(0.0, 1.0, N)
V = jnp.ones(N)


def _energy(x):
    return jnp.sum(jnp.sin(x) * x ** 2)


def _case(fn, *args):
    return Case(fn, args or (X, V), {"max_bytes": BUDGET})


# --- clean -----------------------------------------------------------------------------------------
def normal_equations_matrix_free(a, r):
    return a.T @ r, (a.T @ (a @ (a.T @ r)))


def hvp_forward_over_reverse(x, v):
    return jax.jvp(jax.grad(_energy), (x,), (v,))[1]


def hvp_reverse_over_reverse(x, v):
    return jax.grad(lambda y: jnp.vdot(jax.grad(_energy)(y), v))(x)


def jvp_and_vjp_pair(x, v):
    out, tangent = jax.jvp(jnp.tanh, (x,), (v,))
    _, pull = jax.vjp(jnp.cumsum, x)
    return {"out": out, "jvp": tangent, "vjp": pull(v)[0]}


def outer_product_reassociated(x, v):
    return x * (x @ v)


def pairwise_in_chunks(x, v):
    rows = lax.map(lambda xi: jnp.sum(jnp.exp(-(xi - x) ** 2)), x)
    return rows * v


class Quadratic:
    def __init__(self, scale):
        self.scale = scale

    def hvp(self, x, v):
        return jax.jvp(jax.grad(lambda y: self.scale * _energy(y)), (x,), (v,))[1]


def method_hvp(x, v):
    return Quadratic(2.0).hvp(x, v)


def scan_with_unroll(x, v):
    def step(c, xv):
        xi, vi = xv
        return c + xi * vi, c

    return lax.scan(step, 0.0, (x, v), unroll=4)


def _diag_hessian(f, x):
    return jax.vmap(lambda e: jnp.vdot(e, jax.jvp(jax.grad(f), (x,), (e,))[1]))(jnp.eye(4, N))


def hutchinson_probes(x, v):
    return _diag_hessian(_energy, x).sum() + v


def transpose_of_input_only(a, r):
    return jnp.linalg.norm(a.T @ r) + jnp.sum(a.T[0])


CLEAN = [
    _case(normal_equations_matrix_free, A, V), _case(hvp_forward_over_reverse), _case(hvp_reverse_over_reverse),
    _case(jvp_and_vjp_pair), _case(outer_product_reassociated), _case(pairwise_in_chunks), _case(method_hvp),
    _case(scan_with_unroll), _case(hutchinson_probes), _case(transpose_of_input_only, A, V),
]


# --- offending -------------------------------------------------------------------------------------
def _full_hessian(f, x):
    return jax.hessian(f)(x)  # MISTAKE


def hessian_in_helper(x, v):
    return _full_hessian(_energy, x) @ v


def gram_matrix_of_input(a, r):
    gram = a @ a.T  # MISTAKE
    return gram @ r


def jacfwd_times_vector(x, v):
    return jax.jacfwd(jnp.cumsum)(x) @ v  # MISTAKE


def jacrev_in_dict(x, v):
    jac = {"j": jax.jacrev(jnp.tanh)(x)}  # MISTAKE
    return v @ jac["j"]


def pairwise_comprehension(x, v):
    rows = [jnp.exp(-(x[:, None] - x[None, :]) ** 2)]  # MISTAKE
    return sum(r.sum(1) for r in rows) * v


class Model:
    def curvature(self, x):
        return jax.hessian(_energy)(x)  # MISTAKE


def hessian_in_method(x, v):
    return Model().curvature(x) @ v


def outer_in_loop_body(x, v):
    total = 0.0
    for k in range(2):
        total = total + jnp.outer(x, v * k) @ v  # MISTAKE
    return total


def eye_scaled(x, v):
    return (jnp.eye(N) * x) @ v  # MISTAKE


def outer_in_scan(x, v):
    return lax.scan(lambda c, xi: (c + jnp.sum(jnp.outer(x, v) * xi), None), 0.0, x[:4])[0]  # MISTAKE


def hessian_partial(x, v, *, f):
    return jax.hessian(f)(x) @ v  # MISTAKE


OFFENDING = [
    _case(hessian_in_helper), _case(gram_matrix_of_input, A, V[: N]), _case(jacfwd_times_vector),
    _case(jacrev_in_dict), _case(pairwise_comprehension), _case(hessian_in_method), _case(outer_in_loop_body),
    _case(eye_scaled), _case(outer_in_scan),
    Case(functools.partial(hessian_partial, f=_energy), (X, V), {"max_bytes": BUDGET}, label="hessian_partial"),
]
