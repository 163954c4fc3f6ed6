"""Bank for the required/forbidden primitive checks."""
import jax
import jax.numpy as jnp
import pytest
from jax import lax

from autograder import AntiPatternError, assert_avoids_primitive, assert_uses_primitive, find_primitives

pytestmark = pytest.mark.detectors
X = jnp.arange(6.0)
A = jnp.eye(3) * 2.0


def cumsum_scan(x):
    return lax.scan(lambda c, v: (c + v, c + v), 0.0, x)[1]


def cumsum_fori(x):
    return lax.fori_loop(0, x.shape[0], lambda i, acc: acc.at[i].set(acc[i - 1] + x[i]), x)


def cumsum_while(x):
    return lax.while_loop(lambda s: s[0] < 6, lambda s: (s[0] + 1, s[1] * 2), (0, x))[1]


def cumsum_builtin(x):
    return jnp.cumsum(x)


def pick_switch(x):
    return lax.switch(1, [jnp.sin, jnp.cos], x)


def pick_where(x):
    return jnp.where(x > 1, jnp.sin(x), jnp.cos(x))


def solve_inv(a):
    return jnp.linalg.inv(a) @ jnp.ones(3)  # <- inv


def solve_solve(a):
    return jnp.linalg.solve(a, jnp.ones(3))


@jax.jit
def jitted_scan(x):
    return lax.scan(lambda c, v: (c * v, c), 1.0, x)[1]


USES = [  # (function, args, required)
    (cumsum_scan, (X,), "scan"),
    (jitted_scan, (X,), "scan"),
    (cumsum_fori, (X,), "fori_loop"),
    (cumsum_while, (X,), "fori_loop"),
    (cumsum_while, (X,), "while_loop"),
    (pick_switch, (X,), "switch"),
    (pick_switch, (X,), "cond"),
    (solve_inv, (A,), "inv"),
    (solve_inv, (A,), "inverse"),
    (solve_inv, (A,), "matmul"),
]
MISSING = [
    (cumsum_builtin, (X,), "scan"),
    (cumsum_builtin, (X,), "fori_loop"),
    (pick_where, (X,), "switch"),
    (solve_solve, (A,), "inv"),
    (cumsum_scan, (X,), "while_loop"),
    (cumsum_builtin, (X,), "matmul"),
]


@pytest.mark.parametrize("fn,args,name", USES)
def test_required_present_passes(fn, args, name):
    assert_uses_primitive(fn, *args, required=name)
    assert find_primitives(fn, *args, names=name)


@pytest.mark.parametrize("fn,args,name", MISSING)
def test_required_missing_fails(fn, args, name):
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: required-primitive\]") as err:
        assert_uses_primitive(fn, *args, required=name)
    assert "this exercise asks you to use" in str(err.value)
    assert "your program has no" in str(err.value)


def test_missing_message_names_the_primitive():
    with pytest.raises(AntiPatternError) as err:
        assert_uses_primitive(cumsum_builtin, X, required="scan")
    assert "this exercise asks you to use lax.scan; your program has no scan" in str(err.value)


def test_forbidden_inverse_points_at_the_line():
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: forbidden-primitive\]") as err:
        assert_avoids_primitive(solve_inv, A, forbidden="inv")
    (finding,) = err.value.findings
    assert "# <- inv" in finding.where.code
    assert "jnp.linalg.inv" in finding.what


@pytest.mark.parametrize("fn,args,name", [(f, a, n) for f, a, n in MISSING])
def test_forbidden_absent_passes(fn, args, name):
    assert_avoids_primitive(fn, *args, forbidden=name)


@pytest.mark.parametrize("fn,args,name", USES)
def test_forbidden_present_fails(fn, args, name):
    with pytest.raises(AntiPatternError, match="forbidden-primitive"):
        assert_avoids_primitive(fn, *args, forbidden=name)


def test_find_primitives_returns_sites_with_learner_lines():
    sites = find_primitives(solve_inv, A, names=["inv"])
    assert [s.eqn.params["name"] for s in sites] == ["inv"]
    assert sites[0].location.function == "solve_inv"
