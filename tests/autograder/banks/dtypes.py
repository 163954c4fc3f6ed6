"""float32 code written the way learners write it, and float64 creeping in through hidden doors."""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from autograder import assert_no_dtype_drift, find_dtype_drift

from . import Case

FIND, ASSERT, CHECKS = find_dtype_drift, assert_no_dtype_drift, ("dtype-drift",)
X = jnp.linspace(0.0, 1.0, 4)
PIXELS = jnp.arange(12, dtype=jnp.uint8).reshape(3, 4)
KEY = jax.random.PRNGKey(0)
SCALE64 = np.float64(0.5)


def _case(fn, *args):
    return Case(fn, args or (X,))


# --- clean -----------------------------------------------------------------------------------------
def python_scalars_and_defaults(x):
    return x * 2.0 / 3 + jnp.zeros(4) + jnp.pi * x + jnp.arange(4.0)


def constants_in_the_input_dtype(x):
    return x * jnp.asarray(np.linspace(0, 1, 4), dtype=x.dtype) + np.float32(0.5)


def pixels_to_unit_range(img):
    return img.astype(jnp.float32) / 255.0


def tuple_and_dict_results(x):
    return {"mean": x.mean(), "spread": (x.min(), x.max(), jnp.std(x))}


def scan_with_unroll(x):
    return lax.scan(lambda c, v: (0.9 * c + v, c), 0.0, x, unroll=2)


class Normaliser:
    def __init__(self, eps):
        self.eps = eps

    def __call__(self, x):
        return (x - x.mean()) / (x.std() + self.eps)


def method_with_python_eps(x):
    return Normaliser(1e-6)(x)


def random_draws(x):
    return x + jax.random.normal(KEY, x.shape) * jax.random.uniform(KEY, ())


def partial_with_float(x, temperature):
    return jax.nn.softmax(x / temperature)


def params_pytree(x):
    params = {"w": jnp.ones((4, 2), dtype=x.dtype), "b": jnp.zeros(2, x.dtype)}
    return jnp.tanh(x @ params["w"] + params["b"])


def debug_print_and_fori(x):
    jax.debug.print("x {}", x)
    return lax.fori_loop(0, 3, lambda i, c: c * 0.5 + x[i], x)


CLEAN = [
    _case(python_scalars_and_defaults), _case(constants_in_the_input_dtype), _case(pixels_to_unit_range, PIXELS),
    _case(tuple_and_dict_results), _case(scan_with_unroll), _case(method_with_python_eps), _case(random_draws),
    Case(functools.partial(partial_with_float, temperature=0.7), (X,), label="partial_with_float"),
    _case(params_pytree), _case(debug_print_and_fori),
]


# --- offending -------------------------------------------------------------------------------------
def _weights():
    return np.linspace(0.0, 1.0, 4)


def numpy_weights_from_helper(x):
    return jnp.dot(x, _weights())  # MISTAKE (float64 enters the computation here)


def numpy_math_scale(x):
    return x * np.sqrt(2.0)  # MISTAKE


def astype_float64_in_comprehension(x):
    return sum(v.astype(jnp.float64) for v in (x, x * 2))  # MISTAKE


class Model:
    scale = np.float64(3.0)

    def __call__(self, x):
        return jnp.tanh(x * self.scale)  # MISTAKE


def class_constant(x):
    return Model()(x)


def float64_in_loop_body(x):
    total = x
    for _ in range(2):
        total = total * np.float64(0.9)  # MISTAKE
    return total


def float64_in_scan(x):
    return lax.scan(lambda c, v: (c + v, v * np.float64(0.9)), 0.0, x)[1]  # MISTAKE


def dtype_argument(x):
    return jnp.array([1.0, 2.0, 3.0, 4.0], dtype=jnp.float64) + x  # MISTAKE


def pixels_astype_float64(img):
    return img.astype(jnp.float64) / 255.0  # MISTAKE


def closure_numpy_scalar(x):
    return jnp.exp(-x * SCALE64)  # MISTAKE


def dict_of_numpy_arrays(x):
    stats = {"mean": np.ones(4) * 0.5}
    return x - stats["mean"]  # MISTAKE


@jax.jit
def _jitted_cast(x):
    return jnp.tanh(x).astype(np.float64)  # MISTAKE


def jitted_helper(x):
    return _jitted_cast(x) * 2


OFFENDING = [
    _case(numpy_weights_from_helper), _case(numpy_math_scale), _case(astype_float64_in_comprehension),
    _case(class_constant), _case(float64_in_loop_body), _case(float64_in_scan), _case(dtype_argument),
    _case(pixels_astype_float64, PIXELS), _case(closure_numpy_scalar), _case(dict_of_numpy_arrays),
    _case(jitted_helper),
]
