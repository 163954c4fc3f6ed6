"""Shared weights used the way learners use them, and weights copied once per example (often hidden)."""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from autograder import assert_no_replicated_args, find_replicated_args

from . import Case

FIND, ASSERT, CHECKS = find_replicated_args, assert_no_replicated_args, ("replicated-weights",)
B, D, K = 5, 3, 4
XS = jnp.ones((B, D))
W = jnp.ones((D, K)) / D
PARAMS = {"w": W, "b": jnp.zeros(K)}
FILL = jnp.full(D, 0.5)
MASK = jnp.array([True, False, True, True, False])


def _case(fn, weights=W, *extra):
    return Case(fn, (XS, weights, *extra), {"batch_size": B, "unbatched_argnums": 1})


def _predict(x, w):
    return jnp.tanh(x @ w)


# --- clean -----------------------------------------------------------------------------------------
def vmap_shared(xs, w):
    return jax.vmap(_predict, in_axes=(0, None))(xs, w)


def matmul_plus_bias(xs, params):
    return xs @ params["w"] + params["b"]


def where_with_learned_fill(xs, fill, mask):
    return jnp.where(mask[:, None], xs, fill)


def scale_rows(xs, w):
    return xs * w[:, 0]


def closure_vmap(xs, w):
    return jax.vmap(lambda x: _predict(x, w))(xs)


def pytree_params_vmap(xs, params):
    return jax.vmap(lambda x, p: jnp.tanh(x @ p["w"] + p["b"]), in_axes=(0, None))(xs, params)


def tuple_and_dict_results(xs, w):
    h = xs @ w
    return {"h": h, "stats": (h.mean(0), jnp.maximum(h, w[0]))}


def broadcast_bias_row(xs, w):
    return xs @ w + jnp.broadcast_to(w[0], (B, K))


class Layer:
    def __init__(self, w):
        self.w = w

    def __call__(self, xs):
        return jax.nn.relu(xs @ self.w) - self.w.sum(0)


def method_layer(xs, w):
    return Layer(w)(xs)


def partial_predict(xs, w):
    return jax.vmap(functools.partial(_predict, w=w))(xs)


def outer_like_not_a_copy(xs, w):
    return xs[:, :, None] * w


CLEAN = [
    _case(vmap_shared), _case(matmul_plus_bias, PARAMS), _case(where_with_learned_fill, FILL, MASK),
    _case(scale_rows), _case(closure_vmap), _case(pytree_params_vmap, PARAMS), _case(tuple_and_dict_results),
    _case(broadcast_bias_row), _case(method_layer), _case(partial_predict), _case(outer_like_not_a_copy),
]


# --- offending -------------------------------------------------------------------------------------
def _stack_copies(w, n):
    return jnp.stack([w] * n)  # MISTAKE


def stack_in_helper(xs, w):
    return jnp.einsum("bd,bdk->bk", xs, _stack_copies(w, xs.shape[0]))


def comprehension_copies(xs, w):
    ws = jnp.array([w for _ in xs])  # MISTAKE
    return jax.vmap(_predict)(xs, ws)


def tile_copies(xs, w):
    ws = jnp.tile(w, (xs.shape[0], 1, 1))  # MISTAKE
    return jax.vmap(jnp.dot)(xs, ws)


def broadcast_to_then_vmap(xs, w):
    ws = jnp.broadcast_to(w, (xs.shape[0],) + w.shape)  # MISTAKE
    return jax.vmap(_predict)(xs, ws)


def repeat_copies(xs, w):
    ws = jnp.repeat(w[None], xs.shape[0], axis=0)  # MISTAKE
    return jax.vmap(_predict, in_axes=(0, 0))(xs, ws)


def ones_times_weights(xs, w):
    ws = jnp.ones((xs.shape[0], 1, 1)) * w  # MISTAKE
    return jnp.einsum("bd,bdk->bk", xs, ws)


class Ensemble:
    def __init__(self, w):
        self.w = w

    def __call__(self, xs):
        copies = jnp.stack([self.w for _ in range(B)])  # MISTAKE
        return jax.vmap(_predict)(xs, copies)


def copies_in_method(xs, w):
    return Ensemble(w)(xs)


def pytree_params_stacked(xs, params):
    stacked = jax.tree_util.tree_map(lambda p: jnp.stack([p] * B), params)  # MISTAKE
    return jax.vmap(lambda x, p: jnp.tanh(x @ p["w"] + p["b"]))(xs, stacked)


def gather_copies(xs, w):
    ws = w[None][jnp.zeros(xs.shape[0], dtype=jnp.int32)]  # MISTAKE
    return jnp.einsum("bd,bdk->bk", xs, ws)


def copies_in_loop_body(xs, w):
    ws = w[None]
    for _ in range(1, B):
        ws = jnp.concatenate([ws, w[None]])  # MISTAKE
    return jnp.einsum("bd,bdk->bk", xs, ws)


OFFENDING = [
    _case(stack_in_helper), _case(comprehension_copies), _case(tile_copies), _case(broadcast_to_then_vmap),
    _case(repeat_copies), _case(ones_times_weights), _case(copies_in_method), _case(pytree_params_stacked, PARAMS),
    _case(gather_copies), _case(copies_in_loop_body),
]
