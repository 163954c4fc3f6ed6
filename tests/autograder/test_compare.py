"""Bank for answer comparison: pytrees, NaN, dtypes, shapes, structure and objects that lie."""
from collections import namedtuple

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from autograder import assert_close, assert_equal, assert_shape_dtype

pytestmark = pytest.mark.detectors
Params = namedtuple("Params", ["w", "b"])


class LyingArray:
    """Says it equals everything."""

    def __eq__(self, other):
        return True

    def __bool__(self):
        return True

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("the grader must not call __array__")

    shape, dtype = (3,), np.float32


class LyingFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class LyingDict(dict):
    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return jnp.zeros(3)


class LyingNdarray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), bool)


MATCHING = [
    (jnp.array([1.0, 2.0]), jnp.array([1.0, 2.0 + 1e-7])),
    (np.float32(1.5), jnp.float32(1.5)),
    ({"w": jnp.ones((2, 2)), "b": [jnp.zeros(2), None]}, {"b": [np.zeros(2, np.float32), None], "w": np.ones((2, 2), np.float32)}),
    (Params(jnp.ones(2), 0.5), Params(jnp.ones(2), jnp.float32(0.5))),
    ((jnp.array([np.nan, 1.0]),), (jnp.array([np.nan, 1.0]),)),
    (jnp.array([np.inf, -np.inf]), jnp.array([np.inf, -np.inf])),
    (3, 3),
    (jnp.array([1, 2], jnp.int32), np.array([1, 2], np.int32)),
    (jnp.array([True, False]), np.array([True, False])),
    (2.0, jnp.float32(2.0)),
    (jnp.float32(2.0), 2.0),
    (jnp.array(1.0 + 2.0j, jnp.complex64), np.complex64(1.0 + 2.0j)),
    (jnp.ones(3, jnp.bfloat16), jnp.ones(3, jnp.bfloat16)),
    (None, None),
    ([], []),
]


@pytest.mark.parametrize("yours,expected", MATCHING)
def test_matching_answers_pass(yours, expected):
    assert_close(yours, expected)


MISMATCHING = [  # (yours, expected, phrases the message must contain)
    (jnp.array([1.0, 2.5, 3.0]), jnp.array([1.0, 2.0, 3.0]), ["index (1,)", "yours = 2.5 vs expected = 2.0", "1 of 3 values differ", "max abs error 0.5"]),
    ({"w": [jnp.zeros(2), jnp.array([0.0, 1.0])]}, {"w": [jnp.zeros(2), jnp.zeros(2)]}, ["yours['w'][1]", "index (1,)"]),
    (Params(jnp.ones(2), jnp.zeros(2)), Params(jnp.ones(2), jnp.ones(2)), ["yours.b", "2 of 2 values differ"]),
    (jnp.array([np.nan, 1.0]), jnp.array([0.0, 1.0]), ["index (0,)", "yours = nan"]),
    (jnp.array([0.0, 1.0]), jnp.array([np.nan, 1.0]), ["expected = nan"]),
    (jnp.array([1, 2]), jnp.array([1, 3]), ["integers and bools must match exactly"]),
    (jnp.array([True]), jnp.array([False]), ["yours = True vs expected = False"]),
    (jnp.array(np.inf), jnp.array(-np.inf), ["yours = inf"]),
    ((jnp.ones(2), jnp.ones(2) * 2), (jnp.ones(2), jnp.ones(2) * 3), ["yours[1]"]),
    ({"a": 1.0, "b": 2.0, "c": 3.0}, {"a": 1.0, "b": 2.5, "c": 3.5}, ["yours['b']", "1 more part(s) differ too: yours['c']"]),
]


@pytest.mark.parametrize("yours,expected,phrases", MISMATCHING)
def test_wrong_values_fail_with_a_precise_message(yours, expected, phrases):
    with pytest.raises(AssertionError) as err:
        assert_close(yours, expected)
    message = str(err.value)
    assert message.startswith("your answer does not match the expected value.")
    for phrase in phrases:
        assert phrase in message, message


