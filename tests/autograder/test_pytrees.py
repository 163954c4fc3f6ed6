"""Bank for the pytree detectors: lost leaves, in-place changes, unregistered classes, Python-number leaves."""
import dataclasses
from collections import namedtuple

import jax
import jax.numpy as jnp
import pytest

from autograder import (
    AntiPatternError,
    assert_no_input_mutation,
    assert_no_python_scalar_leaves,
    assert_registered_pytree,
    assert_same_tree_structure,
    count_compilations,
    find_input_mutation,
    find_python_scalar_leaves,
    find_tree_mismatch,
    find_unregistered_class,
)

pytestmark = pytest.mark.detectors
PARAMS = {"dense": {"w": jnp.ones((2, 3)), "b": jnp.zeros(3)}, "scale": jnp.ones(())}
GRADS = jax.tree.map(lambda p: 0.5 * p, PARAMS)


def sgd_by_hand(params, grads):
    return {"dense": {"w": params["dense"]["w"] - grads["dense"]["w"]}, "scale": params["scale"]}


def sgd_in_place(params, grads):
    for layer in ("dense",):
        for k in params[layer]:
            params[layer][k] = params[layer][k] - grads[layer][k]  # <- changes the caller's dict
    return params


def sgd_appends(params, grads):
    params["step"] = jnp.zeros(())
    return params


def sgd_tree_map(params, grads):
    return jax.tree.map(lambda p, g: p - g, params, grads)


@dataclasses.dataclass
class Layer:
    w: jax.Array
    b: jax.Array


@dataclasses.dataclass
class RegisteredLayer:
    w: jax.Array
    b: jax.Array


jax.tree_util.register_dataclass(RegisteredLayer, data_fields=["w", "b"], meta_fields=[])
Pair = namedtuple("Pair", "first second")


def test_a_dropped_leaf_is_named_by_its_path():
    (finding,) = find_tree_mismatch(sgd_by_hand(PARAMS, GRADS), PARAMS, name="new params")
    assert finding.check == "tree-structure"
    assert "['dense']['b']" in finding.what and "lost" in finding.what
    assert "jax.tree.map" in finding.fix
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: tree-structure\]"):
        assert_same_tree_structure(sgd_by_hand(PARAMS, GRADS), PARAMS)


def test_extra_leaves_and_changed_containers_are_reported():
    (extra,) = find_tree_mismatch({**PARAMS, "step": jnp.ones(())}, PARAMS)
    assert "['step']" in extra.what and "should not be there" in extra.what
    (container,) = find_tree_mismatch([jnp.ones(2), jnp.ones(2)], (jnp.ones(2), jnp.ones(2)))
    assert "other containers" in container.what


def test_a_single_leaf_instead_of_a_tree_is_named():
    (finding,) = find_tree_mismatch(..., PARAMS, name="yours")
    assert "a single ellipsis leaf" in finding.what and "['scale']" in finding.what


def test_same_structure_passes_whatever_the_values():
    assert find_tree_mismatch(sgd_tree_map(PARAMS, GRADS), PARAMS) == []
    assert_same_tree_structure(Pair(1.0, [jnp.ones(4)]), Pair(jnp.ones(()), [jnp.zeros(4)]))


@pytest.mark.parametrize("bad", [sgd_in_place, sgd_appends])
def test_changing_the_callers_tree_is_caught(bad):
    params = jax.tree.map(lambda x: x, PARAMS)
    (finding,) = find_input_mutation(bad, params, GRADS)
    assert finding.check == "input-mutation" and "`params`" in finding.what
    assert finding.where is not None and finding.where.function == bad.__name__


def test_in_place_change_names_the_leaves():
    (finding,) = find_input_mutation(sgd_in_place, jax.tree.map(lambda x: x, PARAMS), GRADS)
    assert "params['dense']['b']" in finding.what and "params['dense']['w']" in finding.what


def test_a_functional_update_is_not_a_mutation():
    assert find_input_mutation(sgd_tree_map, PARAMS, GRADS) == []
    assert_no_input_mutation(jax.jit(sgd_in_place), jax.tree.map(lambda x: x, PARAMS), GRADS)  # jit copies
    assert_no_input_mutation(sgd_tree_map, params=PARAMS, grads=GRADS)


def test_unregistered_class_is_explained():
    (finding,) = find_unregistered_class(Layer(jnp.ones(2), jnp.ones(2)), name="layer")
    assert finding.check == "unregistered-pytree"
    assert "register_dataclass" in finding.fix and "abstract array" in finding.why
    with pytest.raises(AntiPatternError, match=r"unregistered-pytree"):
        assert_registered_pytree(Layer(jnp.ones(2), jnp.ones(2)))


@pytest.mark.parametrize(
    "value", [RegisteredLayer(jnp.ones(2), jnp.ones(2)), Pair(1, 2), {"a": 1}, jnp.ones(3), 3.0, None]
)
def test_registered_classes_containers_and_leaves_pass(value):
    assert find_unregistered_class(value) == []


def test_python_number_leaves_are_named():
    (finding,) = find_python_scalar_leaves({"count": 0, "m": jnp.zeros(2), "lr": 0.1}, name="state")
    assert finding.check == "python-scalar-leaf"
    assert "state['count'] = 0 (int)" in finding.what and "state['lr'] = 0.1 (float)" in finding.what
    assert find_python_scalar_leaves({"count": jnp.zeros((), jnp.int32)}) == []
    with pytest.raises(AntiPatternError, match="python-scalar-leaf"):
        assert_no_python_scalar_leaves([True])


def test_the_python_number_leaf_really_compiles_twice():
    @jax.jit
    def step(state):
        return {"count": state["count"] + jnp.int32(1)}

    def run(state):
        for _ in range(3):
            state = step(state)

    assert count_compilations(lambda: run({"count": 0})).count == 2
    assert count_compilations(lambda: run({"count": jnp.zeros((), jnp.int32)})).count == 0  # same program, cached
