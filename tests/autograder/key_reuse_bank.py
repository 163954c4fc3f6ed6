"""A bank of small functions that reuse a PRNG key (offending) or use keys correctly (clean).

Most constructs come twice: with a typed key (``jax.random.key``) and with a legacy key
(``jax.random.PRNGKey``, raw ``uint32`` data). In an offending case the line where the key is
used again ends with ``# REUSE``; the detector must name that line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import jax
import jax.numpy as jnp
from jax import lax

REUSE_MARK = "# REUSE"
STYLES = {"typed": jax.random.key, "legacy": jax.random.PRNGKey}
# Keys closed over by learner functions (constants of the traced program).
GLOBAL_KEYS = {style: make(42) for style, make in STYLES.items()}


@dataclass(frozen=True)
class Case:
    """One function, its example arguments and whether it reuses a key."""

    name: str
    fn: Callable[..., Any]
    args: tuple
    offending: bool
    kwargs: dict = field(default_factory=dict)
    # The reported line may be inside a helper; the marked call line is still named in the message.
    via_helper: bool = False


def draw(key):
    """A learner's helper that draws from whatever key it gets."""
    return jax.random.normal(key, (3,))


@jax.jit
def jitted_draw(key):
    """The same helper, compiled."""
    return jax.random.uniform(key, (3,))


# --- offending ------------------------------------------------------------------------


