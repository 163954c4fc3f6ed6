"""Bank for recompilation: each case builds fresh functions, so JAX's caches start cold."""
import functools
import logging

import jax
import jax.numpy as jnp
import pytest

from autograder import (
    AntiPatternError,
    assert_max_compilations,
    count_compilations,
    find_recompilation,
)

pytestmark = pytest.mark.detectors
X = jnp.ones(3)


# -- offending: each returns (run, expected cause words) ---------------------------


def static_lr_varies():
    @functools.partial(jax.jit, static_argnames="lr")
    def sgd_step(w, lr):
        return w - lr * w

    def run():
        for lr in (0.1, 0.05, 0.01):
            sgd_step(X, lr=lr)  # <- recompiles
    return run, "static"


def jit_recreated_in_loop():
    def run():
        for _ in range(3):
            def step(w):
                return w * 0.9
            jax.jit(step)(X)  # <- recompiles
    return run, "outside the loop"


def jit_lambda_in_loop():
    def run():
        for _ in range(3):
            jax.jit(lambda w: w + 1.0)(X)  # <- recompiles
    return run, "outside the loop"


def shapes_change():
    @jax.jit
    def total(batch):
        return batch.sum()

    def run():
        for n in (3, 4, 5, 6):
            total(jnp.ones(n))  # <- recompiles
    return run, "pad"


def float_int_flip():
    @jax.jit
    def scale(x, s):
        return x * s

    def run():
        scale(X, 1.0)
        scale(X, 2)  # <- recompiles
    return run, "dtype"


def partial_in_loop():
    def loss(w, lr):
        return w * lr

    def run():
        for lr in (0.1, 0.2, 0.3):
            jax.jit(functools.partial(loss, lr=lr))(X)  # <- recompiles
    return run, "outside the loop"


OFFENDING = [static_lr_varies, jit_recreated_in_loop, jit_lambda_in_loop, shapes_change,
             float_int_flip, partial_in_loop]


# -- clean: each returns (run, max_compilations) -----------------------------------


def one_jit_same_shapes():
    @jax.jit
    def step(w):
        return w * 0.9

    def run():
        for _ in range(5):
            step(X)
    return run, 1


def lr_traced():
    @jax.jit
    def sgd_step(w, lr):
        return w - lr * w

    def run():
        for lr in (0.1, 0.05, 0.01):
            sgd_step(X, jnp.asarray(lr))
    return run, 1


def bucketed_shapes():
    @jax.jit
    def total(batch):
        return batch.sum()

    def pad(n, bucket):
        return jnp.zeros(bucket).at[:n].set(1.0)

    def run():
        for n in (3, 5, 7, 12, 15, 16):
            total(pad(n, 8 if n <= 8 else 16))
    return run, 2


def static_small_set():
    @functools.partial(jax.jit, static_argnames="activation")
    def layer(x, activation):
        return jnp.tanh(x) if activation == "tanh" else jax.nn.relu(x)

    def run():
        for _ in range(3):
            for act in ("tanh", "relu"):
                layer(X, activation=act)
    return run, 2


def eager_ops_only():
    def run():
        y = jnp.ones(7) + 1
        jax.random.normal(jax.random.PRNGKey(0), (4,))
        jnp.linalg.norm(y)
    return run, 1


def nested_jit_compiles_once():
    @jax.jit
    def inner(w):
        return w * 2

    @jax.jit
    def outer(w):
        return inner(w) + inner(w * 3)

    def run():
        for _ in range(3):
            outer(X)
    return run, 1


CLEAN = [one_jit_same_shapes, lr_traced, bucketed_shapes, static_small_set, eager_ops_only,
         nested_jit_compiles_once]


@pytest.mark.parametrize("case", OFFENDING, ids=lambda c: c.__name__)
def test_offending_is_caught(case):
    run, words = case()
    findings = find_recompilation(run)
    assert len(findings) == 1, [f.explain() for f in findings]
    (finding,) = findings
    assert finding.check == "recompilation"
    assert finding.where is not None and finding.where.file == __file__
    assert "# <- recompiles" in finding.where.code
    assert words in finding.explain()


@pytest.mark.parametrize("case", CLEAN, ids=lambda c: c.__name__)
def test_clean_passes(case):
    run, max_compilations = case()
    assert find_recompilation(run, max_compilations=max_compilations) == []


def test_counts_learner_functions_only():
    @jax.jit
    def step(w):
        return w + 1

    def run():
        jnp.ones(5) * 2 + 1
        step(X)
        step(jnp.ones(4))

    log = count_compilations(run)
    assert log.count == 2
    assert log.names == ["step", "step"]
    assert len(log.reasons) == 2 and "step" in log.reasons[1]


def test_already_compiled_counts_zero():
    @jax.jit
    def step(w):
        return w + 1

    step(X)
    assert count_compilations(lambda: step(X)).count == 0


def test_static_small_set_over_the_limit():
    run, _ = static_small_set()
    (finding,) = find_recompilation(run, max_compilations=1)
    assert "compiled 2 times" in finding.what


def test_assert_raises_with_tag():
    run, _ = jit_lambda_in_loop()
    with pytest.raises(AntiPatternError, match=r"^\[anti-pattern: recompilation\]"):
        assert_max_compilations(run)


def test_restores_config_and_logging_when_run_raises():
    loggers = [logging.getLogger(n) for n in ("jax._src.interpreters.pxla", "jax._src.dispatch")]
    filters_before = [list(lg.filters) for lg in loggers]

    def run():
        jax.jit(lambda w: w * 5)(X)
        raise RuntimeError("learner bug")

    with pytest.raises(RuntimeError, match="learner bug"):
        count_compilations(run)
    assert jax.config.jax_log_compiles is False
    assert jax.config.jax_explain_cache_misses is False
    assert [list(lg.filters) for lg in loggers] == filters_before
    assert count_compilations(lambda: jnp.ones(2) + 1).count == 0


def _sharded_rows():
    devices = jax.devices()
    assert len(devices) > 1, "tests/conftest.py asks XLA for several CPU devices"
    mesh = jax.sharding.Mesh(devices, ("data",))
    sharding = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("data"))
    return jax.device_put(jnp.ones((2 * len(devices), 3)), sharding)


def test_eager_operations_on_other_devices_are_not_the_learners_compilations():
    rows = _sharded_rows()
    jax.clear_caches()  # every device compiles its eager sum afresh, as in a graded cold run

    def per_shard_sums():
        return [shard.data.sum().reshape(1) * 2 for shard in rows.addressable_shards]

    assert count_compilations(per_shard_sums).count == 0


def test_a_learner_jit_on_other_devices_still_counts():
    rows = _sharded_rows()
    jax.clear_caches()

    @jax.jit
    def block_sums(r):
        return r.reshape(len(jax.devices()), -1).sum(axis=1)

    log = count_compilations(lambda: block_sums(rows))
    assert log.names == ["block_sums"]
