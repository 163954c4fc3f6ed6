"""Banks for Python loops over examples and for weights copied once per example."""
import functools

import jax
import jax.numpy as jnp
import pytest

from autograder import (AntiPatternError, assert_no_batch_loop, assert_no_replicated_args, find_batch_loop,
                        find_replicated_args)

pytestmark = pytest.mark.detectors
B, D, K = 5, 3, 4
W = jnp.ones((D, K))
XS = jnp.ones((B, D))


def predict(x, w):
    return jnp.tanh(x @ w)


def batch(b):
    return (jnp.ones((b, D)), W)


# --- loops over examples ---------------------------------------------------------------------------
def loop_append(xs, w):
    out = []
    for i in range(xs.shape[0]):
        out.append(predict(xs[i], w))  # <- per example
    return jnp.stack(out)


def loop_comprehension(xs, w):
    return jnp.array([jnp.tanh(x @ w) for x in xs])  # <- per example


def loop_at_set(xs, w):
    out = jnp.zeros((xs.shape[0], K))
    for i in range(xs.shape[0]):
        out = out.at[i].set(jnp.tanh(xs[i] @ w))  # <- per example
    return out


def loop_sum_losses(xs, w):
    return sum(jnp.sum(predict(xs[i], w) ** 2) for i in range(len(xs)))  # <- per example


def loop_map(xs, w):
    return jnp.stack(list(map(lambda x: jnp.tanh(x @ w), xs)))  # <- per example


def loop_zip(xs, w):
    ys = xs * 2
    return jnp.stack([jnp.dot(x, w) + jnp.sum(y) for x, y in zip(xs, ys)])  # <- per example


def ok_vmap(xs, w):
    return jax.vmap(predict, in_axes=(0, None))(xs, w)


def ok_matmul(xs, w):
    return jnp.tanh(xs @ w)


def ok_einsum(xs, w):
    return jnp.einsum("bd,dk->bk", xs, w)


def ok_lax_map(xs, w):
    return jax.lax.map(lambda x: predict(x, w), xs)


def ok_vmap_loss(xs, w):
    return jnp.mean(jax.vmap(lambda x: jnp.sum(predict(x, w) ** 2))(xs))


def ok_layers_loop(xs, w):
    h = xs
    for _ in range(2):  # over layers, not examples
        h = jnp.tanh(h @ w @ w.T)
    return h


LOOPS = [loop_append, loop_comprehension, loop_at_set, loop_sum_losses, loop_map, loop_zip]
VECTORISED = [ok_vmap, ok_matmul, ok_einsum, ok_lax_map, ok_vmap_loss, ok_layers_loop]


@pytest.mark.parametrize("fn", LOOPS, ids=lambda f: f.__name__)
def test_batch_loop_is_caught(fn):
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: batch-loop\]") as err:
        assert_no_batch_loop(fn, batch)
    (finding,) = err.value.findings
    assert "# <- per example" in finding.where.code
    assert "jax.vmap" in finding.fix


@pytest.mark.parametrize("fn", VECTORISED, ids=lambda f: f.__name__)
def test_vectorised_code_passes(fn):
    assert find_batch_loop(fn, batch) == []


def _wrapped(fn, how):
    """How a test cell may hand the learner's function over: its own lambda, a partial, a jitted lambda."""
    return {
        "lambda": lambda xs, w: fn(xs, w),
        "partial": functools.partial(fn, w=W),
        "jit_lambda": jax.jit(lambda xs, w: fn(xs, w)),
    }[how]


def _batch_for(how):
    return (lambda b: (jnp.ones((b, D)),)) if how == "partial" else batch


@pytest.mark.parametrize("how", ["lambda", "partial", "jit_lambda"])
@pytest.mark.parametrize("fn", [loop_append, loop_comprehension, loop_sum_losses, loop_zip],
                         ids=lambda f: f.__name__)
def test_wrapped_batch_loop_names_the_learners_line(fn, how):
    (finding,) = find_batch_loop(_wrapped(fn, how), _batch_for(how))
    assert "# <- per example" in finding.where.code
    assert finding.where.function == fn.__name__


