"""Training steps written the way learners write them: one compiled program, or pieces glued by Python."""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from autograder.detectors.jit_scope import assert_single_jit, find_split_jit

from . import Case

FIND, ASSERT, CHECKS = find_split_jit, assert_single_jit, ("jit-scope",)
PARAMS = {"w": jnp.zeros(3), "b": jnp.zeros(())}
X, Y = jnp.ones((4, 3)), jnp.arange(4.0)


def _loss(params, x, y):
    return jnp.mean((x @ params["w"] + params["b"] - y) ** 2)


def _sgd(params, grads, lr):
    return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads)


def _case(fn, **kwargs):
    return Case(fn, (PARAMS, X, Y, 0.1), kwargs)


_loss_jit = jax.jit(_loss)
_grad_jit = jax.jit(jax.grad(_loss))
_value_and_grad_jit = jax.jit(jax.value_and_grad(_loss))
_sgd_jit = jax.jit(_sgd)


# --- clean -----------------------------------------------------------------------------------------
@jax.jit
def decorated_step(params, x, y, lr):
    loss, grads = jax.value_and_grad(_loss)(params, x, y)
    return _sgd(params, grads, lr), loss


def _plain_step(params, x, y, lr):
    loss, grads = jax.value_and_grad(_loss)(params, x, y)
    return {"params": _sgd(params, grads, lr), "loss": loss}


wrapped_step = jax.jit(_plain_step)


@jax.jit
def nested_jits_inside(params, x, y, lr):
    loss, grads = _value_and_grad_jit(params, x, y)
    return _sgd_jit(params, grads, lr), loss


def delegates_to_one_jit(params, x, y, lr):
    return decorated_step(params, x, y, lr)


donating_step = jax.jit(_plain_step, donate_argnums=0)


@functools.partial(jax.jit, static_argnames="steps")
def static_argnames_steps(params, x, y, lr, steps=2):
    for _ in range(steps):
        params = _sgd(params, jax.grad(_loss)(params, x, y), lr)
    return params


def _scan_step(params, x, y, lr):
    def body(p, _):
        return _sgd(p, jax.grad(_loss)(p, x, y), lr), None

    return jax.lax.scan(body, params, None, length=3, unroll=3)[0]


scan_of_steps = jax.jit(_scan_step)


class Trainer:
    def __init__(self):
        self.step = jax.jit(self._step)

    def _step(self, params, x, y, lr):
        return _sgd(params, jax.grad(_loss)(params, x, y), lr)


def method_jitted_in_init(params, x, y, lr):
    return Trainer().step(params, x, y, lr)


def _debug_step(params, x, y, lr):
    loss, grads = jax.value_and_grad(_loss)(params, x, y)
    jax.debug.print("loss {}", loss)
    return _sgd(params, grads, lr)


debug_print_step = jax.jit(_debug_step)


def returns_inputs_only(params, x, y, lr):
    return params, y


CLEAN = [
    _case(decorated_step), Case(wrapped_step, (PARAMS, X, Y, 0.1), label="wrapped_step"), _case(nested_jits_inside),
    _case(delegates_to_one_jit), Case(donating_step, (PARAMS, X, Y, 0.1), label="donating_step"), _case(static_argnames_steps), _case(scan_of_steps), _case(method_jitted_in_init),
    _case(debug_print_step), _case(returns_inputs_only),
]


# --- offending -------------------------------------------------------------------------------------
def not_jitted(params, x, y, lr):  # MISTAKE
    loss, grads = jax.value_and_grad(_loss)(params, x, y)
    return _sgd(params, grads, lr), loss


def jit_per_piece(params, x, y, lr):
    loss = _loss_jit(params, x, y)
    grads = _grad_jit(params, x, y)  # MISTAKE
    return _sgd_jit(params, grads, lr), loss


def jitted_grads_eager_update(params, x, y, lr):
    loss, grads = _value_and_grad_jit(params, x, y)
    return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads), loss  # MISTAKE


def two_jits_no_glue(params, x, y, lr):
    loss, grads = _value_and_grad_jit(params, x, y)
    return _sgd_jit(params, grads, lr), loss  # MISTAKE


def eager_op_after_whole_step(params, x, y, lr):
    new, loss = decorated_step(params, x, y, lr)
    return new, loss * 1.0  # MISTAKE


def _update_leaf(p, g, lr):
    return _leaf_jit(p, g, lr)  # MISTAKE


_leaf_jit = jax.jit(lambda p, g, lr: p - lr * g)


def jit_per_leaf_in_helper(params, x, y, lr):
    grads = jax.jit(jax.grad(_loss))(params, x, y)
    return {k: _update_leaf(params[k], grads[k], lr) for k in params}


class StepRunner:
    def run(self, params, x, y, lr):
        grads = _grad_jit(params, x, y)
        return _sgd_jit(params, grads, lr)  # MISTAKE


def method_in_pieces(params, x, y, lr):
    return StepRunner().run(params, x, y, lr)


def loop_of_jitted_steps(params, x, y, lr):
    for _ in range(2):
        params = _sgd_jit(params, _grad_jit(params, x, y), lr)  # MISTAKE
    return params


def dict_result_eager_loss(params, x, y, lr):
    grads = _grad_jit(params, x, y)
    return {"params": _sgd_jit(params, grads, lr), "loss": _loss(params, x, y)}  # MISTAKE


@functools.partial(jax.jit, static_argnames="lr")
def _static_lr_update(params, grads, lr):
    return _sgd(params, grads, lr)


def static_argnames_piece(params, x, y, lr):
    grads = jax.grad(_loss)(params, x, y)  # MISTAKE
    return _static_lr_update(params, grads, lr=lr)


OFFENDING = [
    _case(not_jitted), _case(jit_per_piece), _case(jitted_grads_eager_update), _case(two_jits_no_glue),
    _case(eager_op_after_whole_step), _case(jit_per_leaf_in_helper), _case(method_in_pieces),
    _case(loop_of_jitted_steps), _case(dict_result_eager_loss), _case(static_argnames_piece),
]
