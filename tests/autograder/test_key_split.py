"""The missing-split check: the learner's own jax.random.split counts, a sampler's internal split does not."""
from __future__ import annotations

import jax
import pytest
from jax import lax

from autograder import AntiPatternError, assert_splits_key, find_missing_split, learner_splits

pytestmark = pytest.mark.detectors
STYLES = {"typed": jax.random.key, "legacy": jax.random.PRNGKey}


def fold_in_instead(key):
    a = jax.random.normal(jax.random.fold_in(key, 0), (3,))  # first draw
    return a, jax.random.randint(jax.random.fold_in(key, 1), (3,), 1, 7)


def samplers_only(key):
    k = jax.random.fold_in(key, 1)  # first draw
    return jax.random.choice(k, 5, (3,)), jax.random.permutation(jax.random.fold_in(key, 2), 4)


def split_then_draw(key):
    k1, k2 = jax.random.split(key)
    return jax.random.normal(k1), jax.random.randint(k2, (3,), 0, 4)


def split_in_scan(key):
    def step(k, _):
        k, sub = jax.random.split(k)
        return k, jax.random.normal(sub)
    return lax.scan(step, key, None, length=3)


def split_rows_under_vmap_and_jit(key):
    return jax.jit(jax.vmap(lambda k: jax.random.normal(k)))(jax.random.split(key, 4))


WITHOUT = [fold_in_instead, samplers_only]
WITH = [split_then_draw, split_in_scan, split_rows_under_vmap_and_jit]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("fn", WITHOUT, ids=lambda f: f.__name__)
def test_program_without_its_own_split_is_caught_at_its_first_draw(fn, style):
    assert learner_splits(fn, STYLES[style](0)) == []
    with pytest.raises(AntiPatternError) as caught:
        assert_splits_key(fn, STYLES[style](0), instruction="split the key into two")
    message = str(caught.value)
    assert message.startswith("[anti-pattern: missing-split]")
    assert "split the key into two" in message and "jax.random.split" in message
    (finding,) = caught.value.findings
    assert finding.where is not None and finding.where.code.endswith("# first draw")


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("fn", WITH, ids=lambda f: f.__name__)
def test_learners_own_split_is_seen(fn, style):
    assert len(learner_splits(fn, STYLES[style](0))) == 1
    assert find_missing_split(fn, STYLES[style](0)) == []
    assert_splits_key(fn, STYLES[style](0))
