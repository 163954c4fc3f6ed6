"""Eager functions written the way learners write them: data kept on the device, and hidden host copies."""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from autograder.detectors.transfers import assert_no_implicit_transfers, find_implicit_transfers

from . import Case

FIND, ASSERT, CHECKS = find_implicit_transfers, assert_no_implicit_transfers, ("implicit-transfer",)

WEIGHTS_ON_HOST = np.linspace(0.0, 1.0, 4, dtype=np.float32)


def _x():
    return jax.device_put(np.arange(4.0, dtype=np.float32))


def _case(fn, *extra, **kwargs):
    return Case(fn, (_x(), *extra), kwargs)


# --- clean -----------------------------------------------------------------------------------------
def scale_by_python_float(x):
    return x * 2.0 - 1.0


@jax.jit
def _step(x, lr):
    return x - lr * x


def learning_rate_as_argument(x):
    return _step(x, 0.1)


def tuple_of_results(x):
    return jnp.sum(x), jnp.max(x)


def dict_of_results(x):
    return {"mean": jnp.mean(x), "norm": jnp.linalg.norm(x)}


def explicit_put_once(x):
    w = jax.device_put(WEIGHTS_ON_HOST)
    return x * w


def explicit_read_back(x):
    host = jax.device_get(jnp.cumsum(x))
    return jax.device_put(host[::-1].copy())


def device_branch(x):
    return jnp.where(x.sum() > 0, x, -x)


def debug_print_on_device(x):
    jax.debug.print("sum {}", x.sum())
    return x + 1


class Scaler:
    def __init__(self, factor):
        self.factor = jnp.asarray(factor)

    def __call__(self, x):
        return x * self.factor


def method_with_device_state(x):
    return Scaler(3.0)(x)


def partial_with_int(x, power):
    return x ** power


def scan_on_device(x):
    return jax.lax.scan(lambda c, v: (c + v, c), 0.0, x, unroll=2)[1]


def indexes_with_python_int(x):
    return x[1] + x[-1]


CLEAN = [
    _case(scale_by_python_float), _case(learning_rate_as_argument), _case(tuple_of_results),
    _case(dict_of_results), _case(explicit_put_once), _case(explicit_read_back), _case(device_branch),
    _case(debug_print_on_device), _case(method_with_device_state),
    Case(functools.partial(partial_with_int, power=3), (_x(),), label="partial_with_int"),
    _case(scan_on_device), _case(indexes_with_python_int),
]


# --- offending -------------------------------------------------------------------------------------
def _normalise(v):
    return v / float(jnp.linalg.norm(v))  # MISTAKE


def float_in_helper(x):
    return _normalise(x)


def python_if_on_device_value(x):
    if x.sum() > 0:  # MISTAKE
        return x
    return -x


def tolist_in_comprehension(x):
    return jnp.asarray([v * 2 for v in x.tolist()])  # MISTAKE


class Model:
    def __init__(self):
        self.w = WEIGHTS_ON_HOST

    def __call__(self, x):
        return x @ self.w  # MISTAKE


def method_with_host_weights(x):
    return Model()(x)


def numpy_in_loop_body(x):
    for k in range(2):
        x = x + np.ones(4, dtype=np.float32) * k  # MISTAKE
    return x


def item_to_pick_a_step(x):
    best = x.argmax().item()  # MISTAKE
    return x * best


def np_asarray_of_result(x):
    host = np.asarray(jnp.sin(x))  # MISTAKE
    return jax.device_put(host * 2)


def list_of_lists(x):
    return x + jnp.array([[1.0, 2.0, 3.0, 4.0]])  # MISTAKE


@jax.jit
def _jitted(x, w):
    return x * w


def host_array_into_jit(x):
    return _jitted(x, WEIGHTS_ON_HOST)  # MISTAKE


def tuple_result_via_float(x):
    loss = jnp.sum(x ** 2)
    return loss, int(x.argmin())  # MISTAKE


def while_on_device_value(x):
    while jnp.max(x) > 1.0:  # MISTAKE
        x = x / 2
    return x


OFFENDING = [
    _case(float_in_helper), _case(python_if_on_device_value), _case(tolist_in_comprehension),
    _case(method_with_host_weights), _case(numpy_in_loop_body), _case(item_to_pick_a_step),
    _case(np_asarray_of_result), _case(list_of_lists), _case(host_array_into_jit),
    _case(tuple_result_via_float), _case(while_on_device_value),
]
