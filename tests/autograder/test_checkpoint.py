"""assert_uses_checkpoint: jax.checkpoint is found in the trace, block by block, on every supported JAX."""
import jax
import jax.numpy as jnp
import pytest

from autograder import AntiPatternError, assert_uses_checkpoint, count_checkpoints

pytestmark = pytest.mark.detectors
WEIGHTS = [jnp.eye(3) * 0.5] * 4
X = jnp.ones((2, 3))


def block(w, h):
    return h + jnp.tanh(h @ w)


def network(weights, x, wrap_block=False, wrap_all=False):
    layer = jax.checkpoint(block) if wrap_block else block

    def run(weights, x):
        for w in weights:
            x = layer(w, x)
        return jnp.mean(x**2)

    return (jax.checkpoint(run) if wrap_all else run)(weights, x)


@pytest.mark.parametrize("wrap_block,wrap_all,expected", [(False, False, 0), (True, False, 4), (False, True, 1)])
def test_counts_one_checkpoint_per_wrapped_call_under_grad(wrap_block, wrap_all, expected):
    grads = jax.grad(lambda ws: network(ws, X, wrap_block, wrap_all))
    assert count_checkpoints(grads, WEIGHTS) == expected


def test_each_block_checkpointed_passes():
    assert_uses_checkpoint(jax.grad(lambda ws: network(ws, X, wrap_block=True)), WEIGHTS,
                           instruction="wrap each block in jax.checkpoint", at_least=4)


def test_no_checkpoint_fails_naming_the_instruction():
    with pytest.raises(AntiPatternError, match=r"missing-checkpoint[\s\S]*wrap each block[\s\S]*no jax.checkpoint"):
        assert_uses_checkpoint(jax.grad(lambda ws: network(ws, X)), WEIGHTS, instruction="wrap each block in jax.checkpoint")


def test_whole_network_wrapped_once_is_too_few():
    with pytest.raises(AntiPatternError, match=r"1 checkpointed call\(s\), 4 expected"):
        assert_uses_checkpoint(jax.grad(lambda ws: network(ws, X, wrap_all=True)), WEIGHTS,
                               instruction="wrap each block in jax.checkpoint", at_least=4)


def test_jax_remat_alias_counts_too():
    def loss(w):
        return jnp.sum(jax.remat(jnp.sin)(w))
    assert count_checkpoints(jax.grad(loss), jnp.ones(3)) == 1


def test_a_checkpointed_scan_body_counts_every_step():
    def loss(stacked, x):
        def step(h, w):
            return block(w, h), None
        h, _ = jax.lax.scan(jax.checkpoint(step), x, stacked)
        return jnp.mean(h**2)
    stacked = jnp.stack(WEIGHTS)
    assert count_checkpoints(jax.grad(loss), stacked, X) >= len(WEIGHTS)
    assert_uses_checkpoint(jax.value_and_grad(loss), stacked, X, instruction="wrap each block in jax.checkpoint",
                           at_least=len(WEIGHTS))
