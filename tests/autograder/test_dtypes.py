"""Bank for float64 drifting into float32 programs."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

from autograder import AntiPatternError, assert_no_dtype_drift, find_dtype_drift

pytestmark = pytest.mark.detectors
X = jnp.linspace(0.0, 1.0, 3)
KEY = jax.random.PRNGKey(0)
SCALE = np.float64(0.5)


def bad_numpy_scalar(x):
    return x * np.float64(2.0)  # <- drift


def bad_numpy_math(x):
    return x * np.sqrt(2.0)  # <- drift


def bad_astype(x):
    y = x.astype(jnp.float64)  # <- drift
    return jnp.sum(y ** 2)


def bad_dtype_arg(x):
    return jnp.array([1.0, 2.0, 3.0], dtype=jnp.float64) + x  # <- drift


def bad_numpy_array(x):
    weights = np.linspace(0.0, 1.0, 3)
    return jnp.dot(x, weights)  # <- drift


def bad_closure_constant(x):
    return jnp.exp(-x * SCALE)  # <- drift


def bad_asarray_numpy(x):
    return jnp.asarray(np.ones(3)) * x  # <- drift


def bad_in_loop(x):
    return lax.scan(lambda c, xi: (c + xi, xi * np.float64(0.9)), 0.0, x)[1]  # <- drift


@jax.jit
def bad_jitted(x):
    return jnp.tanh(x).astype(np.float64)  # <- drift


def ok_defaults(x):
    return jnp.zeros(3) + x + jnp.ones(3) * jnp.arange(3.0) + jnp.linspace(0, 1, 3)


def ok_python_scalars(x):
    return x * 2.0 / 3 + jnp.pi * x + jnp.sqrt(2.0) * x + jnp.array(2.0) * x


def ok_random(x):
    return jax.random.normal(KEY, (3,)) + jax.random.uniform(KEY, (3,)) * x


def ok_library(x):
    return jax.nn.softmax(x) + jnp.linalg.norm(x) + jnp.mean(x) + jnp.var(jnp.arange(5)) * x


def ok_float32_constants(x):
    return x * np.float32(2.0) + jnp.asarray(np.ones(3), dtype=x.dtype) + x.astype(jnp.float32)


def ok_loops(x):
    return lax.fori_loop(0, 3, lambda i, c: c * 0.5 + x[i], x)


def test_loop_whose_carry_changes_dtype_is_not_judged():
    # Under 64-bit mode the carry would change dtype and the trace fails: nothing to report on.
    assert find_dtype_drift(lambda x: lax.fori_loop(0, 3, lambda i, c: c * 0.5 + jnp.eye(3)[i], x), X) == []


def ok_integer_mix(x):
    return jnp.arange(3) * 0.5 + x + jnp.cumsum(jnp.arange(3)) * x


BAD = [bad_numpy_scalar, bad_numpy_math, bad_astype, bad_dtype_arg, bad_numpy_array, bad_closure_constant,
       bad_asarray_numpy, bad_in_loop, bad_jitted]
OK = [ok_defaults, ok_python_scalars, ok_random, ok_library, ok_float32_constants, ok_loops, ok_integer_mix]


@pytest.mark.parametrize("fn", BAD, ids=lambda f: f.__name__)
def test_drift_is_caught_at_its_first_line(fn):
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: dtype-drift\]") as err:
        assert_no_dtype_drift(fn, X)
    assert "# <- drift" in err.value.findings[0].where.code


@pytest.mark.parametrize("fn", OK, ids=lambda f: f.__name__)
def test_float32_programs_pass(fn):
    assert find_dtype_drift(fn, X) == []


def test_x64_is_restored_and_numpy_float64_inputs_are_narrowed():
    assert find_dtype_drift(ok_defaults, np.linspace(0.0, 1.0, 3)) == []
    assert not jax.config.jax_enable_x64
    assert jnp.zeros(1).dtype == jnp.float32


def test_float64_exercises_are_not_checked():
    assert find_dtype_drift(bad_astype, X, expected=jnp.float64) == []


def test_returned_float64_is_mentioned():
    (finding,) = find_dtype_drift(bad_jitted, X)
    assert "returns float64" in finding.what
