"""Per-example code batched the way learners batch it: vmap in several styles, or a Python loop over examples."""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
from jax import lax

from autograder import assert_no_batch_loop, find_batch_loop

from . import Case

FIND, ASSERT, CHECKS = find_batch_loop, assert_no_batch_loop, ("batch-loop",)
D, K = 3, 4
PARAMS = {"w": jnp.ones((D, K)) / D, "b": jnp.zeros(K)}


def _batch(b):
    return (jnp.ones((b, D)), PARAMS)


def _case(fn, **kwargs):
    return Case(fn, (_batch,), kwargs)


def _predict(x, params):
    return jnp.tanh(x @ params["w"] + params["b"])


# --- clean -----------------------------------------------------------------------------------------
def vmap_in_axes(xs, params):
    return jax.vmap(_predict, in_axes=(0, None))(xs, params)


def batched_matmul(xs, params):
    return jnp.tanh(xs @ params["w"] + params["b"])


def vmap_closure(xs, params):
    return jax.vmap(lambda x: _predict(x, params))(xs)


def vmap_tuple_out(xs, params):
    return jax.vmap(lambda x: (_predict(x, params).sum(), x.max()))(xs)


def vmap_dict_out(xs, params):
    return jax.vmap(lambda x: {"y": _predict(x, params), "norm": jnp.linalg.norm(x)})(xs)


def lax_map_chunks(xs, params):
    return lax.map(lambda x: _predict(x, params), xs)


def loop_over_layers(xs, params):
    h = xs
    for _ in range(3):  # a fixed depth, not the batch
        h = jnp.tanh(h @ params["w"][:, :D])
    return h


class Model:
    def __init__(self, params):
        self.params = params

    def __call__(self, xs):
        return jax.vmap(self.one)(xs)

    def one(self, x):
        return _predict(x, self.params)


def method_vmap(xs, params):
    return Model(params)(xs)


def partial_vmap(xs, params, scale):
    return jax.vmap(functools.partial(_predict, params=params))(xs) * scale


def einsum_batch(xs, params):
    return jnp.einsum("bd,dk->bk", xs, params["w"])


def bias_stacked_per_row(xs, params):
    """``jnp.stack([leaf] * n)``: JAX 0.5 traces one broadcast per row, but nothing loops over examples."""
    return jnp.tanh(xs @ params["w"] + jnp.stack([params["b"]] * xs.shape[0]))


def leaves_stacked_in_tree_map(xs, params):
    rows = jax.tree_util.tree_map(lambda leaf: jnp.stack([leaf] * xs.shape[0]), params)
    return jnp.tanh(jnp.einsum("bd,bdk->bk", xs, rows["w"]) + rows["b"])


CLEAN = [
    _case(bias_stacked_per_row), _case(leaves_stacked_in_tree_map),
    _case(vmap_in_axes), _case(batched_matmul), _case(vmap_closure), _case(vmap_tuple_out), _case(vmap_dict_out),
    _case(lax_map_chunks), _case(loop_over_layers), _case(method_vmap),
    Case(functools.partial(partial_vmap, scale=2.0), (_batch,), label="partial_vmap"), _case(einsum_batch),
]


# --- offending -------------------------------------------------------------------------------------
def _per_example(xs, params):
    return [_predict(x, params) for x in xs]  # MISTAKE


def comprehension_in_helper(xs, params):
    return jnp.stack(_per_example(xs, params))


def append_loop(xs, params):
    out = []
    for i in range(xs.shape[0]):
        out.append(_predict(xs[i], params))  # MISTAKE
    return jnp.stack(out)


def at_set_loop(xs, params):
    out = jnp.zeros((xs.shape[0], K))
    for i, x in enumerate(xs):  # MISTAKE (iterating over the examples)
        out = out.at[i].set(_predict(x, params))  # MISTAKE
    return out


def sum_of_losses(xs, params):
    return sum(jnp.sum(_predict(x, params) ** 2) for x in xs)  # MISTAKE


def map_builtin(xs, params):
    return jnp.stack(list(map(lambda x: _predict(x, params), xs)))  # MISTAKE


class Looper:
    def __init__(self, params):
        self.params = params

    def __call__(self, xs):
        rows = []
        for x in xs:  # MISTAKE (iterating over the examples)
            rows.append(jnp.tanh(x @ self.params["w"]))  # MISTAKE
        return jnp.stack(rows)


def loop_in_method(xs, params):
    return Looper(params)(xs)


def dict_per_example(xs, params):
    outs = {}
    for i in range(len(xs)):
        outs[i] = _predict(xs[i], params)  # MISTAKE
    return jnp.stack(list(outs.values()))


def tuple_results_loop(xs, params):
    ys, norms = [], []
    for x in xs:  # MISTAKE (iterating over the examples)
        ys.append(_predict(x, params)), norms.append(jnp.linalg.norm(x))  # MISTAKE
    return jnp.stack(ys), jnp.stack(norms)


def zip_two_batches(xs, params):
    ts = xs * 2
    return jnp.stack([jnp.dot(x, params["w"]) + jnp.sum(t) for x, t in zip(xs, ts)])  # MISTAKE


def jitted_loop(xs, params):
    return _jitted_rows(xs, params)


@jax.jit
def _jitted_rows(xs, params):
    return jnp.stack([xs[i] @ params["w"] for i in range(xs.shape[0])])  # MISTAKE


def stack_of_rows_with_the_bias(xs, params):
    return jnp.stack([x @ params["w"] + params["b"] for x in xs])  # MISTAKE


OFFENDING = [
    _case(stack_of_rows_with_the_bias),
    _case(comprehension_in_helper), _case(append_loop), _case(at_set_loop), _case(sum_of_losses),
    _case(map_builtin), _case(loop_in_method), _case(dict_per_example), _case(tuple_results_loop),
    _case(zip_two_batches), _case(jitted_loop),
]
