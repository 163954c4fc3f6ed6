"""Bank for the transform checks: each instruction ("use vmap", "use jit", "use grad") is seen in the
trace whatever the style of a correct answer, and missed by right numbers computed another way."""
import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

from autograder import AntiPatternError, assert_uses_transform, find_missing_transform

pytestmark = pytest.mark.detectors

W = jnp.arange(3.0)
XS = jnp.arange(12.0).reshape(4, 3)


def loss_one(w, x):
    return jnp.sum((x * w - 1.0) ** 2)


# --- vmap ---------------------------------------------------------------------------------------
def vmap_direct(w, xs):
    return jax.vmap(loss_one, in_axes=(None, 0))(w, xs)


@functools.partial(jax.vmap, in_axes=(None, 0))
def vmap_decorated(w, x):
    return loss_one(w, x)


def vmap_jit_inside(w, xs):
    return jax.vmap(jax.jit(loss_one), in_axes=(None, 0))(w, xs)


vmap_jit_outside = jax.jit(jax.vmap(loss_one, in_axes=(None, 0)))


def vmap_closure(w, xs):
    return jax.vmap(lambda x: loss_one(w, x))(xs)


def vmap_per_example_grads(w, xs):
    return jax.vmap(jax.grad(loss_one), in_axes=(None, 0))(w, xs)


def vmap_in_helper(w, xs):
    def batched(fn):
        return jax.vmap(fn, in_axes=(None, 0))

    return batched(loss_one)(w, xs)


def vmap_dict_axes(w, xs):
    return jax.vmap(lambda d: loss_one(d["w"], d["x"]), in_axes=({"w": None, "x": 0},))({"w": w, "x": xs})


def vmap_vectorize(w, xs):
    return jnp.vectorize(loss_one, signature="(n),(n)->()")(w, xs)


def broadcast_by_hand(w, xs):
    return jnp.sum((xs * w - 1.0) ** 2, axis=1)


def python_loop(w, xs):
    return jnp.stack([loss_one(w, x) for x in xs])


def lax_map(w, xs):
    return lax.map(lambda x: loss_one(w, x), xs)


def numpy_version(w, xs):
    return np.sum((np.asarray(xs) * np.asarray(w) - 1.0) ** 2, axis=1)


def vmap_over_library_function(w, xs):
    return jax.vmap(jnp.linalg.norm)(xs * w)


def library_vmap_only(w, xs):  # jnp.linalg.inv batches with vmap inside JAX: not the learner's vmap
    grams = jnp.einsum("bi,bj->bij", xs, xs) + jnp.eye(3)
    return jnp.einsum("bij,j->bi", jnp.linalg.inv(grams), w)


VMAP_CLEAN = [vmap_over_library_function, vmap_direct, vmap_decorated, vmap_jit_inside, vmap_jit_outside, vmap_closure,
              vmap_per_example_grads, vmap_in_helper, vmap_dict_axes, vmap_vectorize]
VMAP_OFFENDING = [broadcast_by_hand, python_loop, lax_map, library_vmap_only]


@pytest.mark.parametrize("fn", VMAP_CLEAN, ids=lambda f: f.__name__)
def test_vmap_seen(fn):
    assert_uses_transform(fn, W, XS, transform="vmap")


@pytest.mark.parametrize("fn", VMAP_OFFENDING, ids=lambda f: f.__name__)
def test_vmap_missed(fn):
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: missing-vmap\]"):
        assert_uses_transform(fn, W, XS, transform="vmap", instruction="batch loss_one with jax.vmap")


# --- jit ----------------------------------------------------------------------------------------
@jax.jit
def step_decorated(w, x):
    return w - 0.1 * jax.grad(loss_one)(w, x)


def step_plain(w, x):
    return w - 0.1 * jax.grad(loss_one)(w, x)


step_wrapped = jax.jit(step_plain)
step_partial = jax.jit(functools.partial(step_plain))


@functools.partial(jax.jit, static_argnames="lr")
def step_static_lr(w, x, lr=0.1):
    return w - lr * jax.grad(loss_one)(w, x)


def step_calls_jitted_helper(w, x):
    return w - 0.1 * _jitted_grad(w, x)


_jitted_grad = jax.jit(jax.grad(loss_one))


def step_with_library_jits(w, x):
    # jnp.clip and jnp.mean are jitted inside JAX itself: that is not the learner's jit.
    return jnp.clip(step_plain(w, x), -5.0, 5.0) + 0 * jnp.mean(x)


class Trainer:
    def __init__(self, lr):
        self.lr = lr
        self.step = jax.jit(self._step)

    def _step(self, w, x):
        return w - self.lr * jax.grad(loss_one)(w, x)


JIT_CLEAN = [step_decorated, step_wrapped, step_partial, step_static_lr, step_calls_jitted_helper,
             Trainer(0.1).step]
JIT_OFFENDING = [step_plain, step_with_library_jits]


@pytest.mark.parametrize("fn", JIT_CLEAN, ids=lambda f: getattr(f, "__name__", type(f).__name__))
def test_jit_seen(fn):
    assert_uses_transform(fn, W, XS[0], transform="jit")


@pytest.mark.parametrize("fn", JIT_OFFENDING, ids=lambda f: f.__name__)
def test_jit_missed(fn):
    with pytest.raises(AntiPatternError, match=r"missing-jit") as info:
        assert_uses_transform(fn, W, XS[0], transform="jit", instruction="compile the step with jax.jit")
    assert "compile the step with jax.jit" in str(info.value)


