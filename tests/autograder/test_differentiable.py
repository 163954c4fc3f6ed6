"""Bank for the reverse-mode detector: loops jax.grad cannot go through, and their differentiable twins."""
import jax.numpy as jnp
import pytest
from jax import lax

from autograder import AntiPatternError, assert_reverse_differentiable, find_not_reverse_differentiable

pytestmark = pytest.mark.detectors
X = jnp.linspace(0.5, 1.5, 4)


def while_power(x):
    _, y = lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * x), (0, jnp.ones_like(x)))  # <- loop
    return jnp.sum(y)


def traced_bound_fori(x):
    n = jnp.sum(x > 1.0)   # a trip count that depends on the data
    return jnp.sum(lax.fori_loop(0, n, lambda i, y: y * x, jnp.ones_like(x)))  # <- loop


def static_fori(x):
    return jnp.sum(lax.fori_loop(0, 3, lambda i, y: y * x, jnp.ones_like(x)))


def scan_power(x):
    y, _ = lax.scan(lambda y, _: (y * x, None), jnp.ones_like(x), length=3)
    return jnp.sum(y)


def while_on_a_constant(x):
    steps = lax.while_loop(lambda i: i < 3, lambda i: i + 1, 0)   # does not depend on x
    return jnp.sum(x * steps)


def host_callback(x):
    import jax
    import numpy as np

    return jnp.sum(jax.pure_callback(np.sin, jax.ShapeDtypeStruct(x.shape, x.dtype), x))


def _loop_line(fn):
    import inspect

    lines, start = inspect.getsourcelines(fn)
    return start + next(i for i, line in enumerate(lines) if "# <- loop" in line)


@pytest.mark.parametrize("fn,args", [(while_power, (X,)), (traced_bound_fori, (X,))])
def test_while_loop_on_the_gradient_path_is_explained_at_its_line(fn, args):
    findings = find_not_reverse_differentiable(fn, *args)
    assert [f.check for f in findings] == ["while-loop-grad"]
    assert findings[0].where is not None and findings[0].where.line == _loop_line(fn)
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: while-loop-grad\].*while_loop") as err:
        assert_reverse_differentiable(fn, *args)
    assert "lax.scan" in str(err.value) and "Traceback" not in str(err.value)


@pytest.mark.parametrize("fn", [static_fori, scan_power, while_on_a_constant])
def test_differentiable_loops_pass(fn):
    assert find_not_reverse_differentiable(fn, X) == []
    assert_reverse_differentiable(fn, X)


def test_argnums_picks_what_is_differentiated():
    def loop_in_second(a, b):
        return jnp.sum(a) + while_power(b)

    assert find_not_reverse_differentiable(loop_in_second, X, X, argnums=0) == []
    assert find_not_reverse_differentiable(loop_in_second, X, X, argnums=(0, 1))[0].check == "while-loop-grad"


def test_arguments_not_differentiated_stay_python_values():
    def steps(x, num_steps):
        y, _ = lax.scan(lambda y, _: (y * x, None), jnp.ones_like(x), length=num_steps)
        return jnp.sum(y)

    assert find_not_reverse_differentiable(steps, X, 5) == []


def test_other_gradient_errors_are_reported_plainly():
    findings = find_not_reverse_differentiable(host_callback, X)
    assert [f.check for f in findings] == ["not-differentiable"]
    assert "raised" in findings[0].what