WRONG_FORM = [  # (yours, expected, phrase)
    (jnp.ones(3), jnp.ones(4), "shape (3,), expected (4,)"),
    (jnp.ones((3, 1)), jnp.ones(3), "shape (3, 1), expected (3,)"),
    (jnp.ones(3, jnp.int32), jnp.ones(3), "dtype int32, expected float32"),
    (np.ones(3), jnp.ones(3), "dtype float64, expected float32"),
    (jnp.ones(3, jnp.float16), jnp.ones(3), "dtype float16"),
    (3, 3.0, "expected float values"),
    ({"w": jnp.ones(2)}, {"w": jnp.ones(2), "b": jnp.ones(2)}, "missing keys [\"'b'\"]"),
    ({"w": jnp.ones(2), "x": 1.0}, {"w": jnp.ones(2)}, "unexpected keys"),
    ([jnp.ones(2)], (jnp.ones(2),), "expected a tuple of length 1, got list"),
    ((jnp.ones(2),), Params(jnp.ones(2), jnp.ones(2)), "expected a Params with fields ('w', 'b')"),
    ((jnp.ones(2), jnp.ones(2)), (jnp.ones(2),), "expected length 1, got length 2"),
    (None, jnp.ones(2), "expected an array, got NoneType"),
    (jnp.ones(2), None, "expected None, got"),
    ([1.0, 2.0], jnp.ones(2), "expected an array, got list"),
    ("1.0", 1.0, "expected an array, got str"),
    (np.array([1.0, None], dtype=object), np.ones(2), "array of dtype object"),
]


@pytest.mark.parametrize("yours,expected,phrase", WRONG_FORM)
def test_wrong_form_fails_clearly(yours, expected, phrase):
    with pytest.raises(AssertionError) as err:
        assert_close(yours, expected)
    assert "does not have the expected form" in str(err.value)
    assert phrase in str(err.value), str(err.value)


@pytest.mark.parametrize("liar", [LyingArray(), LyingFloat(1.0), {"w": LyingArray()}])
def test_objects_that_lie_are_rejected(liar):
    expected = {"w": jnp.zeros(3)} if isinstance(liar, dict) else (jnp.zeros(3) if isinstance(liar, LyingArray) else 5.0)
    with pytest.raises(AssertionError, match="expected an array, got"):
        assert_close(liar, expected)
    with pytest.raises(AssertionError):
        assert_equal(liar, expected)


def test_lying_dict_is_read_through_dict_itself():
    with pytest.raises(AssertionError, match="missing keys"):
        assert_close(LyingDict(), {"w": jnp.zeros(3)})


def test_lying_ndarray_subclass_is_compared_by_value():
    fake = np.array([9.0, 9.0], np.float32).view(LyingNdarray)
    with pytest.raises(AssertionError, match="2 of 2 values differ"):
        assert_close(fake, np.zeros(2, np.float32))


def test_options():
    assert_close(jnp.ones(3) * 1.01, jnp.ones(3), rtol=0.02)
    assert_close(np.ones(3), jnp.ones(3), check_dtype=False)
    assert_close(jnp.ones(3, jnp.int32), jnp.ones(3), check_dtype=False)
    with pytest.raises(AssertionError, match="expected float"):
        assert_close(1, jnp.float32(1.0))
    with pytest.raises(AssertionError, match="dtype"):
        assert_close(2.0, jnp.float32(2.0), allow_python_scalars=False)
    with pytest.raises(AssertionError, match="^loss does not match"):
        assert_close(1.0, 2.0, name="loss")


def test_registered_pytree_nodes():
    tree = jax.tree_util.Partial(jnp.add, jnp.ones(2))
    assert_close(jax.tree_util.Partial(jnp.add, jnp.ones(2)), tree)
    with pytest.raises(AssertionError, match="does not match"):
        assert_close(jax.tree_util.Partial(jnp.add, jnp.zeros(2)), tree)


def test_assert_equal_is_exact():
    assert_equal(jnp.array([1.0, np.nan]), jnp.array([1.0, np.nan]))
    with pytest.raises(AssertionError, match="allowed: rtol=0, atol=0"):
        assert_equal(jnp.array([1.0 + 1e-7]), jnp.array([1.0]))


def test_assert_shape_dtype():
    assert_shape_dtype(jnp.ones((2, 3)), (2, 3), jnp.float32)
    assert_shape_dtype(jnp.ones((2, 3)), (2, 3), None)
    with pytest.raises(AssertionError, match=r"has shape \(3, 2\), expected \(2, 3\)"):
        assert_shape_dtype(jnp.ones((3, 2)), (2, 3), jnp.float32)
    with pytest.raises(AssertionError, match="has dtype int32, expected float32"):
        assert_shape_dtype(jnp.ones((2, 3), jnp.int32), (2, 3), jnp.float32)
    with pytest.raises(AssertionError, match="expected an array, got"):
        assert_shape_dtype(LyingArray(), (3,), jnp.float32)
