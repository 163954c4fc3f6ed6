"""The jit-scope detector: steps split into pieces (caught, every one) and one-program steps (never flagged)."""
from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import pytest

from autograder.detectors.jit_scope import assert_single_jit, find_split_jit
from autograder.findings import AntiPatternError

pytestmark = pytest.mark.detectors


def loss_fn(params, x, y):
    return jnp.mean((x @ params["w"] + params["b"] - y) ** 2)


def sgd(params, grads, lr):
    return jax.tree.map(lambda p, g: p - lr * g, params, grads)


PARAMS = {"w": jnp.zeros(3), "b": jnp.zeros(())}
X, Y = jnp.ones((4, 3)), jnp.arange(4.0)
ARGS = (PARAMS, X, Y, 0.1)

loss_jit = jax.jit(loss_fn)
grad_jit = jax.jit(jax.grad(loss_fn))
value_and_grad_jit = jax.jit(jax.value_and_grad(loss_fn))
sgd_jit = jax.jit(sgd)


# --- steps that are not one compiled program -----------------------------------------------------
def not_jitted(params, x, y, lr):
    loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
    return sgd(params, grads, lr), loss


def jit_per_piece(params, x, y, lr):
    loss = loss_jit(params, x, y)
    grads = grad_jit(params, x, y)
    return sgd_jit(params, grads, lr), loss


def jitted_grad_eager_update(params, x, y, lr):
    loss, grads = value_and_grad_jit(params, x, y)
    return sgd(params, grads, lr), loss


def two_jits_no_glue(params, x, y, lr):
    loss, grads = value_and_grad_jit(params, x, y)
    return sgd_jit(params, grads, lr), loss


@jax.jit
def _whole(params, x, y, lr):
    loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
    return sgd(params, grads, lr), loss


def whole_then_eager_op(params, x, y, lr):
    new, loss = _whole(params, x, y, lr)
    return new, loss * 1.0


OFFENDING = [not_jitted, jit_per_piece, jitted_grad_eager_update, two_jits_no_glue, whole_then_eager_op]


# --- steps that are one compiled program ----------------------------------------------------------
@jax.jit
def decorated(params, x, y, lr):
    loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
    return sgd(params, grads, lr), loss


wrapped = jax.jit(not_jitted)


@jax.jit
def with_nested_jits(params, x, y, lr):
    loss, grads = value_and_grad_jit(params, x, y)
    return sgd_jit(params, grads, lr), loss


def delegates_to_one_jit(params, x, y, lr):
    return _whole(params, x, y, lr)


donating = jax.jit(not_jitted, donate_argnums=(0,))


@partial(jax.jit, static_argnames=("n_steps",))
def with_static(params, x, y, lr, n_steps=2):
    for _ in range(n_steps):
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
        params = sgd(params, grads, lr)
    return params, loss


def no_computation(params, x, y, lr):
    return params, y


CLEAN = [decorated, wrapped, with_nested_jits, delegates_to_one_jit, donating, with_static, no_computation]


@pytest.mark.parametrize("fn", OFFENDING, ids=lambda f: f.__name__)
def test_split_steps_are_caught(fn):
    with pytest.raises(AntiPatternError) as info:
        assert_single_jit(fn, *ARGS)
    message = str(info.value)
    assert message.startswith("[anti-pattern: jit-scope]")
    assert "jax.jit" in message and fn.__name__ in message


@pytest.mark.parametrize("fn", CLEAN, ids=lambda f: getattr(f, "__name__", repr(f)))
def test_one_program_steps_pass(fn):
    assert find_split_jit(fn, *ARGS) == []


def test_pieces_are_named_and_located():
    (finding,) = find_split_jit(jit_per_piece, *ARGS)
    assert "3 separately compiled pieces" in finding.what
    assert finding.where is not None and finding.where.function == "jit_per_piece"


def test_not_jitted_points_at_the_definition():
    (finding,) = find_split_jit(not_jitted, *ARGS)
    assert "not compiled" in finding.what
    assert finding.where is not None and "def not_jitted" in finding.where.code


def test_static_arguments_of_a_plain_function_are_passed_as_python_values():
    def plain(params, x, y, lr, n_steps):
        for _ in range(n_steps):
            params = sgd(params, jax.grad(loss_fn)(params, x, y), lr)
        return params

    assert find_split_jit(plain, PARAMS, X, Y, 0.1, n_steps=2, static_argnames=("n_steps",))
