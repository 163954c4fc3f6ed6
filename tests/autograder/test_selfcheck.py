"""The lessons' `check(...)` prints a verdict instead of raising."""
import jax.numpy as jnp
import pytest

from autograder import assert_close, check

pytestmark = pytest.mark.detectors


def test_check_prints_success(capsys):
    assert check(assert_close, jnp.ones(3), jnp.ones(3)) is None
    assert capsys.readouterr().out.strip() == "✅ Correct!"


def test_check_prints_the_explanation_on_failure(capsys):
    check(assert_close, jnp.zeros(3), jnp.ones(3), name="my answer")
    out = capsys.readouterr().out
    assert out.startswith("❌ Not yet.") and "my answer" in out


def test_check_lets_other_errors_through():
    def broken():
        raise ValueError("a bug in the learner's code")

    with pytest.raises(ValueError):
        check(broken)
