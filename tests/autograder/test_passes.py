"""assert_single_forward_pass: the model runs only inside the differentiated function."""
import jax
import jax.numpy as jnp
import pytest

from autograder import AntiPatternError, assert_single_forward_pass

pytestmark = pytest.mark.detectors
ARGS = (jnp.ones(2), jnp.float32(0.5), jnp.ones((4, 2)), jnp.arange(4.0))


def mse(w, b, x, y):
    return jnp.mean((x @ w + b - y) ** 2)


def one_pass(w, b, x, y):
    return jax.value_and_grad(mse, argnums=(0, 1))(w, b, x, y)


def loss_then_grad(w, b, x, y):
    return mse(w, b, x, y), jax.grad(mse, argnums=(0, 1))(w, b, x, y)


def metric_with_aux(w, b, x, y):
    def loss(w):
        z = x @ w + b
        return jnp.mean((z - y) ** 2), jnp.mean(z > 0)
    return jax.grad(loss, has_aux=True)(w)


def metric_from_second_pass(w, b, x, y):
    grads = jax.grad(mse)(w, b, x, y)
    return grads, jnp.mean(x @ w + b > 0)


@pytest.mark.parametrize("fn", [one_pass, jax.jit(one_pass), metric_with_aux])
def test_one_pass_passes(fn):
    assert_single_forward_pass(fn, *ARGS, instruction="use one pass")


@pytest.mark.parametrize("fn", [loss_then_grad, jax.jit(loss_then_grad), metric_from_second_pass])
def test_second_pass_fails_naming_the_instruction(fn):
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: extra-pass\] the exercise asks you to use one pass"):
        assert_single_forward_pass(fn, *ARGS, instruction="use one pass")
