"""The implicit-transfer detector: offending functions caught every time, clean ones never flagged."""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from autograder.detectors.transfers import assert_no_implicit_transfers, find_implicit_transfers
from autograder.findings import AntiPatternError

pytestmark = pytest.mark.detectors


def numpy_operand(x):
    return x * np.arange(x.shape[0], dtype=np.float32)


def list_to_array(x):
    return jnp.asarray([1.0, 2.0, 3.0]) + x


def numpy_into_jit(x):
    return jax.jit(jnp.sin)(np.asarray([0.5, 1.5, 2.5], dtype=np.float32)) + x


def eager_python_scalar(x):
    return x * 2.0


def eager_zeros(x):
    return x + jnp.zeros(x.shape)


OFFENDERS = [numpy_operand, list_to_array, numpy_into_jit]


def explicit_put(x):
    return x * jax.device_put(np.arange(x.shape[0], dtype=np.float32))


@jax.jit
def jitted_with_constants(x):
    return x * 2.0 + jnp.zeros(x.shape) + jnp.arange(x.shape[0])


def device_only(x):
    return jnp.sin(x) + jnp.cos(x)


def explicit_round_trip(x):
    host = jax.device_get(x)
    return jax.device_put(host * 3)


# A Python number is one scalar constant: deliberately not reported (see the detector's docstring).
CLEAN = [explicit_put, jitted_with_constants, device_only, explicit_round_trip, eager_python_scalar, eager_zeros]


def _x():
    return jax.device_put(np.ones(3, dtype=np.float32))


@pytest.mark.parametrize("fn", OFFENDERS, ids=lambda f: f.__name__)
def test_every_implicit_transfer_is_caught(fn):
    findings = find_implicit_transfers(fn, _x())
    assert [f.check for f in findings] == ["implicit-transfer"]
    with pytest.raises(AntiPatternError, match=r"^\[anti-pattern: implicit-transfer\]"):
        assert_no_implicit_transfers(fn, _x())


@pytest.mark.parametrize("fn", CLEAN, ids=lambda f: f.__name__)
def test_no_false_alarm(fn):
    assert find_implicit_transfers(fn, _x()) == []
    out = assert_no_implicit_transfers(fn, _x())
    assert out.shape == (3,)


def test_message_names_the_learners_line_and_other_errors_pass_through():
    with pytest.raises(AntiPatternError) as err:
        assert_no_implicit_transfers(numpy_operand, _x())
    assert "numpy_operand()" in str(err.value) and "host-to-device" in str(err.value)

    def broken(x):
        raise ValueError("not a transfer")

    with pytest.raises(ValueError, match="not a transfer"):
        find_implicit_transfers(broken, _x())


def _same_kinds_twice_on_one_line(x):
    return (x * 2.0 + np.ones(3, dtype=np.float32)) * 3.0 + np.ones(3, dtype=np.float32)


def _scalar_then_array_on_two_lines(x):
    y = x * 2.0
    return jnp.sin(y) + np.arange(3, dtype=np.float32)


@pytest.mark.parametrize("fn", [numpy_operand, _same_kinds_twice_on_one_line, _scalar_then_array_on_two_lines])
def test_copies_are_sized_after_the_learner_already_ran_the_code(fn):
    """A learner runs a cell before its test: JAX's C++ dispatch then knows every call and logs
    copies without their shape. The check still sizes each copy, running the function once."""
    for _ in range(3):
        jax.block_until_ready(fn(_x()))
    calls = []
    counted = _counting(fn, calls)
    (finding,) = find_implicit_transfers(counted, _x())
    assert "float32[3] array" in finding.what and len(calls) == 1


@pytest.mark.parametrize("fn", [eager_python_scalar, eager_zeros, jitted_with_constants])
def test_warm_scalar_copies_stay_allowed(fn):
    for _ in range(3):
        jax.block_until_ready(fn(_x()))
    assert find_implicit_transfers(fn, _x()) == []


def _counting(fn, calls):
    def counted(x):
        calls.append(x)
        return fn(x)

    return counted
