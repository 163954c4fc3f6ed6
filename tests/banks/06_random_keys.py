"""Bank of alternative and wrong submissions for the chapter 6 exercise set (random numbers with explicit keys)."""
from textwrap import dedent

from tests.exercise_bank import Submission

REUSE = "key-reuse"
NO_SPLIT = "missing-split"


def S(label: str, source: str, correct: bool, anti_pattern: str | None = None) -> Submission:
    return Submission(label, dedent(source).strip() + "\n", correct, anti_pattern)


BANK = {
    "ex1_three_draws": [
        S("keys unpacked from the split array by index", """
            def draw_three(key, n):
                keys = jax.random.split(key, 3)
                return (jax.random.normal(keys[0], (n,)),
                        jax.random.uniform(keys[1], (n,), minval=-1.0, maxval=1.0),
                        jax.random.randint(keys[2], (n,), 1, 7))
        """, True),
        S("uniform scaled by hand, jitted with n static", """
            from functools import partial

            @partial(jax.jit, static_argnums=1)
            def draw_three(key, n):
                k_normal, k_uniform, k_die = jax.random.split(key, 3)
                uniforms = 2.0 * jax.random.uniform(k_uniform, (n,)) - 1.0
                return jax.random.normal(k_normal, (n,)), uniforms, jax.random.randint(k_die, (n,), 1, 7)
        """, True),
        S("one key for all three draws (typed-key reuse)", """
            def draw_three(key, n):
                return (jax.random.normal(key, (n,)),
                        jax.random.uniform(key, (n,), minval=-1.0, maxval=1.0),
                        jax.random.randint(key, (n,), 1, 7))
        """, False, REUSE),
        S("split into two, the die reuses a subkey", """
            def draw_three(key, n):
                k1, k2 = jax.random.split(key)
                return (jax.random.normal(k1, (n,)),
                        jax.random.uniform(k2, (n,), minval=-1.0, maxval=1.0),
                        jax.random.randint(k2, (n,), 1, 7))
        """, False, REUSE),
        S("plausible numbers without splitting: fold_in 0, 1, 2", """
            def draw_three(key, n):
                return (jax.random.normal(jax.random.fold_in(key, 0), (n,)),
                        jax.random.uniform(jax.random.fold_in(key, 1), (n,), minval=-1.0, maxval=1.0),
                        jax.random.randint(jax.random.fold_in(key, 2), (n,), 1, 7))
        """, False, NO_SPLIT),
        S("off-by-one: rolls 1 to 5 (randint excludes maxval)", """
            def draw_three(key, n):
                k_normal, k_uniform, k_die = jax.random.split(key, 3)
                return (jax.random.normal(k_normal, (n,)),
                        jax.random.uniform(k_uniform, (n,), minval=-1.0, maxval=1.0),
                        jax.random.randint(k_die, (n,), 1, 6))
        """, False),
        S("subkeys in the wrong order", """
            def draw_three(key, n):
                k_die, k_uniform, k_normal = jax.random.split(key, 3)
                return (jax.random.normal(k_normal, (n,)),
                        jax.random.uniform(k_uniform, (n,), minval=-1.0, maxval=1.0),
                        jax.random.randint(k_die, (n,), 1, 7))
        """, False),
        S("wrong dtype: rolls as float32", """
            def draw_three(key, n):
                k_normal, k_uniform, k_die = jax.random.split(key, 3)
                return (jax.random.normal(k_normal, (n,)),
                        jax.random.uniform(k_uniform, (n,), minval=-1.0, maxval=1.0),
                        jax.random.randint(k_die, (n,), 1, 7).astype(jnp.float32))
        """, False),
        S("NumPy's global random generator", """
            import numpy as np

            def draw_three(key, n):
                return (jnp.asarray(np.random.standard_normal(n), dtype=jnp.float32),
                        jnp.asarray(np.random.uniform(-1, 1, n), dtype=jnp.float32),
                        jnp.asarray(np.random.randint(1, 7, n), dtype=jnp.int32))
        """, False),
        S("hard-coded visible answer for key(0), n=4", """
            _k = jax.random.split(jax.random.key(0), 3)
            _fixed = (jax.random.normal(_k[0], (4,)), jax.random.uniform(_k[1], (4,), minval=-1.0, maxval=1.0),
                      jax.random.randint(_k[2], (4,), 1, 7))

            def draw_three(key, n):
                return _fixed
        """, False),
    ],
    "ex2_typed_key": [
        S("dtype test with jnp.issubdtype, conditional expression", """
            def as_typed_key(key):
                return key if jnp.issubdtype(key.dtype, jax.dtypes.prng_key) else jax.random.wrap_key_data(key)
        """, True),
        S("round trip through key_data for both kinds", """
            def as_typed_key(key):
                if jax.dtypes.issubdtype(key.dtype, jax.dtypes.prng_key):
                    key = jax.random.key_data(key)
                return jax.random.wrap_key_data(key, impl="threefry2x32")
        """, True),
        S("a new key from the second word (right only for PRNGKey(seed))", """
            def as_typed_key(key):
                if jax.dtypes.issubdtype(key.dtype, jax.dtypes.prng_key):
                    return key
                return jax.random.key(key[..., 1])
        """, False),
        S("returns the legacy key unchanged", """
            def as_typed_key(key):
                return key
        """, False),
        S("wraps typed keys again (fails on typed input)", """
            def as_typed_key(key):
                return jax.random.wrap_key_data(key)
        """, False),
        S("only a single key: reshapes to (2,)", """
            def as_typed_key(key):
                if jax.dtypes.issubdtype(key.dtype, jax.dtypes.prng_key):
                    return key
                return jax.random.wrap_key_data(key.reshape(2))
        """, False),
        S("hard-coded visible answer: key(3)", """
            def as_typed_key(key):
                return jax.random.key(3)
        """, False),
    ],
    "ex3_bootstrap": [
        S("right numbers with lax.map over the keys instead of vmap", """
            def bootstrap_means(key, x, num_resamples):
                keys = jax.random.split(key, num_resamples)
                return jax.lax.map(lambda k: jnp.mean(jax.random.choice(k, x, shape=(x.shape[0],), replace=True)), keys)
        """, False, "missing-vmap"),
        S("random indices into x, vmap over keys", """
            def bootstrap_means(key, x, num_resamples):
                n = x.shape[0]
                keys = jax.random.split(key, num_resamples)
                picks = jax.vmap(lambda k: jax.random.choice(k, n, shape=(n,), replace=True))(keys)
                return jnp.mean(x[picks], axis=1)
        """, True),
        S("vmapped helper defined outside, with in_axes", """
            def _resample_mean(k, x):
                return jax.random.choice(k, x, shape=x.shape, replace=True).mean()

            def bootstrap_means(key, x, num_resamples):
                return jax.vmap(_resample_mean, in_axes=(0, None))(jax.random.split(key, num_resamples), x)
        """, True),
        S("right numbers, but a Python loop over the resamples instead of vmap", """
            def bootstrap_means(key, x, num_resamples):
                keys = jax.random.split(key, num_resamples)
                return jnp.stack([jnp.mean(jax.random.choice(k, x, shape=(x.shape[0],), replace=True)) for k in keys])
        """, False, "batch-loop"),
        S("copies of one key instead of split rows (split-rows reuse)", """
            def bootstrap_means(key, x, num_resamples):
                keys = jnp.stack([key] * num_resamples)
                return jax.vmap(lambda k: jnp.mean(jax.random.choice(k, x, shape=(x.shape[0],), replace=True)))(keys)
        """, False, REUSE),
        S("without replacement: every resample is a permutation", """
            def bootstrap_means(key, x, num_resamples):
                keys = jax.random.split(key, num_resamples)
                return jax.vmap(lambda k: jnp.mean(jax.random.choice(k, x, shape=(x.shape[0],), replace=False)))(keys)
        """, False),
        S("plausible numbers without splitting: one draw of all indices", """
            def bootstrap_means(key, x, num_resamples):
                n = x.shape[0]
                picks = jax.random.randint(key, (num_resamples, n), 0, n)
                return jnp.mean(x[picks], axis=1)
        """, False, NO_SPLIT),
        S("off-by-one: resamples of n - 1 values", """
            def bootstrap_means(key, x, num_resamples):
                keys = jax.random.split(key, num_resamples)
                return jax.vmap(lambda k: jnp.mean(jax.random.choice(k, x, shape=(x.shape[0] - 1,))))(keys)
        """, False),
        S("hard-coded visible answer", """
            _fixed = jax.vmap(lambda k: jnp.mean(jax.random.choice(k, jnp.arange(10.0), shape=(10,))))(
                jax.random.split(jax.random.key(0), 5))

            def bootstrap_means(key, x, num_resamples):
                return _fixed
        """, False),
    ],
    "ex4_minibatches": [
        S("permutation of the rows themselves", """
            def minibatches(key, data, batch_size):
                count = data.shape[0] // batch_size
                shuffled = jax.random.permutation(key, data)
                return shuffled[: count * batch_size].reshape(count, batch_size, *data.shape[1:])
        """, True),
        S("take with the index permutation, jitted with batch_size static", """
            from functools import partial

            @partial(jax.jit, static_argnums=2)
            def minibatches(key, data, batch_size):
                n = data.shape[0]
                order = jax.random.permutation(key, n)[: n - n % batch_size]
                return jnp.take(data, order, axis=0).reshape((-1, batch_size) + data.shape[1:])
        """, True),
        S("no shuffle", """
            def minibatches(key, data, batch_size):
                count = data.shape[0] // batch_size
                return data[: count * batch_size].reshape((count, batch_size) + data.shape[1:])
        """, False),
        S("drops the first rows instead of the last", """
            def minibatches(key, data, batch_size):
                n = data.shape[0]
                shuffled = data[jax.random.permutation(key, n)]
                return shuffled[n % batch_size:].reshape((n // batch_size, batch_size) + data.shape[1:])
        """, False),
        S("draws rows with replacement (choice): rows repeat", """
            def minibatches(key, data, batch_size):
                n = data.shape[0]
                count = n // batch_size
                rows = jax.random.choice(key, n, shape=(count * batch_size,))
                return data[rows].reshape((count, batch_size) + data.shape[1:])
        """, False),
        S("wrong axis: shuffles along the last axis", """
            def minibatches(key, data, batch_size):
                n = data.shape[0]
                count = n // batch_size
                shuffled = jax.random.permutation(key, data, axis=data.ndim - 1)
                return shuffled[: count * batch_size].reshape((count, batch_size) + data.shape[1:])
        """, False),
        S("hard-coded visible answer", """
            def minibatches(key, data, batch_size):
                return jnp.arange(10.0)[jax.random.permutation(jax.random.key(0), 10)][:9].reshape(3, 3)
        """, False),
    ],
    "ex5_sample_tokens": [
        S("choice with softmax probabilities instead of categorical (other numbers)", """
            def sample_tokens(key, logits, temperature, num_samples):
                p = jax.nn.softmax(logits / temperature)
                return jax.random.choice(key, logits.shape[0], shape=(num_samples,), p=p)
        """, False),
        S("Gumbel-max trick written by hand (categorical's own method)", """
            def sample_tokens(key, logits, temperature, num_samples):
                gumbel = jax.random.gumbel(key, (num_samples,) + logits.shape)
                return jnp.argmax(logits / temperature + gumbel, axis=-1).astype(jnp.int32)
        """, True),
        S("temperature as a multiplier on log-softmax", """
            def sample_tokens(key, logits, temperature, num_samples):
                scaled = jax.nn.log_softmax(logits * (1.0 / temperature))
                return jax.random.categorical(key, scaled, shape=(num_samples,))
        """, True),
        S("ignores the temperature (biased)", """
            def sample_tokens(key, logits, temperature, num_samples):
                return jax.random.categorical(key, logits, shape=(num_samples,))
        """, False),
        S("multiplies by the temperature", """
            def sample_tokens(key, logits, temperature, num_samples):
                return jax.random.categorical(key, logits * temperature, shape=(num_samples,))
        """, False),
        S("deterministic: always the best token", """
            def sample_tokens(key, logits, temperature, num_samples):
                return jnp.full((num_samples,), jnp.argmax(logits), dtype=jnp.int32)
        """, False),
        S("probabilities passed as logits", """
            def sample_tokens(key, logits, temperature, num_samples):
                return jax.random.categorical(key, jax.nn.softmax(logits / temperature), shape=(num_samples,))
        """, False),
        S("hard-coded visible answer", """
            def sample_tokens(key, logits, temperature, num_samples):
                return jax.random.categorical(jax.random.key(0), jnp.array([2.0, 1.0, 0.5, -1.0]) / 0.7, shape=(8,))
        """, False),
    ],
    "ex6_step_dropout": [
        S("mask as a float multiplier", """
            def noisy_dropout(rngs, step, x, rate, noise_std):
                noise = jax.random.normal(jax.random.fold_in(rngs["noise"], step), x.shape)
                keep = jax.random.bernoulli(jax.random.fold_in(rngs["dropout"], step), 1.0 - rate, x.shape)
                return (x + noise_std * noise) * keep.astype(x.dtype) / (1.0 - rate)
        """, True),
        S("step keys for the whole dict with tree.map, dropped with uniform < keep", """
            def noisy_dropout(rngs, step, x, rate, noise_std):
                step_keys = jax.tree.map(lambda k: jax.random.fold_in(k, step), rngs)
                noisy = x + noise_std * jax.random.normal(step_keys["noise"], x.shape)
                keep = jax.random.bernoulli(step_keys["dropout"], p=1.0 - rate, shape=x.shape)
                return jnp.where(keep, noisy, 0.0) / (1.0 - rate)
        """, True),
        S("folds the noise key with the same step twice (fold_in with equal data)", """
            def noisy_dropout(rngs, step, x, rate, noise_std):
                noisy = x + noise_std * jax.random.normal(jax.random.fold_in(rngs["noise"], step), x.shape)
                keep = jax.random.bernoulli(jax.random.fold_in(rngs["noise"], step), 1.0 - rate, x.shape)
                return jnp.where(keep, noisy / (1.0 - rate), 0.0)
        """, False, REUSE),
        S("one key of the dict for both draws (pytree reuse)", """
            def noisy_dropout(rngs, step, x, rate, noise_std):
                key = jax.random.fold_in(rngs["dropout"], step)
                keep = jax.random.bernoulli(key, 1.0 - rate, x.shape)
                noisy = x + noise_std * jax.random.normal(key, x.shape)
                return jnp.where(keep, noisy / (1.0 - rate), 0.0)
        """, False, REUSE),
        S("plausible numbers, step ignored: split instead of fold_in", """
            def noisy_dropout(rngs, step, x, rate, noise_std):
                k_noise, _ = jax.random.split(rngs["noise"])
                k_mask, _ = jax.random.split(rngs["dropout"])
                noisy = x + noise_std * jax.random.normal(k_noise, x.shape)
                keep = jax.random.bernoulli(k_mask, 1.0 - rate, x.shape)
                return jnp.where(keep, noisy / (1.0 - rate), 0.0)
        """, False, "required-primitive"),
        S("keeps with probability rate instead of 1 - rate", """
            def noisy_dropout(rngs, step, x, rate, noise_std):
                noisy = x + noise_std * jax.random.normal(jax.random.fold_in(rngs["noise"], step), x.shape)
                keep = jax.random.bernoulli(jax.random.fold_in(rngs["dropout"], step), rate, x.shape)
                return jnp.where(keep, noisy / (1.0 - rate), 0.0)
        """, False),
        S("no rescaling of the kept elements", """
            def noisy_dropout(rngs, step, x, rate, noise_std):
                noisy = x + noise_std * jax.random.normal(jax.random.fold_in(rngs["noise"], step), x.shape)
                keep = jax.random.bernoulli(jax.random.fold_in(rngs["dropout"], step), 1.0 - rate, x.shape)
                return jnp.where(keep, noisy, 0.0)
        """, False),
        S("off-by-one: folds in step + 1", """
            def noisy_dropout(rngs, step, x, rate, noise_std):
                noisy = x + noise_std * jax.random.normal(jax.random.fold_in(rngs["noise"], step + 1), x.shape)
                keep = jax.random.bernoulli(jax.random.fold_in(rngs["dropout"], step + 1), 1.0 - rate, x.shape)
                return jnp.where(keep, noisy / (1.0 - rate), 0.0)
        """, False),
        S("hard-coded visible answer: the step-0 result", """
            def noisy_dropout(rngs, step, x, rate, noise_std):
                noisy = x + noise_std * jax.random.normal(jax.random.fold_in(rngs["noise"], 0), x.shape)
                keep = jax.random.bernoulli(jax.random.fold_in(rngs["dropout"], 0), 1.0 - rate, x.shape)
                return jnp.where(keep, noisy / (1.0 - rate), 0.0)
        """, False),
    ],
    "ex7_perturb": [
        S("a tree of keys, then tree.map over params and keys", """
            def perturb(key, params, sigma):
                treedef = jax.tree.structure(params)
                keys = jax.tree.unflatten(treedef, list(jax.random.split(key, treedef.num_leaves)))
                return jax.tree.map(lambda p, k: p + sigma * jax.random.normal(k, p.shape), params, keys)
        """, True),
        S("an explicit loop over the leaves with an index", """
            def perturb(key, params, sigma):
                leaves, treedef = jax.tree.flatten(params)
                keys = jax.random.split(key, len(leaves))
                out = []
                for i in range(len(leaves)):
                    out.append(leaves[i] + sigma * jax.random.normal(keys[i], jnp.shape(leaves[i])))
                return jax.tree.unflatten(treedef, out)
        """, True),
        S("one key for every leaf through a helper (helper reuse)", """
            def _noisy(key, leaf, sigma):
                return leaf + sigma * jax.random.normal(key, leaf.shape)

            def perturb(key, params, sigma):
                return jax.tree.map(lambda p: _noisy(key, p, sigma), params)
        """, False, REUSE),
        S("a pytree of copies of one key (pytree reuse)", """
            def perturb(key, params, sigma):
                keys = jax.tree.map(lambda _: key, params)
                return jax.tree.map(lambda p, k: p + sigma * jax.random.normal(k, p.shape), params, keys)
        """, False, REUSE),
        S("plausible numbers without splitting: fold_in the leaf index", """
            def perturb(key, params, sigma):
                leaves, treedef = jax.tree.flatten(params)
                noisy = [l + sigma * jax.random.normal(jax.random.fold_in(key, i), l.shape) for i, l in enumerate(leaves)]
                return jax.tree.unflatten(treedef, noisy)
        """, False, NO_SPLIT),
        S("keys paired with the leaves in reverse order", """
            def perturb(key, params, sigma):
                leaves, treedef = jax.tree.flatten(params)
                keys = jax.random.split(key, len(leaves))[::-1]
                return jax.tree.unflatten(treedef, [l + sigma * jax.random.normal(k, l.shape) for l, k in zip(leaves, keys)])
        """, False),
        S("noise not scaled by sigma", """
            def perturb(key, params, sigma):
                leaves, treedef = jax.tree.flatten(params)
                keys = jax.random.split(key, len(leaves))
                return jax.tree.unflatten(treedef, [l + jax.random.normal(k, l.shape) for l, k in zip(leaves, keys)])
        """, False),
        S("hard-coded visible answer", """
            def perturb(key, params, sigma):
                k_b, k_w = jax.random.split(jax.random.key(0))
                return {"b": 0.1 * jax.random.normal(k_b, (2,)), "w": 1.0 + 0.1 * jax.random.normal(k_w, (3, 2))}
        """, False),
    ],
    "ex8_random_walk": [
        S("scan over xs=arange, key pair taken by index", """
            def random_walk(key, num_steps, step_std):
                def step(carry, _):
                    keys = jax.random.split(carry[0])
                    position = carry[1] + step_std * jax.random.normal(keys[1])
                    return (keys[0], position), position
                return jax.lax.scan(step, (key, 0.0 * jnp.ones(())), jnp.arange(num_steps))[1]
        """, True),
        S("scan jitted with the length static", """
            from functools import partial

            @partial(jax.jit, static_argnums=1)
            def random_walk(key, num_steps, step_std):
                def step(carry, _):
                    k, x = carry
                    k, sub = jax.random.split(k)
                    x = x + step_std * jax.random.normal(sub, dtype=jnp.float32)
                    return (k, x), x
                (_, _), path = jax.lax.scan(step, (key, jnp.zeros((), jnp.float32)), xs=None, length=num_steps)
                return path
        """, True),
        S("right numbers, but a Python loop instead of scan", """
            def random_walk(key, num_steps, step_std):
                position, out = jnp.float32(0.0), []
                for _ in range(num_steps):
                    key, sub = jax.random.split(key)
                    position = position + step_std * jax.random.normal(sub)
                    out.append(position)
                return jnp.stack(out)
        """, False, "required-primitive"),
        S("key closed over, never split (loop reuse: every step the same)", """
            def random_walk(key, num_steps, step_std):
                def step(position, _):
                    position = position + step_std * jax.random.normal(key)
                    return position, position
                return jax.lax.scan(step, jnp.float32(0.0), None, length=num_steps)[1]
        """, False, REUSE),
        S("key carried but not split (loop reuse)", """
            def random_walk(key, num_steps, step_std):
                def step(carry, _):
                    k, position = carry
                    position = position + step_std * jax.random.normal(k)
                    return (k, position), position
                return jax.lax.scan(step, (key, jnp.float32(0.0)), None, length=num_steps)[1]
        """, False, REUSE),
        S("plausible numbers without splitting: cumsum of one draw", """
            def random_walk(key, num_steps, step_std):
                steps = step_std * jax.random.normal(key, (num_steps,))
                return jax.lax.scan(lambda p, s: (p + s, p + s), jnp.float32(0.0), steps)[1]
        """, False, NO_SPLIT),
        S("off-by-one: outputs the position before each step", """
            def random_walk(key, num_steps, step_std):
                def step(carry, _):
                    k, position = carry
                    k, sub = jax.random.split(k)
                    return (k, position + step_std * jax.random.normal(sub)), position
                return jax.lax.scan(step, (key, jnp.float32(0.0)), None, length=num_steps)[1]
        """, False),
        S("hard-coded visible answer", """
            def random_walk(key, num_steps, step_std):
                def step(carry, _):
                    k, position = carry
                    k, sub = jax.random.split(k)
                    position = position + jax.random.normal(sub)
                    return (k, position), position
                return jax.lax.scan(step, (jax.random.key(0), jnp.float32(0.0)), None, length=5)[1]
        """, False),
    ],
    "ex9_fix_reuse": [
        S("split rows by index, helper kept", """
            def make_dataset(key, n):
                keys = jax.random.split(key, 3)
                x = add_noise(keys[1], jax.random.uniform(keys[0], (n, 2), minval=-1.0, maxval=1.0), 0.05)
                return x, add_noise(keys[2], jnp.sin(3.0 * x[:, 0]) * x[:, 1], 0.1)
        """, True),
        S("converted to a typed key first (same bits, same numbers)", """
            def make_dataset(key, n):
                if not jax.dtypes.issubdtype(key.dtype, jax.dtypes.prng_key):
                    key = jax.random.wrap_key_data(key)
                k_x, k_x_noise, k_y_noise = jax.random.split(key, 3)
                x = jax.random.uniform(k_x, (n, 2), minval=-1.0, maxval=1.0)
                x = add_noise(k_x_noise, x, 0.05)
                y = add_noise(k_y_noise, jnp.sin(3.0 * x[:, 0]) * x[:, 1], 0.1)
                return x, y
        """, True),
        S("unchanged broken code (legacy-key reuse)", """
            def make_dataset(key, n):
                x = jax.random.uniform(key, (n, 2), minval=-1.0, maxval=1.0)
                x = add_noise(key, x, 0.05)
                y = jnp.sin(3.0 * x[:, 0]) * x[:, 1]
                y = add_noise(key, y, 0.1)
                return x, y
        """, False, REUSE),
        S("half fixed: one noise key for both helper calls (helper reuse)", """
            def make_dataset(key, n):
                k_x, k_noise = jax.random.split(key)
                x = jax.random.uniform(k_x, (n, 2), minval=-1.0, maxval=1.0)
                x = add_noise(k_noise, x, 0.05)
                y = jnp.sin(3.0 * x[:, 0]) * x[:, 1]
                y = add_noise(k_noise, y, 0.1)
                return x, y
        """, False, REUSE),
        S("plausible numbers without splitting: fold_in 1, 2, 3", """
            def make_dataset(key, n):
                x = jax.random.uniform(jax.random.fold_in(key, 1), (n, 2), minval=-1.0, maxval=1.0)
                x = add_noise(jax.random.fold_in(key, 2), x, 0.05)
                y = jnp.sin(3.0 * x[:, 0]) * x[:, 1]
                return x, add_noise(jax.random.fold_in(key, 3), y, 0.1)
        """, False, NO_SPLIT),
        S("subkeys in another order", """
            def make_dataset(key, n):
                k_x_noise, k_y_noise, k_x = jax.random.split(key, 3)
                x = jax.random.uniform(k_x, (n, 2), minval=-1.0, maxval=1.0)
                x = add_noise(k_x_noise, x, 0.05)
                y = jnp.sin(3.0 * x[:, 0]) * x[:, 1]
                return x, add_noise(k_y_noise, y, 0.1)
        """, False),
        S("hard-coded visible answer: seed 0 baked in", """
            def make_dataset(key, n):
                k_x, k_x_noise, k_y_noise = jax.random.split(jax.random.PRNGKey(0), 3)
                x = jax.random.uniform(k_x, (n, 2), minval=-1.0, maxval=1.0)
                x = add_noise(k_x_noise, x, 0.05)
                y = jnp.sin(3.0 * x[:, 0]) * x[:, 1]
                return x, add_noise(k_y_noise, y, 0.1)
        """, False),
    ],
    "ex10_mixture": [
        S("choice with p=weights, then a normal draw", """
            def sample_mixture(key, n, weights, means, stds):
                k1, k2 = jax.random.split(key)
                component = jax.random.choice(k1, weights.shape[0], shape=(n,), p=weights)
                return means[component] + stds[component] * jax.random.normal(k2, (n,))
        """, True),
        S("inverse CDF of the weights with a uniform draw, one key per sample under vmap", """
            def sample_mixture(key, n, weights, means, stds):
                edges = jnp.cumsum(weights)

                def one(k):
                    k_u, k_z = jax.random.split(k)
                    c = jnp.minimum(jnp.searchsorted(edges, jax.random.uniform(k_u)), weights.shape[0] - 1)
                    return means[c] + stds[c] * jax.random.normal(k_z)

                return jax.vmap(one)(jax.random.split(key, n))
        """, True),
        S("one key for the component and the noise (correlated: key reuse)", """
            def sample_mixture(key, n, weights, means, stds):
                component = jax.random.categorical(key, jnp.log(weights), shape=(n,))
                return means[component] + stds[component] * jax.random.normal(key, (n,))
        """, False, REUSE),
        S("deterministic: ignores the key", """
            def sample_mixture(key, n, weights, means, stds):
                k1, k2 = jax.random.split(jax.random.key(0))
                component = jax.random.categorical(k1, jnp.log(weights), shape=(n,))
                return means[component] + stds[component] * jax.random.normal(k2, (n,))
        """, False),
        S("biased: ignores the weights", """
            def sample_mixture(key, n, weights, means, stds):
                k1, k2 = jax.random.split(key)
                component = jax.random.randint(k1, (n,), 0, weights.shape[0])
                return means[component] + stds[component] * jax.random.normal(k2, (n,))
        """, False),
        S("biased: variances used as standard deviations", """
            def sample_mixture(key, n, weights, means, stds):
                k1, k2 = jax.random.split(key)
                component = jax.random.categorical(k1, jnp.log(weights), shape=(n,))
                return means[component] + stds[component] ** 2 * jax.random.normal(k2, (n,))
        """, False),
        S("correlated: components in blocks of the right sizes (right histogram, dependent neighbours)", """
            def sample_mixture(key, n, weights, means, stds):
                counts = jnp.round(weights * n).astype(jnp.int32)
                component = jnp.repeat(jnp.arange(weights.shape[0]), counts, total_repeat_length=n)
                return means[component] + stds[component] * jax.random.normal(key, (n,))
        """, False),
        S("hard-coded visible answer: the mixture mean everywhere", """
            def sample_mixture(key, n, weights, means, stds):
                return jnp.full((n,), jnp.sum(weights * means), dtype=jnp.float32)
        """, False),
    ],
}
