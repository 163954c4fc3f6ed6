"""Bank for assert_calls: the learner's own call of a function is seen, whatever the style, and its
absence (a hard-coded choice, a choice made once at module level) is reported naming the instruction."""
import functools

import jax
import jax.numpy as jnp
import pytest

from autograder import AntiPatternError, assert_calls, learner_calls_of

pytestmark = pytest.mark.detectors

X = jnp.arange(4.0)
ASK = "choose the dtype with jax.default_backend()"


def _dtype():
    return jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32


def asks_eagerly(x):
    return x.astype(jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32)


@jax.jit
def asks_while_traced(x):
    return x.astype(_dtype())


def asks_in_a_helper(x):
    return x.astype(_dtype()) * 2


class Model:
    def __call__(self, x):
        return x.astype(_dtype())


asks_through_partial = functools.partial(lambda x, scale: x.astype(_dtype()) * scale, scale=3.0)

MODULE_LEVEL = _dtype()


def hard_coded(x):
    return x.astype(jnp.float32)


def chosen_once_at_import(x):
    return x.astype(MODULE_LEVEL)


def platform_instead(x):
    return x.astype(jnp.bfloat16 if jax.devices()[0].platform == "tpu" else jnp.float32)


@pytest.mark.parametrize("fn", [asks_eagerly, asks_while_traced, asks_in_a_helper, Model(), asks_through_partial],
                         ids=["eager", "traced-under-jit", "helper", "method", "partial"])
def test_the_learners_call_is_seen(fn):
    assert_calls(jax.default_backend, lambda: fn(X), instruction=ASK)


def test_a_jitted_call_is_seen_again_after_it_was_compiled():
    asks_while_traced(X)
    assert learner_calls_of(jax.default_backend, lambda: asks_while_traced(X)) == ["_dtype"]


@pytest.mark.parametrize("fn", [hard_coded, chosen_once_at_import, platform_instead])
def test_a_missing_call_names_the_instruction(fn):
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: missing-call\]") as raised:
        assert_calls(jax.default_backend, lambda: fn(X), display="jax.default_backend", instruction=ASK)
    assert ASK in str(raised.value) and "jax.default_backend()" in str(raised.value)


def test_the_profiler_in_place_before_is_kept():
    import sys

    def outer(frame, event, arg):
        return None

    sys.setprofile(outer)
    try:
        assert_calls(jax.default_backend, lambda: asks_eagerly(X), instruction=ASK)
        assert sys.getprofile() is outer
    finally:
        sys.setprofile(None)