@pytest.mark.parametrize("how", ["lambda", "partial", "jit_lambda"])
@pytest.mark.parametrize("fn", [ok_vmap, ok_lax_map, ok_layers_loop], ids=lambda f: f.__name__)
def test_wrapped_vectorised_code_passes(fn, how):
    assert find_batch_loop(_wrapped(fn, how), _batch_for(how)) == []


# --- weights copied per example --------------------------------------------------------------------
def rep_stack(xs, w):
    ws = jnp.stack([w] * xs.shape[0])  # <- copies
    return jnp.einsum("bd,bdk->bk", xs, ws)


def rep_tile(xs, w):
    ws = jnp.tile(w, (xs.shape[0], 1, 1))  # <- copies
    return jax.vmap(jnp.dot)(xs, ws)


def rep_broadcast_to(xs, w):
    ws = jnp.broadcast_to(w, (xs.shape[0],) + w.shape)  # <- copies
    return jax.vmap(predict)(xs, ws)


def rep_repeat(xs, w):
    ws = jnp.repeat(w[None], xs.shape[0], axis=0)  # <- copies
    return jax.vmap(predict, in_axes=(0, 0))(xs, ws)


def rep_ones_times(xs, w):
    ws = jnp.ones((xs.shape[0], 1, 1)) * w  # <- copies
    return jnp.einsum("bd,bdk->bk", xs, ws)


def rep_array_list(xs, w):
    ws = jnp.array([w for _ in range(B)])  # <- copies
    return jax.vmap(predict)(xs, ws)


def rep_params_dict(xs, params):
    stacked = jax.tree_util.tree_map(lambda p: jnp.stack([p] * B), params)  # <- copies
    return jax.vmap(lambda x, p: jnp.tanh(x @ p["w"] + p["b"]))(xs, stacked)


def rep_index(xs, w):
    ws = w[None][jnp.zeros(xs.shape[0], dtype=jnp.int32)]  # <- copies
    return jnp.einsum("bd,bdk->bk", xs, ws)


def norep_vmap(xs, w):
    return jax.vmap(predict, in_axes=(0, None))(xs, w)


def norep_matmul(xs, w):
    return xs @ w


def norep_outer_like(xs, w):
    return xs[:, :, None] * w  # (B, D, K) computed from both, not a copy


def norep_same_shape_data(xs, w):
    ys = jnp.ones((B, D, K))  # same shape as a copy, but not made from w
    return ys.sum(0) * w + xs.sum()


def norep_params_vmap(xs, params):
    return jax.vmap(lambda x, p: jnp.tanh(x @ p["w"] + p["b"]), in_axes=(0, None))(xs, params)


def norep_broadcast_bias(xs, w):
    return xs @ w + jnp.broadcast_to(w[0], (B, K))  # a row of w, not the whole of w


REPLICATED = [rep_stack, rep_tile, rep_broadcast_to, rep_repeat, rep_ones_times, rep_array_list, rep_index]
NOT_REPLICATED = [norep_vmap, norep_matmul, norep_outer_like, norep_same_shape_data, norep_broadcast_bias]
PARAMS = {"w": W, "b": jnp.zeros(K)}


@pytest.mark.parametrize("fn", REPLICATED, ids=lambda f: f.__name__)
def test_replicated_weights_are_caught(fn):
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: replicated-weights\]") as err:
        assert_no_replicated_args(fn, XS, W, batch_size=B, unbatched_argnums=1)
    assert all("# <- copies" in f.where.code for f in err.value.findings)
    assert "in_axes=(0, None)" in err.value.findings[0].fix


@pytest.mark.parametrize("fn", NOT_REPLICATED, ids=lambda f: f.__name__)
def test_shared_weights_pass(fn):
    assert find_replicated_args(fn, XS, W, batch_size=B, unbatched_argnums=1) == []


def test_replicated_pytree_params_name_the_leaf():
    findings = find_replicated_args(rep_params_dict, XS, PARAMS, batch_size=B, unbatched_argnums=(1,))
    assert {f.what.split(" (")[0] for f in findings} == {"argument 1['w']", "argument 1['b']"}
    assert find_replicated_args(norep_params_vmap, XS, PARAMS, batch_size=B, unbatched_argnums=(1,)) == []