def offending_cases(mk) -> list[tuple[str, Callable, tuple, dict]]:
    key = mk(0)
    keys3 = jax.random.split(key, 3)

    def two_draws(key):
        a = jax.random.normal(key, (3,))
        b = jax.random.uniform(key, (3,))  # REUSE
        return a + b

    def draw_after_split(key):
        key, sub = jax.random.split(key)
        a = jax.random.normal(sub, (3,))
        b = jax.random.normal(key, (3,))
        c = jax.random.normal(sub, (3,))  # REUSE
        return a + b + c

    def split_twice(key):
        k1, _ = jax.random.split(key)
        k3, _ = jax.random.split(key)  # REUSE
        return jax.random.normal(k1) + jax.random.normal(k3)

    def draw_then_split(key):
        x = jax.random.normal(key, (3,))
        _, sub = jax.random.split(key)  # REUSE
        return x + jax.random.normal(sub)

    def dict_of_keys(keys):
        a = jax.random.normal(keys["noise"], (3,))
        b = jax.random.bernoulli(keys["noise"], 0.5, (3,))  # REUSE
        return a, b, jax.random.normal(keys["init"])

    def tuple_of_keys(keys):
        a = jax.random.normal(keys[1], (3,))
        b = jax.random.normal(keys[1], (3,))  # REUSE
        return a + b

    def same_row_twice(key):
        keys = jax.random.split(key, 3)
        a = jax.random.normal(keys[0], (3,))
        b = jax.random.normal(keys[0], (3,))  # REUSE
        return a + b

    def split_array_row_again(keys):
        a = jax.random.normal(keys[2], (3,))
        b = jax.random.normal(keys[-1], (3,))  # REUSE
        return a + b

    def fold_in_equal_data(key):
        a = jax.random.normal(jax.random.fold_in(key, 1), (3,))
        b = jax.random.normal(jax.random.fold_in(key, 1), (3,))  # REUSE
        return a + b

    def helper_twice(key):
        a = draw(key)
        b = draw(key)  # REUSE
        return a + b

    def jitted_helper_twice(key):
        a = jitted_draw(key)
        b = jitted_draw(key)  # REUSE
        return a + b

    def remat_helper_twice(key):
        sample = jax.checkpoint(lambda k: jax.random.normal(k, (3,)))
        a = sample(key)
        b = sample(key)  # REUSE
        return a + b

    def scan_closed_over_key(key):
        def step(total, _):
            return total + jax.random.normal(key), None  # REUSE
        return lax.scan(step, 0.0, None, length=5)[0]

    def scan_carry_not_split(key):
        def step(carry, _):
            k, total = carry
            return (k, total + jax.random.normal(k)), None  # REUSE
        return lax.scan(step, (key, 0.0), None, length=4)[0]

    def fori_closed_over_key(key):
        def body(i, total):
            return total + jax.random.uniform(key)  # REUSE
        return lax.fori_loop(0, 10, body, 0.0)

    def fori_dynamic_bound(key, n):
        def body(i, total):
            return total + jax.random.uniform(key)  # REUSE
        return lax.fori_loop(0, n, body, 0.0)

    def while_carry_not_split(key):
        def cond(carry):
            return carry[1] < 1.0
        def body(carry):
            k, total = carry
            return k, total + jax.random.uniform(k)  # REUSE
        return lax.while_loop(cond, body, (key, 0.0))[1]

    def cond_then_after(key, flag):
        x = lax.cond(flag, lambda k: jax.random.normal(k), lambda k: 0.0, key)
        return x + jax.random.normal(key)  # REUSE

    def switch_then_after(key, index):
        branches = [lambda k: jax.random.normal(k), lambda k: jax.random.uniform(k), lambda k: 0.0]
        x = lax.switch(index, branches, key)
        return x + jax.random.uniform(key)  # REUSE

    def broadcast_key_vmap(key):
        many = jnp.broadcast_to(key, (4,) + key.shape)
        return jax.vmap(lambda k: jax.random.normal(k))(many)  # REUSE

    def stacked_same_key(key):
        pair = jnp.stack([key, key])
        return jax.vmap(lambda k: jax.random.normal(k))(pair)  # REUSE

    def vmap_then_row_again(keys):
        samples = jax.vmap(lambda k: jax.random.normal(k))(keys)
        return samples, jax.random.normal(keys[1])  # REUSE

    def scan_xs_keys_then_again(keys):
        def step(total, k):
            return total + jax.random.normal(k), None
        total = lax.scan(step, 0.0, keys)[0]
        return total + jax.random.normal(keys[0])  # REUSE

    def inner_loop_without_split(key):
        def outer(carry, _):
            k, total = carry
            k, sub = jax.random.split(k)
            inner = lax.fori_loop(0, 3, lambda i, t: t + jax.random.normal(sub), 0.0)  # REUSE
            return (k, total + inner), None
        return lax.scan(outer, (key, 0.0), None, length=3)[0]

    def closed_over_global_key():
        key = GLOBAL_KEYS[style]
        a = jax.random.normal(key, (3,))
        b = jax.random.normal(key, (3,))  # REUSE
        return a + b

    def same_seed_twice():
        a = jax.random.normal(mk(7), (3,))
        b = jax.random.normal(mk(7), (3,))  # REUSE
        return a + b

    def fold_in_same_arg(key, step):
        a = jax.random.normal(jax.random.fold_in(key, step))
        b = jax.random.normal(jax.random.fold_in(key, step))  # REUSE
        return a + b

    style = "typed" if mk is jax.random.key else "legacy"
    pair = tuple(jax.random.split(key))
    return [
        ("two_draws", two_draws, (key,), {}),
        ("draw_after_split", draw_after_split, (key,), {}),
        ("split_twice", split_twice, (key,), {}),
        ("draw_then_split", draw_then_split, (key,), {}),
        ("dict_of_keys", dict_of_keys, ({"noise": pair[0], "init": pair[1]},), {}),
        ("tuple_of_keys", tuple_of_keys, (pair,), {}),
        ("same_row_twice", same_row_twice, (key,), {}),
        ("split_array_row_again", split_array_row_again, (keys3,), {}),
        ("fold_in_equal_data", fold_in_equal_data, (key,), {}),
        ("helper_twice", helper_twice, (key,), {}),
        ("jitted_helper_twice", jitted_helper_twice, (key,), {}),
        ("remat_helper_twice", remat_helper_twice, (key,), {}),
        ("scan_closed_over_key", scan_closed_over_key, (key,), {}),
        ("scan_carry_not_split", scan_carry_not_split, (key,), {}),
        ("fori_closed_over_key", fori_closed_over_key, (key,), {}),
        ("fori_dynamic_bound", fori_dynamic_bound, (key, 5), {}),
        ("while_carry_not_split", while_carry_not_split, (key,), {}),
        ("cond_then_after", cond_then_after, (key, True), {}),
        ("switch_then_after", switch_then_after, (key, 1), {}),
        ("broadcast_key_vmap", broadcast_key_vmap, (key,), {}),
        ("stacked_same_key", stacked_same_key, (key,), {}),
        ("vmap_then_row_again", vmap_then_row_again, (keys3,), {}),
        ("scan_xs_keys_then_again", scan_xs_keys_then_again, (keys3,), {}),
        ("inner_loop_without_split", inner_loop_without_split, (key,), {}),
        ("closed_over_global_key", closed_over_global_key, (), {}),
        ("same_seed_twice", same_seed_twice, (), {}),
        ("fold_in_same_arg", fold_in_same_arg, (key,), {"step": 3}),
    ]