# --- grad ---------------------------------------------------------------------------------------
def grad_plain(w, x):
    return jax.grad(loss_one)(w, x)


def grad_value_and_grad(w, x):
    return jax.value_and_grad(loss_one)(w, x)[1]


def grad_vjp(w, x):
    _, pull = jax.vjp(lambda v: loss_one(v, x), w)
    return pull(jnp.ones(()))[0]


def grad_jacrev(w, x):
    return jax.jacrev(loss_one)(w, x)


def grad_with_aux(w, x):
    (_, _), g = jax.value_and_grad(lambda v: (loss_one(v, x), v.sum()), has_aux=True)(w)
    return g


grad_jitted = jax.jit(jax.grad(loss_one))


def grad_by_hand(w, x):
    return 2 * (x * w - 1.0) * x


def grad_forward_mode(w, x):
    return jax.jacfwd(loss_one)(w, x)


def grad_finite_difference(w, x):
    eye = jnp.eye(w.shape[0]) * 1e-3
    return jnp.stack([(loss_one(w + e, x) - loss_one(w - e, x)) / 2e-3 for e in eye])


def grad_through_a_solve(w, x):
    return jax.grad(lambda v: jnp.sum(jnp.linalg.solve(jnp.outer(x, x) + jnp.eye(3), v) ** 2))(w)


def hessian_of_a_library_norm(w, x):
    return jax.hessian(jnp.linalg.norm)(w + x)


def solve_by_hand(w, x):  # custom_linear_solve prepares its own transpose: not the learner's autodiff
    return 2 * jnp.linalg.solve(jnp.outer(x, x) + jnp.eye(3), w)


def inverse_by_hand(w, x):
    return jnp.linalg.inv(jnp.outer(x, x) + jnp.eye(3)) @ w


GRAD_CLEAN = [grad_through_a_solve, grad_plain, grad_value_and_grad, grad_vjp, grad_jacrev, grad_with_aux, grad_jitted]
GRAD_OFFENDING = [grad_by_hand, grad_forward_mode, grad_finite_difference, solve_by_hand, inverse_by_hand]


@pytest.mark.parametrize("fn", GRAD_CLEAN, ids=lambda f: getattr(f, "__name__", "jitted"))
def test_grad_seen(fn):
    assert_uses_transform(fn, W, XS[1], transform="grad")


@pytest.mark.parametrize("fn", GRAD_OFFENDING, ids=lambda f: f.__name__)
def test_grad_missed(fn):
    with pytest.raises(AntiPatternError, match=r"missing-grad"):
        assert_uses_transform(fn, W, XS[1], transform="grad")


@pytest.mark.parametrize("fn", [grad_plain, grad_forward_mode, grad_jacrev, hessian_of_a_library_norm],
                         ids=lambda f: f.__name__)
def test_any_autodiff_seen(fn):
    assert_uses_transform(fn, W, XS[1], transform="autodiff")


@pytest.mark.parametrize("fn", [grad_by_hand, solve_by_hand, inverse_by_hand], ids=lambda f: f.__name__)
def test_autodiff_missed_by_formula(fn):
    assert find_missing_transform(fn, W, XS[1], transform="autodiff")


def test_message_names_the_learner_definition_and_no_jax_internals():
    findings = find_missing_transform(broadcast_by_hand, W, XS, transform="vmap")
    (finding,) = findings
    assert finding.where is not None and finding.where.function == "broadcast_by_hand"
    assert "def broadcast_by_hand" in finding.where.code
    text = finding.explain()
    assert "jax._src" not in text and "Traced<" not in text


def test_unknown_transform_is_a_clear_error():
    with pytest.raises(ValueError, match="transform must be one of"):
        assert_uses_transform(grad_plain, W, XS[1], transform="pmap")


def test_numpy_answer_is_explained_as_untraceable():
    findings = find_missing_transform(numpy_version, W, XS, transform="vmap")
    assert [f.check for f in findings] == ["missing-vmap", "not-traceable"]
    assert "np.asarray" in findings[1].where.code


# --- where a missing transformation is reported ----------------------------------------------------
def standardize(x):
    return (x - x.mean()) / (x.std() + 1e-6)


standardize_fast = standardize  # MISSING-JIT: renamed, never compiled
batched_loss = jax.vmap(loss_one, in_axes=(None, 0))  # MISSING-JIT: wrapped with vmap only
step_with_lr = functools.partial(lambda w, x, lr: w - lr * jax.grad(loss_one)(w, x), lr=0.1)  # MISSING-JIT


@pytest.mark.parametrize("fn, args", [
    (standardize_fast, (XS,)), (batched_loss, (W, XS)), (step_with_lr, (W, XS[0])),
], ids=["renamed", "wrapped-with-vmap", "partial"])
def test_missing_jit_points_at_the_line_that_made_the_graded_function(fn, args):
    (finding,) = find_missing_transform(fn, *args, transform="jit")
    assert "# MISSING-JIT" in finding.where.code, finding.where
    assert finding.where.file == __file__


def test_missing_jit_on_a_plain_def_points_at_the_def():
    (finding,) = find_missing_transform(step_plain, W, XS[0], transform="jit")
    assert finding.where.code.startswith("def step_plain")


def test_a_learner_jit_named_like_a_library_function_is_the_learners():
    @jax.jit
    def clip(w, x):
        return w - 0.1 * jax.grad(loss_one)(w, x)

    assert find_missing_transform(lambda w, x: clip(w, x), W, XS[0], transform="jit") == []
    assert find_missing_transform(lambda w, x: jnp.clip(w, 0, 1) + x, W, XS[0], transform="jit")
