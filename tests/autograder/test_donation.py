"""Bank for buffer donation: donated inputs must be reused by an output of the same shape and dtype."""
import functools

import jax
import jax.numpy as jnp
import pytest

from autograder import AntiPatternError, assert_donation_honoured, find_unhonoured_donation

pytestmark = pytest.mark.detectors
W = jnp.ones((4, 3))
G = jnp.full((4, 3), 0.5)
PARAMS = {"w": W, "b": jnp.zeros(3)}
GRADS = {"w": G, "b": jnp.ones(3)}


def sgd(params, grads):  # <- donation
    return jax.tree_util.tree_map(lambda p, g: p - 0.1 * g, params, grads)


def loss_value(w, g):  # <- donation
    return jnp.sum((w - g) ** 2)


def to_half(w, g):  # <- donation
    return (w * 10).astype(jnp.bfloat16)


def ignores_w(w, g):  # <- donation
    return g * 2


def update(w, g):  # <- donation
    return w - 0.1 * g


OFFENDING = [
    (jax.jit(sgd), (PARAMS, GRADS), 0),  # no donate_argnums
    (jax.jit(loss_value, donate_argnums=0), (W, G), None),  # no output of w's shape
    (jax.jit(to_half, donate_argnums=0), (W, G), None),  # no output of w's size
    (jax.jit(update, donate_argnums=1), (W, G), 0),  # donates the wrong argument
    (jax.jit(ignores_w, donate_argnums=0), (W, G), 0),  # donated input is never used
    (jax.jit(update), (W, G), None),  # donates nothing at all
    (update, (W, G), 0),  # not even jitted
]


@functools.partial(jax.jit, donate_argnums=0)
def decorated_update(w, g):
    return w - 0.1 * g


def adam_like(state, grads):
    m = jax.tree_util.tree_map(lambda m, g: 0.9 * m + 0.1 * g, state["m"], grads)
    params = jax.tree_util.tree_map(lambda p, m: p - 0.01 * m, state["params"], m)
    return {"params": params, "m": m}, jnp.float32(0)


CLEAN = [
    (jax.jit(update, donate_argnums=0), (W, G), {"donate_argnums": 0}),
    (jax.jit(sgd, donate_argnums=0), (PARAMS, GRADS), {"donate_argnums": 0}),
    (jax.jit(update, donate_argnames="w"), (W, G), {"donate_argnums": 0}),
    (decorated_update, (W, G), {}),
    (jax.jit(adam_like, donate_argnums=0), ({"params": PARAMS, "m": PARAMS}, GRADS), {"donate_argnums": 0}),
    (jax.jit(update, donate_argnums=(0,)), (W,), {"g": G, "donate_argnums": [0]}),
]


@pytest.mark.parametrize("fn,args,required", OFFENDING, ids=lambda v: getattr(v, "__name__", ""))
def test_offending_is_caught(fn, args, required):
    findings = find_unhonoured_donation(fn, *args, donate_argnums=required)
    assert findings
    assert {f.check for f in findings} == {"donation"}
    where = findings[0].where
    assert where is not None and where.file == __file__
    assert "# <- donation" in where.code


@pytest.mark.parametrize("fn,args,options", CLEAN, ids=lambda v: getattr(v, "__name__", ""))
def test_clean_passes(fn, args, options):
    assert find_unhonoured_donation(fn, *args, **options) == []


def test_unusable_donation_quotes_jax_warning():
    def norm(w, g):  # fresh function: JAX warns only when it first lowers one
        return jnp.sum(w * g)

    (finding,) = find_unhonoured_donation(jax.jit(norm, donate_argnums=0), W, G)
    assert "`w`" in finding.what and "not usable" in finding.what
    assert "same shape and dtype" in finding.fix


def test_wrong_argument_names_both():
    (finding,) = find_unhonoured_donation(jax.jit(update, donate_argnums=1), W, G, donate_argnums=0)
    assert "argument 0 (`w`)" in finding.what and "`g`" in finding.what


def test_assert_raises_with_tag():
    with pytest.raises(AntiPatternError, match=r"^\[anti-pattern: donation\]"):
        assert_donation_honoured(jax.jit(sgd), PARAMS, GRADS, donate_argnums=0)
