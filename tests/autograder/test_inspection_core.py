"""The jaxpr inspection core: tracing without computing, walking every nested program,
and mapping equations back to the learner's line."""
from __future__ import annotations

import collections
import dataclasses
import inspect

import jax
import jax.numpy as jnp
import pytest

from autograder import count_eqns, iter_eqns, trace
from autograder.detectors.transfers import find_implicit_transfers
from autograder.source import is_library_code, is_library_file
from autograder.walk import primitive_name, sub_jaxprs

pytestmark = pytest.mark.detectors


def _line_of(marker: str, fn) -> int:
    lines, start = inspect.getsourcelines(fn)
    return start + next(i for i, text in enumerate(lines) if marker in text)


@jax.custom_jvp
def _softplus(x):
    return jnp.sqrt(x * x + 1.0)  # marker:custom_jvp


_softplus.defjvp(lambda primals, tangents: (_softplus(primals[0]), tangents[0] * jax.nn.sigmoid(primals[0])))


@jax.custom_vjp
def _clip_grad(x):
    return jnp.sin(x)  # marker:custom_vjp


_clip_grad.defvjp(lambda x: (jnp.sin(x), x), lambda x, g: (jnp.clip(g * jnp.cos(x), -1, 1),))


def _every_construct(x):
    a = jax.lax.cond(x.sum() > 0, lambda v: jnp.cos(v), lambda v: jnp.tan(v), x)  # marker:cond
    b = jax.lax.while_loop(lambda v: v.sum() < 10.0, lambda v: v + jnp.exp(v), x)  # marker:while
    c, _ = jax.lax.scan(lambda carry, v: (carry + jnp.tanh(v), None), 0.0, x)  # marker:scan
    d = jax.checkpoint(lambda v: jnp.sinh(v))(x)  # marker:remat
    e = jax.vmap(lambda v: jnp.arctan(v))(x)  # marker:vmap
    f = jax.jit(lambda v: jnp.log1p(v * v))(x)  # marker:jit
    return a + b + c + d + e + f + _softplus(x) + _clip_grad(x)


# One primitive unique to each construct, and the line that should be named for it.
EXPECTED = {
    "cos": ("marker:cond", _every_construct),
    "tan": ("marker:cond", _every_construct),
    "exp": ("marker:while", _every_construct),
    "tanh": ("marker:scan", _every_construct),
    "sinh": ("marker:remat", _every_construct),
    "atan": ("marker:vmap", _every_construct),
    "log1p": ("marker:jit", _every_construct),
    "sqrt": ("marker:custom_jvp", _softplus),
    "sin": ("marker:custom_vjp", _clip_grad),
}


def test_trace_does_not_compute():
    calls = []

    def fn(x):
        calls.append(type(x).__name__)
        return x * 2

    jaxpr = trace(fn, jnp.ones(3))
    assert len(calls) == 1 and "Tracer" in calls[0]
    assert [primitive_name(e) for e in jaxpr.jaxpr.eqns] == ["mul"]


def test_trace_passes_static_keyword_arguments_as_python_values():
    def fn(x, *, power):
        assert isinstance(power, int)
        return x**power

    assert count_eqns(trace(fn, jnp.ones(3), power=3, static_argnames="power")) >= 1


def test_walk_reaches_every_nested_program_and_names_the_learner_line():
    sites = list(iter_eqns(trace(_every_construct, jnp.linspace(0.1, 0.5, 4))))
    seen = {site.primitive: site for site in sites}
    for primitive, (marker, fn) in EXPECTED.items():
        assert primitive in seen, f"{primitive} not reached; saw {sorted(seen)}"
        where = seen[primitive].location
        assert where is not None and where.file == __file__, f"{primitive}: {where}"
        assert where.line == _line_of(marker, fn.__wrapped__ if hasattr(fn, "__wrapped__") else fn), f"{primitive}: {where}"
        assert marker in where.code, f"{primitive}: {where}"
    assert seen["log1p"].path, "an equation inside jit should record its nesting"


def test_nested_programs_are_found_by_type_not_name():
    jaxpr = trace(lambda x: jax.lax.cond(x > 0, jnp.sin, jnp.cos, x), 1.0)
    cond = next(e for e in jaxpr.jaxpr.eqns if primitive_name(e) == "cond")
    labels = [label for label, _ in sub_jaxprs(cond)]
    assert labels == ["branches[0]", "branches[1]"]


def test_library_internals_are_placed_at_the_learners_call():
    def sample(key):
        return jax.random.normal(key, (2,))  # the learner's call

    sites = list(iter_eqns(trace(sample, jax.random.key(0))))
    bits = next(s for s in sites if s.primitive == "random_bits")
    assert bits.location is not None and "the learner's call" in bits.location.code


# --- code run with python -c, exec or eval is the learner's; code Python writes is not ---------------
_EXECUTED = '''
import jax.numpy as jnp

def normalised(x):
    return x / float(jnp.linalg.norm(x))

def kept_on_device(x):
    return x / jnp.linalg.norm(x)
'''


def test_code_run_from_a_string_is_the_learners():
    namespace: dict = {}
    exec(compile(_EXECUTED, "<string>", "exec"), namespace)  # noqa: S102 - what `python -c` does
    x = jnp.arange(1.0, 4.0)
    (finding,) = find_implicit_transfers(namespace["normalised"], x)
    assert (finding.where.file, finding.where.line, finding.where.function) == ("<string>", 5, "normalised")
    assert find_implicit_transfers(namespace["kept_on_device"], x) == []
    assert not is_library_file("<string>")
    assert not is_library_code(namespace["normalised"].__code__)


@dataclasses.dataclass
class _Point:
    x: float


def test_methods_python_generates_are_not_the_learners():
    assert _Point.__init__.__code__.co_filename == "<string>"
    assert is_library_code(_Point.__init__.__code__)
    assert is_library_code(_Point.__eq__.__code__)
    pair = collections.namedtuple("pair", "a b")
    assert is_library_code(pair.__new__.__code__)
    assert not is_library_code(test_methods_python_generates_are_not_the_learners.__code__)
