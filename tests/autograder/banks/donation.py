"""Jitted updates that donate the way learners write them: honoured donations, and donations that do nothing."""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from autograder import assert_donation_honoured, find_unhonoured_donation

from . import Case

FIND, ASSERT, CHECKS = find_unhonoured_donation, assert_donation_honoured, ("donation",)
W = jnp.ones((4, 3))
G = jnp.full((4, 3), 0.5)
PARAMS = {"w": W, "b": jnp.zeros(3)}
GRADS = {"w": G, "b": jnp.ones(3)}


def _case(fn, *args, required=0, label=""):
    return Case(fn, args or (W, G), {"donate_argnums": required}, label=label)


# --- clean -----------------------------------------------------------------------------------------
def _update(w, g):
    return w - 0.1 * g


def _sgd(params, grads):
    return jax.tree_util.tree_map(lambda p, g: p - 0.1 * g, params, grads)


@functools.partial(jax.jit, donate_argnums=0)
def decorated_update(w, g):
    return w - 0.1 * g


@functools.partial(jax.jit, donate_argnames="params")
def donate_argnames_pytree(params, grads):
    return _sgd(params, grads)


@functools.partial(jax.jit, donate_argnums=0, static_argnames="lr")
def static_learning_rate(w, g, lr=0.1):
    return w - lr * g


@functools.partial(jax.jit, donate_argnums=0)
def tuple_result(w, g):
    new = w - 0.1 * g
    return new, jnp.sum(new ** 2)


@functools.partial(jax.jit, donate_argnums=0)
def dict_state(state, g):
    return {"w": state["w"] - 0.1 * g, "step": state["step"] + 1}


@functools.partial(jax.jit, donate_argnums=0)
def scan_updates(w, g):
    return jax.lax.scan(lambda p, _: (p - 0.01 * g, None), w, None, length=3, unroll=3)[0]


@functools.partial(jax.jit, donate_argnums=0)
def debug_printed(w, g):
    jax.debug.print("norm {}", jnp.linalg.norm(g))
    return w - 0.1 * g


class Optimiser:
    def __init__(self, lr):
        self.lr = lr
        self.step = jax.jit(self._step, donate_argnums=0)

    def _step(self, params, grads):
        return jax.tree_util.tree_map(lambda p, g: p - self.lr * g, params, grads)


@functools.partial(jax.jit, donate_argnums=(0, 1))
def adam_like(params, moments, grads):
    moments = jax.tree_util.tree_map(lambda m, g: 0.9 * m + 0.1 * g, moments, grads)
    return jax.tree_util.tree_map(lambda p, m: p - 0.1 * m, params, moments), moments


@functools.partial(jax.jit, donate_argnums=0)
def write_rows(buffer, rows):
    return buffer.at[:2].set(rows[:2])


CLEAN = [
    _case(decorated_update), _case(donate_argnames_pytree, PARAMS, GRADS), _case(static_learning_rate),
    _case(tuple_result), _case(dict_state, {"w": W, "step": jnp.zeros((), jnp.int32)}, G), _case(scan_updates),
    _case(debug_printed), Case(Optimiser(0.1).step, (PARAMS, GRADS), {"donate_argnums": 0}, label="optimiser_method"),
    _case(adam_like, PARAMS, PARAMS, GRADS, required=(0, 1)), _case(write_rows, W, G),
    _case(jax.jit(_update, donate_argnums=0), label="jit_call_donate_argnums"),
]


# --- offending -------------------------------------------------------------------------------------
def forgot_to_donate(w, g):  # MISTAKE
    return w - 0.1 * g


@functools.partial(jax.jit, donate_argnums=0)
def returns_only_a_loss(w, g):  # MISTAKE
    return jnp.sum((w - g) ** 2)


@functools.partial(jax.jit, donate_argnums=0)
def changes_dtype(w, g):  # MISTAKE
    return (w - 0.1 * g).astype(jnp.bfloat16)


@functools.partial(jax.jit, donate_argnums=1)
def donates_the_gradients(w, g):  # MISTAKE
    return w - 0.1 * g


@functools.partial(jax.jit, donate_argnums=0)
def stacks_a_larger_result(w, g):  # MISTAKE
    return jnp.concatenate([w - 0.1 * g, g])


def _sgd_tree(params, grads):  # MISTAKE
    return jax.tree_util.tree_map(lambda p, g: p - 0.1 * g, params, grads)


@functools.partial(jax.jit, donate_argnums=0)
def returns_a_slice(w, g):  # MISTAKE
    return (w - 0.1 * g)[:2]


class Stepper:
    def __init__(self):
        self.step = jax.jit(self._step, donate_argnums=0)

    def _step(self, params, grads):  # MISTAKE
        return jnp.sum(params["w"] * grads["w"])


@functools.partial(jax.jit, donate_argnames="w")
def donated_by_name_but_reduced(w, g):  # MISTAKE
    return {"norm": jnp.linalg.norm(w - g)}


@functools.partial(jax.jit, donate_argnums=0)
def scan_reduces(w, g):  # MISTAKE
    return jax.lax.scan(lambda c, row: (c + row.sum(), None), 0.0, w - g)[0]


@functools.partial(jax.jit, static_argnames="k")
def static_only_no_donation(w, g, k=2):  # MISTAKE
    return w - k * g


OFFENDING = [
    _case(jax.jit(forgot_to_donate), label="forgot_to_donate"), _case(returns_only_a_loss, required=None),
    _case(changes_dtype, required=None), _case(donates_the_gradients), _case(stacks_a_larger_result, required=None),
    _case(jax.jit(_sgd_tree), PARAMS, GRADS, label="pytree_step_not_donated"), _case(returns_a_slice, required=None),
    Case(Stepper().step, (PARAMS, GRADS), {"donate_argnums": None}, label="method_reduces"),
    _case(donated_by_name_but_reduced, required=None), _case(scan_reduces, required=None),
    _case(static_only_no_donation),
]
