"""Bank for intermediates above a memory budget."""
import jax
import jax.numpy as jnp
import pytest
from jax import lax

from autograder import AntiPatternError, assert_max_intermediate_size, find_large_intermediates

pytestmark = pytest.mark.detectors
N = 256
X = jnp.linspace(0.0, 1.0, N)
V = jnp.ones(N)
BUDGET = 64 * 1024  # a 256x256 float32 matrix is 256 KiB; vectors are 1 KiB


def f(x):
    return jnp.sum(jnp.sin(x) * x ** 2)


def g(x):
    return jnp.tanh(x) * jnp.cumsum(x)


def bad_hessian(x, v):
    return jax.hessian(f)(x) @ v  # <- big


def bad_jacfwd(x, v):
    return jax.jacfwd(g)(x) @ v  # <- big


def bad_jacrev(x, v):
    return v @ jax.jacrev(g)(x)  # <- big


def bad_outer(x, v):
    return jnp.outer(x, x) @ v  # <- big


def bad_pairwise(x, v):
    return jnp.sum(jnp.exp(-(x[:, None] - x[None, :]) ** 2), axis=1) * v  # <- big


def bad_eye(x, v):
    return (jnp.eye(N) * x) @ v  # <- big


def bad_in_scan(x, v):
    return lax.scan(lambda c, xi: (c + jnp.sum(jnp.outer(x, v) * xi), None), 0.0, x[:4])[0]  # <- big


def ok_hvp(x, v):
    return jax.jvp(jax.grad(f), (x,), (v,))[1]


def ok_jvp(x, v):
    return jax.jvp(g, (x,), (v,))[1]


def ok_vjp(x, v):
    return jax.vjp(g, x)[1](v)[0]


def ok_outer_reassociated(x, v):
    return x * (x @ v)


def ok_pairwise_scan(x, v):
    return lax.map(lambda xi: jnp.sum(jnp.exp(-(xi - x) ** 2)), x) * v


def ok_elementwise(x, v):
    return jnp.sum(x * v) + jnp.cumsum(x) + jax.grad(f)(x)


BAD = [bad_hessian, bad_jacfwd, bad_jacrev, bad_outer, bad_pairwise, bad_eye, bad_in_scan]
OK = [ok_hvp, ok_jvp, ok_vjp, ok_outer_reassociated, ok_pairwise_scan, ok_elementwise]


@pytest.mark.parametrize("fn", BAD, ids=lambda f: f.__name__)
def test_large_intermediate_is_caught_at_its_line(fn):
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: memory\]") as err:
        assert_max_intermediate_size(fn, X, V, max_bytes=BUDGET)
    first = err.value.findings[0]
    assert "# <- big" in first.where.code
    assert f"({N}, {N})" in first.what and "256.0 KiB" in first.what
    assert "jax.jvp(jax.grad(f), (x,), (v,))" in first.fix


@pytest.mark.parametrize("fn", OK, ids=lambda f: f.__name__)
def test_matrix_free_code_passes(fn):
    assert find_large_intermediates(fn, X, V, max_bytes=BUDGET) == []


def test_inputs_do_not_count():
    big = jnp.ones((N, N))
    assert find_large_intermediates(lambda a, v: a @ v, big, V, max_bytes=BUDGET) == []


def test_non_square_message():
    (finding,) = find_large_intermediates(lambda x: (x[None, :] * jnp.ones((300, 1))).sum(0), X, max_bytes=BUDGET)
    assert "(300, 256)" in finding.what and "Hessian" not in finding.why


def test_hessian_message_names_the_learners_float_matrix_not_jaxs_basis():
    (finding,) = find_large_intermediates(bad_hessian, X, V, max_bytes=BUDGET)
    assert f"({N}, {N}) (float32)" in finding.what and "(int32)" not in finding.what and "(bool)" not in finding.what


def test_a_transpose_of_an_input_is_not_an_intermediate():
    tall = jnp.ones((2 * N, N))
    r = jnp.ones(2 * N)
    assert find_large_intermediates(lambda a, r: a.T @ r, tall, r, max_bytes=BUDGET) == []
    (finding,) = find_large_intermediates(lambda a, r: (a.T @ a) @ r[:N], tall, r, max_bytes=BUDGET)  # <- big
    assert "# <- big" in finding.where.code
