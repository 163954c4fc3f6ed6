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


# --- images and integer data: NumPy float64 constants broadcast against them, float64 asked for -----------
IMAGE = jnp.zeros((2, 2, 3), dtype=jnp.uint8)
NP_F64_MEAN = np.array([0.485, 0.456, 0.406])
NP_F64_STD = np.array([0.229, 0.224, 0.225])


def bad_normalize_numpy_constants(img):
    return (img.astype(jnp.float32) / 255.0 - NP_F64_MEAN) / NP_F64_STD  # <- drift


def bad_reshaped_numpy_constant(img):
    return img.astype(jnp.float32) * NP_F64_STD.reshape(1, 1, 3)  # <- drift


def bad_expanded_numpy_constant(img):
    mean = jnp.asarray(NP_F64_MEAN)[None, None, :]
    return img.astype(jnp.float32) - jnp.transpose(mean, (1, 0, 2))  # <- drift


def bad_image_astype_float64(img):
    x = img.astype(jnp.float64)  # <- drift
    return x / 255.0


def bad_image_dtype_float64(img):
    return jnp.asarray(img, dtype=jnp.float64) * 2.0  # <- drift


def bad_counts_astype_float64(img):
    counts = img.astype(jnp.int32) * 2  # int32 data; sums would be int64 under the trace's 64-bit mode
    return jnp.cumsum(counts.astype(np.float64), axis=0)  # <- drift


def ok_normalize_float32_constants(img):
    mean = jnp.asarray(NP_F64_MEAN, dtype=jnp.float32)
    return (img.astype(jnp.float32) / 255.0 - mean) / NP_F64_STD.astype(np.float32)


def ok_image_promoted_by_python_scalars(img):
    return img / 255.0 + img * 0.5 + img / 255 + jnp.sqrt(img)


def ok_image_with_default_arrays(img):
    return jnp.zeros(img.shape) + img + jnp.full(img.shape, 0.5) * img + jnp.ones((1, 1, 3)) * img


def ok_integer_library_calls(img):
    labels = img[0, 0].astype(jnp.int32)
    return jnp.mean(img) + jnp.std(img) + jnp.sum(jax.nn.one_hot(labels, 3)) + jnp.arange(3) * 0.5


BAD_IMAGE = [bad_normalize_numpy_constants, bad_reshaped_numpy_constant, bad_expanded_numpy_constant,
             bad_image_astype_float64, bad_image_dtype_float64, bad_counts_astype_float64]
OK_IMAGE = [ok_normalize_float32_constants, ok_image_promoted_by_python_scalars, ok_image_with_default_arrays,
            ok_integer_library_calls]


@pytest.mark.parametrize("fn", BAD_IMAGE, ids=lambda f: f.__name__)
def test_drift_from_image_code_is_caught_at_its_line(fn):
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: dtype-drift\]") as err:
        assert_no_dtype_drift(fn, IMAGE)
    assert "# <- drift" in err.value.findings[0].where.code


@pytest.mark.parametrize("fn", OK_IMAGE, ids=lambda f: f.__name__)
def test_float32_image_code_passes(fn):
    assert find_dtype_drift(fn, IMAGE) == []


def test_the_check_and_the_learners_own_calls_do_not_share_cached_constants():
    # JAX 0.10 caches a traced function's NumPy constants whatever the 64-bit mode: the cell that checks
    # the values (jit included) runs before the drift check, and later cells call the function again.
    def normalize(img):
        return (img.astype(jnp.float32) / 255.0 - NP_F64_MEAN) / NP_F64_STD  # <- drift

    assert jax.jit(normalize)(IMAGE).dtype == jnp.float32
    (finding,) = find_dtype_drift(normalize, IMAGE)
    assert "# <- drift" in finding.where.code
    assert jax.jit(normalize)(IMAGE).dtype == normalize(IMAGE).dtype == jnp.float32


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
