"""Bank for untraceable functions: each tracing error, and its fix as the clean twin."""
import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

from autograder import AntiPatternError, assert_traceable, explain_trace_error, find_untraceable

pytestmark = pytest.mark.detectors
X = jnp.arange(-2.0, 3.0)


# -- offending: (fn, args, options, words expected in the fix) ------------------------


def bad_if(x):
    if x.sum() > 0:  # <- error
        return x
    return -x


def bad_float(x):
    return x / float(x.max())  # <- error


def bad_item(x):
    scale = x.std().item()  # <- error
    return x / scale


def bad_range(x, n):
    for i in range(n):  # <- error
        x = x + i
    return x


def bad_zeros_n(x, n):
    return jnp.concatenate([x, jnp.zeros(n)])  # <- error


def bad_mask(x):
    return x[x > 0].sum()  # <- error


def bad_numpy(x):
    return np.asarray(x) * 2  # <- error


def bad_nonzero(x):
    idx = jnp.nonzero(x > 0)  # <- error
    return idx[0]


def bad_list_index(x, i):
    weights = [1.0, 2.0, 3.0]
    return x * weights[i]  # <- error


def bad_typo(x):
    return x * undefined_scale  # noqa: F821  # <- error


def bad_type_error(x):
    return x + "1"  # <- error


OFFENDING = [
    (bad_if, (X,), {}, "lax.cond"),
    (bad_float, (X,), {}, "outside"),
    (bad_item, (X,), {}, "outside"),
    (bad_range, (X, 3), {}, "fori_loop"),
    (bad_zeros_n, (X, 3), {}, "static_argnames"),
    (bad_mask, (X,), {}, "jnp.where"),
    (bad_numpy, (X,), {}, "jax.numpy"),
    (bad_nonzero, (X,), {}, "size="),
    (bad_list_index, (X, 1), {}, "jnp.asarray(values)[i]"),
    (bad_typo, (X,), {}, "fix the error"),
    (bad_type_error, (X,), {}, "fix the error"),
]


# -- clean twins --------------------------------------------------------------------------


def good_where(x):
    return jnp.where(x.sum() > 0, x, -x)


def good_cond(x):
    return lax.cond(x.sum() > 0, lambda v: v, lambda v: -v, x)


def good_array_scale(x):
    return x / x.max()


def good_fori(x, n):
    return lax.fori_loop(0, n, lambda i, v: v + i, x)


def good_range_static(x, n):
    for i in range(n):
        x = x + i
    return x


def good_zeros_static(x, n):
    return jnp.concatenate([x, jnp.zeros(n)])


def good_masked_sum(x):
    return jnp.sum(x, where=x > 0)


def good_nonzero_size(x):
    return jnp.nonzero(x > 0, size=x.shape[0], fill_value=0)[0]


def good_jnp(x):
    return jnp.asarray(x) * 2


@functools.partial(jax.jit, static_argnames="n")
def good_jitted_with_static(x, n):
    return jnp.concatenate([x, jnp.zeros(n)])


CLEAN = [
    (good_where, (X,), {}),
    (good_cond, (X,), {}),
    (good_array_scale, (X,), {}),
    (good_fori, (X, 3), {}),
    (good_range_static, (X, 3), {"static_argnums": 1}),
    (good_zeros_static, (X,), {"n": 3, "static_argnames": "n"}),
    (good_masked_sum, (X,), {}),
    (good_nonzero_size, (X,), {}),
    (good_jnp, (X,), {}),
    (good_jitted_with_static, (X,), {"n": 3}),
]


@pytest.mark.parametrize("fn,args,options,words", OFFENDING, ids=lambda v: getattr(v, "__name__", ""))
def test_offending_is_caught(fn, args, options, words):
    findings = find_untraceable(fn, *args, **options)
    assert len(findings) == 1
    (finding,) = findings
    assert finding.check == "not-traceable"
    assert finding.where is not None and finding.where.file == __file__
    assert "# <- error" in finding.where.code
    assert words in finding.fix


@pytest.mark.parametrize("fn,args,options", CLEAN, ids=lambda v: getattr(v, "__name__", ""))
def test_clean_passes(fn, args, options):
    assert find_untraceable(fn, *args, **options) == []


_LEAKED = []


def _leaky(x):
    _LEAKED.append(x.std())
    return x


def uses_leaked(x):
    return x / _LEAKED[-1]  # <- error


def test_leaked_tracer_used_later_is_caught():
    jax.jit(_leaky).trace(X)
    (finding,) = find_untraceable(uses_leaked, X)
    assert "leaked" in finding.what
    assert "# <- error" in finding.where.code


def test_explain_unexpected_tracer_error():
    jax.jit(_leaky).trace(X)
    try:
        uses_leaked(X)  # runs eagerly: JAX raises UnexpectedTracerError
    except jax.errors.UnexpectedTracerError as exc:
        finding = explain_trace_error(exc)
    assert finding is not None and "leaked" in finding.what
    assert "# <- error" in finding.where.code


def test_explain_returns_none_for_other_errors():
    assert explain_trace_error(ValueError("not a tracing error")) is None


def test_tracer_bool_error_message():
    (finding,) = find_untraceable(bad_if, X)
    assert "jnp.where" in finding.fix and "TracerBool" not in finding.what
    assert "no value" in finding.why


def test_assert_raises_with_tag():
    with pytest.raises(AntiPatternError, match=r"^\[anti-pattern: not-traceable\]"):
        assert_traceable(bad_mask, X)
