"""Bank for discarded `.at[].set()` updates."""
import jax
import jax.numpy as jnp
import pytest
from jax import lax

from autograder import AntiPatternError, assert_no_discarded_updates, find_discarded_updates

pytestmark = pytest.mark.detectors
X = jnp.zeros(5)


def bad_set(x):
    x.at[0].set(1.0)  # <- discarded
    return x


def bad_add_in_loop(x):
    for i in range(3):
        x.at[i].add(1.0)  # <- discarded
    return x * 2


def bad_multiply(x):
    y = x + 1
    y.at[1].multiply(3.0)  # <- discarded
    return y


def bad_min_max(x):
    x.at[2].min(-1.0)  # <- discarded
    return x.sum()


def bad_in_fori(x):
    def body(i, acc):
        acc.at[i].set(i * 1.0)  # <- discarded
        return acc + 1
    return lax.fori_loop(0, 3, body, x)


@jax.jit
def bad_jitted(x):
    x.at[-1].set(7.0)  # <- discarded
    return x


def bad_dynamic_update_slice(x):
    lax.dynamic_update_slice(x, jnp.ones(2), (1,))  # <- discarded
    return x


def bad_in_scan(x):
    def step(c, v):
        c.at[0].add(v)  # <- discarded
        return c, v
    return lax.scan(step, x, jnp.arange(3.0))[0]


def bad_in_cond(x):
    return lax.cond(x[0] > 0, lambda y: y, lambda y: (y.at[0].set(1.0), y)[1], x)  # <- discarded


def ok_set(x):
    x = x.at[0].set(1.0)
    return x


def ok_chain(x):
    return x.at[0].set(1.0).at[1].add(2.0)


def ok_in_fori(x):
    return lax.fori_loop(0, 3, lambda i, acc: acc.at[i].set(i * 1.0), x)


def ok_used_later(x):
    y = x.at[1].multiply(2.0)
    return jnp.sum(y)


def ok_dynamic_update_slice(x):
    return lax.dynamic_update_slice(x, jnp.ones(2), (1,))


def ok_scan(x):
    return lax.scan(lambda c, v: (c.at[0].add(v), v), x, jnp.arange(3.0))[0]


@jax.jit
def ok_jitted(x):
    return x.at[-1].max(7.0)


def ok_library(x):
    return jnp.sort(x), jnp.cumsum(x), jnp.linalg.norm(x), jax.nn.one_hot(jnp.arange(3), 4)


BAD = [bad_set, bad_add_in_loop, bad_multiply, bad_min_max, bad_in_fori, bad_jitted,
       bad_dynamic_update_slice, bad_in_scan, bad_in_cond]
OK = [ok_set, ok_chain, ok_in_fori, ok_used_later, ok_dynamic_update_slice, ok_scan, ok_jitted, ok_library]


@pytest.mark.parametrize("fn", BAD, ids=lambda f: f.__name__)
def test_discarded_update_is_caught_at_its_line(fn):
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: discarded-update\]") as err:
        assert_no_discarded_updates(fn, X)
    assert all("# <- discarded" in f.where.code for f in err.value.findings)
    assert "immutable" in str(err.value)


@pytest.mark.parametrize("fn", OK, ids=lambda f: f.__name__)
def test_kept_update_passes(fn):
    assert find_discarded_updates(fn, X) == []


def test_message_shows_the_fix():
    (finding,) = find_discarded_updates(bad_set, X)
    assert "x = x.at[i].set(v)" in finding.fix