def typed_only_offending_cases() -> list[tuple[str, Callable, tuple, dict]]:
    key = jax.random.key(0)

    def key_data_round_trip(key):
        same = jax.random.wrap_key_data(jax.random.key_data(key))
        a = jax.random.normal(key, (3,))
        b = jax.random.normal(same, (3,))  # REUSE
        return a + b

    def legacy_and_typed_same_seed():
        a = jax.random.normal(jax.random.PRNGKey(3), (3,))
        b = jax.random.normal(jax.random.key(3), (3,))  # REUSE
        return a + b

    return [
        ("key_data_round_trip", key_data_round_trip, (key,), {}),
        ("legacy_and_typed_same_seed", legacy_and_typed_same_seed, (), {}),
    ]


# --- clean ----------------------------------------------------------------------------


def clean_cases(mk) -> list[tuple[str, Callable, tuple, dict]]:
    key = mk(0)
    keys3 = jax.random.split(key, 3)

    def split_then_use_all(key):
        k1, k2, k3 = jax.random.split(key, 3)
        return jax.random.normal(k1) + jax.random.uniform(k2) + jax.random.bernoulli(k3)

    def split_before_each_draw(key):
        key, sub = jax.random.split(key)
        a = jax.random.normal(sub, (3,))
        key, sub = jax.random.split(key)
        b = jax.random.normal(sub, (3,))
        return a + b, key

    def different_rows(keys):
        return jax.random.normal(keys[0]) + jax.random.normal(keys[1]) + jax.random.normal(keys[-1])

    def vmap_over_split_keys(key):
        keys = jax.random.split(key, 8)
        return jax.vmap(lambda k: jax.random.normal(k, (2,)))(keys)

    def fold_in_python_loop(key):
        return sum(jax.random.normal(jax.random.fold_in(key, i)) for i in range(4))

    def fold_in_different_data(key):
        return jax.random.normal(jax.random.fold_in(key, 0)) + jax.random.normal(jax.random.fold_in(key, 1))

    def fori_fold_in_index(key):
        return lax.fori_loop(0, 5, lambda i, t: t + jax.random.normal(jax.random.fold_in(key, i)), 0.0)

    def fori_dynamic_fold_in(key, n):
        return lax.fori_loop(0, n, lambda i, t: t + jax.random.normal(jax.random.fold_in(key, i)), 0.0)

    def scan_over_split_keys(key):
        def step(total, k):
            return total + jax.random.normal(k), None
        return lax.scan(step, 0.0, jax.random.split(key, 6))[0]

    def scan_split_each_step(key):
        def step(k, _):
            k, sub = jax.random.split(k)
            return k, jax.random.normal(sub)
        return lax.scan(step, key, None, length=5)

    def while_split_each_step(key):
        def body(carry):
            k, total = carry
            k, sub = jax.random.split(k)
            return k, total + jax.random.uniform(sub)
        return lax.while_loop(lambda c: c[1] < 2.0, body, (key, 0.0))

    def cond_each_branch_once(key, flag):
        return lax.cond(flag, lambda k: jax.random.normal(k), lambda k: jax.random.uniform(k), key)

    def switch_each_branch_once(key, index):
        branches = [lambda k: jax.random.normal(k), lambda k: jax.random.uniform(k), lambda k: 0.0]
        return lax.switch(index, branches, key)

    def key_passed_through_unused(key, x):
        return x * 2.0, key

    def dict_each_key_once(keys):
        return jax.random.normal(keys["noise"], (3,)) + jax.random.uniform(keys["dropout"], (3,))

    def helper_with_subkeys(key):
        k1, k2 = jax.random.split(key)
        return draw(k1) + draw(k2) + jitted_draw(jax.random.fold_in(key, 1)) * 0

    def different_seeds():
        return jax.random.normal(mk(0)) + jax.random.normal(mk(1))

    def stacked_different_keys(key):
        k1, k2 = jax.random.split(key)
        return jax.vmap(lambda k: jax.random.normal(k))(jnp.stack([k1, k2]))

    def key_used_only_after_cond_skip(key, flag):
        x = lax.cond(flag, lambda v: v + 1.0, lambda v: v - 1.0, 0.0)
        return x + jax.random.normal(key)

    def closed_over_global_key_once():
        return jax.random.normal(GLOBAL_KEYS[style], (3,))

    def scan_keys_as_xs_with_carry(key):
        def step(total, k):
            a, b = jax.random.split(k)
            return total + jax.random.normal(a) + jax.random.uniform(b), None
        return lax.scan(step, 0.0, jax.random.split(key, 4))[0]

    def samplers_that_reuse_internally(key):
        k1, k2, k3 = jax.random.split(key, 3)  # poisson and gamma reuse keys inside JAX itself
        return jax.random.poisson(k1, 3.0, (3,)), jax.random.gamma(k2, 2.0, (3,)), jax.random.choice(k3, 5)

    style = "typed" if mk is jax.random.key else "legacy"
    a, b = jax.random.split(key)
    return [
        ("split_then_use_all", split_then_use_all, (key,), {}),
        ("split_before_each_draw", split_before_each_draw, (key,), {}),
        ("different_rows", different_rows, (keys3,), {}),
        ("vmap_over_split_keys", vmap_over_split_keys, (key,), {}),
        ("fold_in_python_loop", fold_in_python_loop, (key,), {}),
        ("fold_in_different_data", fold_in_different_data, (key,), {}),
        ("fori_fold_in_index", fori_fold_in_index, (key,), {}),
        ("fori_dynamic_fold_in", fori_dynamic_fold_in, (key, 5), {}),
        ("scan_over_split_keys", scan_over_split_keys, (key,), {}),
        ("scan_split_each_step", scan_split_each_step, (key,), {}),
        ("while_split_each_step", while_split_each_step, (key,), {}),
        ("cond_each_branch_once", cond_each_branch_once, (key, True), {}),
        ("switch_each_branch_once", switch_each_branch_once, (key, 2), {}),
        ("key_passed_through_unused", key_passed_through_unused, (key, jnp.ones(3)), {}),
        ("dict_each_key_once", dict_each_key_once, ({"noise": a, "dropout": b},), {}),
        ("helper_with_subkeys", helper_with_subkeys, (key,), {}),
        ("different_seeds", different_seeds, (), {}),
        ("stacked_different_keys", stacked_different_keys, (key,), {}),
        ("key_used_only_after_cond_skip", key_used_only_after_cond_skip, (key, False), {}),
        ("closed_over_global_key_once", closed_over_global_key_once, (), {}),
        ("scan_keys_as_xs_with_carry", scan_keys_as_xs_with_carry, (key,), {}),
        ("samplers_that_reuse_internally", samplers_that_reuse_internally, (key,), {}),
    ]


_HELPER_CASES = {"helper_twice", "jitted_helper_twice", "remat_helper_twice"}


def build_cases() -> list[Case]:
    """Every case of the bank, named ``<construct>[<key style>]``."""
    cases = []
    for style, mk in STYLES.items():
        for name, fn, args, kwargs in offending_cases(mk):
            cases.append(Case(f"{name}[{style}]", fn, args, True, kwargs, name in _HELPER_CASES))
        for name, fn, args, kwargs in clean_cases(mk):
            cases.append(Case(f"{name}[{style}]", fn, args, False, kwargs))
    for name, fn, args, kwargs in typed_only_offending_cases():
        cases.append(Case(f"{name}[typed]", fn, args, True, kwargs))
    return cases


CASES = build_cases()
