"""Bank for Python loops unrolled by tracing."""
import functools

import jax
import jax.numpy as jnp
import pytest
from jax import lax

from autograder import AntiPatternError, assert_no_unrolled_loop, find_unrolled_loop

pytestmark = pytest.mark.detectors


def seq(n):
    return (jnp.ones(n),)


def bad_for_range(xs):
    total = 0.0
    for i in range(xs.shape[0]):
        total = total + jnp.sin(xs[i])  # <- loop body
    return total


def bad_iterate_array(xs):
    h = jnp.zeros(())
    for x in xs:
        h = jnp.tanh(h * 0.5 + x)  # <- loop body
    return h


def bad_list_comprehension(xs):
    return jnp.stack([xs[i] * 2.0 for i in range(len(xs))])  # <- loop body


def bad_sum_generator(xs):
    return sum(jnp.exp(xs[i]) for i in range(xs.shape[0]))  # <- loop body


def bad_while_python(xs):
    i, acc = 0, xs[0]
    while i < xs.shape[0]:
        acc = acc * xs[i]  # <- loop body
        i += 1
    return acc


def bad_cumsum_at(xs):
    out = jnp.zeros_like(xs)
    for t in range(1, xs.shape[0]):
        out = out.at[t].set(out[t - 1] + xs[t])  # <- loop body
    return out


@jax.jit
def bad_jitted(xs):
    y = xs
    for _ in range(xs.shape[0]):
        y = jnp.roll(y, 1) + 1.0  # <- loop body
    return y


def ok_scan(xs):
    return lax.scan(lambda h, x: (jnp.tanh(h * 0.5 + x), h), 0.0, xs)[0]


def ok_fori(xs):
    return lax.fori_loop(0, xs.shape[0], lambda i, acc: acc + jnp.sin(xs[i]), 0.0)


def ok_while(xs):
    return lax.while_loop(lambda s: s[0] < xs.shape[0], lambda s: (s[0] + 1, s[1] * xs[s[0]]), (0, 1.0))[1]


def ok_vectorised(xs):
    return jnp.sum(jnp.sin(xs)) + jnp.cumsum(xs)[-1]


def ok_fixed_python_loop(xs):
    for _ in range(3):  # fixed count, not the traced length
        xs = jnp.tanh(xs)
    return xs


def ok_associative_scan(xs):
    return lax.associative_scan(jnp.add, xs)


def ok_vmap(xs):
    return jax.vmap(lambda x: x ** 2 + 1)(xs)


BAD = [bad_for_range, bad_iterate_array, bad_list_comprehension, bad_sum_generator, bad_while_python,
       bad_cumsum_at, bad_jitted]
OK = [ok_scan, ok_fori, ok_while, ok_vectorised, ok_fixed_python_loop, ok_vmap]


@pytest.mark.parametrize("fn", BAD, ids=lambda f: f.__name__)
def test_unrolled_loop_is_caught_at_the_body(fn):
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: unrolled-loop\]") as err:
        assert_no_unrolled_loop(fn, seq)
    (finding,) = err.value.findings
    assert "# <- loop body" in finding.where.code
    assert "lax.scan" in finding.fix and "lax.fori_loop" in finding.fix


@pytest.mark.parametrize("fn", OK, ids=lambda f: f.__name__)
def test_loop_primitives_and_vectorised_code_pass(fn):
    assert find_unrolled_loop(fn, seq) == []


def test_associative_scan_with_three_sizes():
    # associative_scan grows with log(n): below one equation per step, so it is not a loop.
    assert find_unrolled_loop(ok_associative_scan, seq, sizes=(8, 16)) == []


def test_static_trip_count_through_kwargs():
    def power(x, n):
        for _ in range(n):
            x = x * x  # <- loop body
        return x

    (finding,) = find_unrolled_loop(power, lambda n: (jnp.ones(2), n), sizes=(3, 6, 9), static_argnums=1)
    assert "# <- loop body" in finding.where.code
    assert "at n=3" in finding.what and "at n=9" in finding.what


# --- the learner's function wrapped by a test: the finding names the learner's loop, not the test's line ---
def histogram(xs, bins):
    counts = []
    for i in range(xs.shape[0]):
        counts.append(jnp.sum(xs[i] * bins > 0.5))  # <- loop body
    return jnp.stack(counts)


def accumulate(xs, scale):
    total = 0.0
    for i in range(xs.shape[0]):
        total = total + jnp.sin(xs[i]) * scale  # <- loop body
    return total


def _step(acc, x):
    return jnp.tanh(acc + x)


def through_helper(xs, scale):
    return sum(_step(xs[i], scale) for i in range(xs.shape[0]))  # <- loop body


WRAPPERS = {
    "lambda": lambda f: lambda xs: f(xs, 10),
    "partial": lambda f: functools.partial(f, scale=10) if f is not histogram else functools.partial(f, bins=10),
    "jit_lambda": lambda f: jax.jit(lambda xs: f(xs, 10)),
    "nested_lambda": lambda f: lambda xs: (lambda ys: f(ys, 10))(xs) + 0.0,
}


@pytest.mark.parametrize("wrap", WRAPPERS, ids=str)
@pytest.mark.parametrize("fn", [histogram, accumulate, through_helper], ids=lambda f: f.__name__)
def test_wrapped_function_is_caught_at_the_learners_loop(fn, wrap):
    (finding,) = find_unrolled_loop(WRAPPERS[wrap](fn), seq)
    assert "# <- loop body" in finding.where.code
    assert finding.where.function == fn.__name__


@pytest.mark.parametrize("wrap", WRAPPERS, ids=str)
def test_wrapped_clean_function_passes(wrap):
    def clean(xs, scale):
        return lax.fori_loop(0, xs.shape[0], lambda i, acc: acc + jnp.sin(xs[i]) * scale, 0.0)

    assert find_unrolled_loop(WRAPPERS[wrap](clean), seq) == []
