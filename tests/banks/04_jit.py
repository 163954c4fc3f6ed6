"""Bank for chapter 4 (jit): wrong submissions that must lose points, and correct alternatives in other styles."""
from textwrap import dedent

from tests.exercise_bank import Submission


def S(label: str, source: str, correct: bool, anti_pattern: str | None = None) -> Submission:
    return Submission(label, dedent(source).strip() + "\n", correct, anti_pattern)


BANK = {
    "ex1_standardize": [
        S("variance by hand, decorated copy", """
            def standardize(x):
                centred = x - x.mean(axis=-1, keepdims=True)
                std = jnp.sqrt(jnp.mean(centred * centred, axis=-1, keepdims=True))
                return centred / (std + 1e-6)

            @jax.jit
            def standardize_fast(x):
                return standardize(x)
            """, True),
        S("jax.jit of a lambda over a helper", """
            def standardize(x):
                mu, sigma = jnp.mean(x, -1, keepdims=True), jnp.std(x, -1, keepdims=True)
                return (x - mu) * (1.0 / (sigma + 1e-6))

            standardize_fast = jax.jit(lambda x: standardize(x))
            """, True),
        S("wrong axis: normalises columns", """
            def standardize(x):
                return (x - x.mean(axis=0, keepdims=True)) / (x.std(axis=0, keepdims=True) + 1e-6)
            standardize_fast = jax.jit(standardize)
            """, False),
        S("off-by-one: sample std (ddof=1)", """
            def standardize(x):
                return (x - x.mean(axis=-1, keepdims=True)) / (x.std(axis=-1, ddof=1, keepdims=True) + 1e-6)
            standardize_fast = jax.jit(standardize)
            """, False),
        S("wrong dtype: always float32", """
            def standardize(x):
                x = x.astype(jnp.float32)
                return (x - x.mean(axis=-1, keepdims=True)) / (x.std(axis=-1, keepdims=True) + 1e-6)
            standardize_fast = jax.jit(standardize)
            """, False),
        S("hard-coded visible answer", """
            def standardize(x):
                return jnp.array([[-1.3416396, -0.4472132, 0.4472132, 1.3416396],
                                  [-0.57735, -0.57735, -0.57735, 1.73205]]) + 0 * jnp.sum(x)
            standardize_fast = jax.jit(standardize)
            """, False),
        S("not jitted at all", """
            def standardize(x):
                return (x - x.mean(axis=-1, keepdims=True)) / (x.std(axis=-1, keepdims=True) + 1e-6)
            standardize_fast = standardize
            """, False, "missing-jit"),
        S("epsilon in the wrong place: inside the square root", """
            @jax.jit
            def standardize_fast(x):
                centred = x - x.mean(axis=-1, keepdims=True)
                return centred / jnp.sqrt(jnp.mean(centred ** 2, axis=-1, keepdims=True) + 1e-6)
            """, False),
        S("epsilon in the wrong place: added after the division", """
            def standardize(x):
                return (x - x.mean(axis=-1, keepdims=True)) / x.std(axis=-1, keepdims=True) + 1e-6
            standardize_fast = jax.jit(standardize)
            """, False),
    ],
    "ex2_make_targets": [
        S("ignores 'jitted': a plain function with the same numbers", """
            def make_targets(labels, num_classes, training):
                targets = jax.nn.one_hot(labels, num_classes, dtype=jnp.float32)
                return targets * 0.9 + 0.1 / num_classes if training else targets
            """, False, "missing-jit"),
        S("comparison one-hot, jnp.where on a static flag", """
            def _targets(labels, num_classes, training):
                hot = (labels[:, None] == jnp.arange(num_classes)).astype(jnp.float32)
                eps = 0.1 if training else 0.0
                return hot * (1 - eps) + eps / num_classes
            make_targets = jax.jit(_targets, static_argnames=["training", "num_classes"])
            """, True),
        S("static_argnums by position", """
            @partial(jax.jit, static_argnums=(1, 2))
            def make_targets(labels, num_classes, training):
                targets = jax.nn.one_hot(labels, num_classes)
                return targets * 0.9 + 0.1 / num_classes if training else targets
            """, True),
        S("only num_classes static: Python if on traced flag", """
            @partial(jax.jit, static_argnames=("num_classes",))
            def make_targets(labels, num_classes, training):
                targets = jax.nn.one_hot(labels, num_classes)
                if training:
                    targets = targets * 0.9 + 0.1 / num_classes
                return targets
            """, False, "not-traceable"),
        S("off-by-one: spreads eps over the other classes only", """
            @partial(jax.jit, static_argnames=("num_classes", "training"))
            def make_targets(labels, num_classes, training):
                targets = jax.nn.one_hot(labels, num_classes)
                if training:
                    targets = targets * 0.9 + 0.1 / (num_classes - 1)
                return targets
            """, False),
        S("wrong axis: classes along axis 0", """
            @partial(jax.jit, static_argnames=("num_classes", "training"))
            def make_targets(labels, num_classes, training):
                targets = jax.nn.one_hot(labels, num_classes, axis=0)
                if training:
                    targets = targets * 0.9 + 0.1 / num_classes
                return targets
            """, False),
        S("wrong dtype: int32 one-hot", """
            @partial(jax.jit, static_argnames=("num_classes", "training"))
            def make_targets(labels, num_classes, training):
                if training:
                    return jax.nn.one_hot(labels, num_classes) * 0.9 + 0.1 / num_classes
                return jax.nn.one_hot(labels, num_classes, dtype=jnp.int32)
            """, False),
        S("hard-coded visible answer", """
            @partial(jax.jit, static_argnames=("num_classes", "training"))
            def make_targets(labels, num_classes, training):
                hot = jnp.array([[1.0, 0, 0], [0, 0, 1], [0, 1, 0]])
                return hot * 0.9 + 0.1 / 3 if training else hot
            """, False),
    ],
    "ex3_sgd_step": [
        S("jit of a lambda, defined once", """
            sgd_step = jax.jit(lambda params, grads, lr: jax.tree.map(lambda p, g: p - g * lr, params, grads))
            """, True),
        S("flatten and unflatten by hand", """
            @jax.jit
            def sgd_step(params, grads, lr):
                leaves, treedef = jax.tree_util.tree_flatten(params)
                grad_leaves = jax.tree_util.tree_leaves(grads)
                return jax.tree_util.tree_unflatten(treedef, [p - lr * g for p, g in zip(leaves, grad_leaves)])
            """, True),
        S("ignores 'compiles once': not jitted at all", """
            def sgd_step(params, grads, lr):
                return jax.tree.map(lambda p, g: p - lr * g, params, grads)
            """, False, "missing-jit"),
        S("static learning rate (the original code)", """
            @partial(jax.jit, static_argnames=("lr",))
            def sgd_step(params, grads, lr):
                return jax.tree.map(lambda p, g: p - lr * g, params, grads)
            """, False, "recompilation"),
        S("wrong sign: gradient ascent", """
            @jax.jit
            def sgd_step(params, grads, lr):
                return jax.tree.map(lambda p, g: p + lr * g, params, grads)
            """, False),
        S("wrong dtype: learning rate as a float32 array promotes float16 leaves", """
            @jax.jit
            def sgd_step(params, grads, lr):
                lr = jnp.asarray(lr, jnp.float32)
                return jax.tree.map(lambda p, g: p - lr * g, params, grads)
            """, False),
        S("hard-coded visible answer", """
            @jax.jit
            def sgd_step(params, grads, lr):
                return {"w": jnp.array([0.95, 2.1]), "b": jnp.array(0.4)}
            """, False),
    ],
    "ex4_smooth_signal": [
        S("whole loop jitted, n_passes static", """
            @partial(jax.jit, static_argnums=(1,))
            def smooth_signal(signal, n_passes):
                for _ in range(n_passes):
                    signal = 0.25 * jnp.roll(signal, 1) + 0.5 * signal + 0.25 * jnp.roll(signal, -1)
                return signal
            """, True),
        S("fori_loop with a traced pass count", """
            def _one_pass(_, s):
                return (jnp.roll(s, 1) + 2.0 * s + jnp.roll(s, -1)) / 4.0

            _smooth = jax.jit(lambda signal, n: lax.fori_loop(0, n, _one_pass, signal))

            def smooth_signal(signal, n_passes):
                return _smooth(jnp.asarray(signal), n_passes)
            """, True),
        S("ignores 'jit': the filter run op by op", """
            def smooth_signal(signal, n_passes):
                for _ in range(n_passes):
                    signal = 0.25 * jnp.roll(signal, 1) + 0.5 * signal + 0.25 * jnp.roll(signal, -1)
                return signal
            """, False, "missing-jit"),
        S("jit re-created inside the loop (the original code)", """
            def smooth_signal(signal, n_passes):
                for _ in range(n_passes):
                    smooth = jax.jit(lambda s: 0.25 * jnp.roll(s, 1) + 0.5 * s + 0.25 * jnp.roll(s, -1))
                    signal = smooth(signal)
                return signal
            """, False, "recompilation"),
        S("decorated def inside the loop", """
            def smooth_signal(signal, n_passes):
                for _ in range(n_passes):
                    @jax.jit
                    def smooth(s):
                        return 0.25 * jnp.roll(s, 1) + 0.5 * s + 0.25 * jnp.roll(s, -1)
                    signal = smooth(signal)
                return signal
            """, False, "recompilation"),
        S("off-by-one: one pass too few", """
            @jax.jit
            def smooth_once(s):
                return 0.25 * jnp.roll(s, 1) + 0.5 * s + 0.25 * jnp.roll(s, -1)

            def smooth_signal(signal, n_passes):
                for _ in range(n_passes - 1):
                    signal = smooth_once(signal)
                return smooth_once(signal) if n_passes == 1 else signal
            """, False),
        S("wrong dtype: float16 result", """
            @jax.jit
            def smooth_once(s):
                return (0.25 * jnp.roll(s, 1) + 0.5 * s + 0.25 * jnp.roll(s, -1)).astype(jnp.float16)

            def smooth_signal(signal, n_passes):
                for _ in range(n_passes):
                    signal = smooth_once(signal)
                return signal
            """, False),
        S("hard-coded visible answer", """
            def smooth_signal(signal, n_passes):
                if n_passes == 1:
                    return jnp.array([0.0, 1.0, 2.0, 1.0, 0.0])
                return signal
            """, False),
    ],
    "ex5_peak_normalise": [
        S("named placeholder", """
            def peak_normalise(x):
                peak = jnp.abs(x).max()
                jax.debug.print("peak = {p}", p=peak)
                return x / peak
            """, True),
        S("prints the expression, multiplies by the inverse", """
            def peak_normalise(x):
                jax.debug.print("peak = {}", jnp.max(jnp.abs(x)))
                return x * (1.0 / jnp.max(jnp.abs(x)))
            """, True),
        S("Python print (the original code)", """
            def peak_normalise(x):
                peak = jnp.max(jnp.abs(x))
                print(f"peak = {peak}")
                return x / peak
            """, False, "side-effect"),
        S("f-string inside jax.debug.print", """
            def peak_normalise(x):
                peak = jnp.max(jnp.abs(x))
                jax.debug.print(f"peak = {peak}")
                return x / peak
            """, False),
        S("off: forgets the absolute value", """
            def peak_normalise(x):
                peak = jnp.max(x)
                jax.debug.print("peak = {}", peak)
                return x / peak
            """, False),
        S("wrong axis: peak per column", """
            def peak_normalise(x):
                peak = jnp.max(jnp.abs(x), axis=0)
                jax.debug.print("peak = {}", jnp.max(peak))
                return x / peak
            """, False),
        S("wrong dtype: float16 result", """
            def peak_normalise(x):
                peak = jnp.max(jnp.abs(x))
                jax.debug.print("peak = {}", peak)
                return (x / peak).astype(jnp.float16)
            """, False),
        S("hard-coded visible answer", """
            def peak_normalise(x):
                jax.debug.print("peak = {}", jnp.max(jnp.abs(x)))
                return jnp.array([0.25, -1.0, 0.5])
            """, False),
    ],
    "ex6_clip_by_norm": [
        S("jnp.where", """
            def clip_by_norm(g, max_norm):
                norm = jnp.linalg.norm(g)
                return jnp.where(norm > max_norm, g * (max_norm / norm), g)
            """, True),
        S("scale factor with minimum", """
            def clip_by_norm(g, max_norm):
                norm = jnp.sqrt(jnp.sum(g * g))
                scale = jnp.minimum(1.0, max_norm / jnp.maximum(norm, 1e-30))
                return g * scale.astype(g.dtype)
            """, True),
        S("lax.cond with an operand", """
            def clip_by_norm(g, max_norm):
                norm = jnp.linalg.norm(g)
                return lax.cond(norm > max_norm, lambda v: v * (max_norm / norm), lambda v: v, g)
            """, True),
        S("Python if on a traced value (the original code)", """
            def clip_by_norm(g, max_norm):
                norm = jnp.linalg.norm(g)
                if norm > max_norm:
                    return g * (max_norm / norm)
                return g
            """, False, "not-traceable"),
        S("clips each element instead of the norm", """
            def clip_by_norm(g, max_norm):
                return jnp.clip(g, -max_norm, max_norm)
            """, False),
        S("always rescales, also small gradients", """
            def clip_by_norm(g, max_norm):
                return g * (max_norm / jnp.linalg.norm(g))
            """, False),
        S("NaN for an all-zero gradient", """
            def clip_by_norm(g, max_norm):
                norm = jnp.linalg.norm(g)
                return g / norm * jnp.minimum(norm, max_norm)
            """, False),
        S("wrong axis: norm of each row", """
            def clip_by_norm(g, max_norm):
                norm = jnp.linalg.norm(g, axis=-1, keepdims=True)
                return jnp.where(norm > max_norm, g * (max_norm / norm), g)
            """, False),
        S("wrong dtype: float32 result", """
            def clip_by_norm(g, max_norm):
                g = g.astype(jnp.float32)
                norm = jnp.linalg.norm(g)
                return jnp.where(norm > max_norm, g * (max_norm / norm), g)
            """, False),
        S("hard-coded visible answer", """
            def clip_by_norm(g, max_norm):
                return jnp.where(jnp.linalg.norm(g) > max_norm, jnp.array([0.6, 0.8]), g)
            """, False),
    ],
    "ex7_energy": [
        S("np.pad and the true length as a traced scalar", """
            BUCKETS = (16, 32, 64, 128)

            @jax.jit
            def _energy_kernel(padded, length):
                return jnp.sum(padded ** 2) / length

            def energy(x):
                size = min(b for b in BUCKETS if b >= len(x))
                return _energy_kernel(np.pad(x, (0, size - len(x))), np.float32(len(x)))
            """, True),
        S("bisect for the bucket, mask built inside jit", """
            import bisect
            BUCKETS = (16, 32, 64, 128)

            @jax.jit
            def _kernel(padded, n):
                mask = jnp.arange(padded.shape[0]) < n
                return jnp.sum(jnp.where(mask, padded * padded, 0.0)) / n

            def energy(x):
                size = BUCKETS[bisect.bisect_left(BUCKETS, len(x))]
                padded = np.zeros(size, np.float32)
                padded[: len(x)] = x
                return _kernel(padded, np.int32(len(x)))
            """, True),
        S("ignores 'one jitted function': pure NumPy", """
            def energy(x):
                return np.float32(np.mean(np.square(x, dtype=np.float32)))
            """, False, "missing-jit"),
        S("ignores 'pad on the host': padding on the device", """
            BUCKETS = (16, 32, 64, 128)

            @jax.jit
            def _kernel(padded, n):
                return jnp.sum(padded ** 2) / n

            def energy(x):
                size = min(b for b in BUCKETS if b >= len(x))
                return _kernel(jnp.pad(jnp.asarray(x), (0, size - len(x))), np.float32(len(x)))
            """, False, "device-work-per-shape"),
        S("ignores the buckets: always pads to 128", """
            @jax.jit
            def _kernel(padded, n):
                return jnp.sum(padded ** 2) / n

            def energy(x):
                return _kernel(np.pad(x, (0, 128 - len(x))), np.float32(len(x)))
            """, False),
        S("a different bucketing: powers of two from 1", """
            @jax.jit
            def _kernel(padded, n):
                return jnp.sum(padded ** 2) / n

            def energy(x):
                size = 1 << (len(x) - 1).bit_length()
                return _kernel(np.pad(x, (0, size - len(x))), np.float32(len(x)))
            """, False, "recompilation"),
        S("total instead of mean", """
            BUCKETS = (16, 32, 64, 128)

            @jax.jit
            def _kernel(padded):
                return jnp.sum(padded ** 2)

            def energy(x):
                size = min(b for b in BUCKETS if b >= len(x))
                return _kernel(np.pad(x, (0, size - len(x))))
            """, False),
        S("jit on the raw length: no padding", """
            @jax.jit
            def _mean_square(x):
                return jnp.mean(x ** 2)

            def energy(x):
                return _mean_square(x)
            """, False, "recompilation"),
        S("too many buckets: multiples of 8", """
            @jax.jit
            def _kernel(padded, n):
                return jnp.sum(padded ** 2) / n

            def energy(x):
                size = -(-len(x) // 8) * 8
                return _kernel(np.pad(x, (0, size - len(x))), np.float32(len(x)))
            """, False, "recompilation"),
        S("length passed as a static argument", """
            BUCKETS = (16, 32, 64, 128)

            @partial(jax.jit, static_argnums=(1,))
            def _kernel(padded, n):
                return jnp.sum(padded ** 2) / n

            def energy(x):
                size = min(b for b in BUCKETS if b >= len(x))
                return _kernel(np.pad(x, (0, size - len(x))), len(x))
            """, False, "recompilation"),
        S("divides by the padded length", """
            BUCKETS = (16, 32, 64, 128)

            @jax.jit
            def _kernel(padded):
                return jnp.mean(padded ** 2)

            def energy(x):
                size = min(b for b in BUCKETS if b >= len(x))
                return _kernel(np.pad(x, (0, size - len(x))))
            """, False),
        S("off-by-one: strictly larger bucket", """
            BUCKETS = (16, 32, 64, 128)

            @jax.jit
            def _kernel(padded, n):
                return jnp.sum(padded ** 2) / n

            def energy(x):
                size = next(b for b in BUCKETS if b > len(x))
                return _kernel(np.pad(x, (0, size - len(x))), np.float32(len(x)))
            """, False),
        S("wrong dtype: float16 result", """
            BUCKETS = (16, 32, 64, 128)

            @jax.jit
            def _kernel(padded, n):
                return (jnp.sum(padded ** 2) / n).astype(jnp.float16)

            def energy(x):
                size = min(b for b in BUCKETS if b >= len(x))
                return _kernel(np.pad(x, (0, size - len(x))), np.float32(len(x)))
            """, False),
        S("hard-coded visible answer", """
            def energy(x):
                return jnp.float32(12.5)
            """, False),
    ],
    "ex8_write_rows": [
        S("scatter with a traced row index", """
            def _write(buffer, start, rows):
                return buffer.at[start + jnp.arange(rows.shape[0])].set(rows)
            write_rows = jax.jit(_write, donate_argnums=0)
            """, True),
        S("donate_argnames and dynamic_update_slice_in_dim", """
            @partial(jax.jit, donate_argnames=("buffer",))
            def write_rows(buffer, start, rows):
                return lax.dynamic_update_slice_in_dim(buffer, rows, start, axis=0)
            """, True),
        S("no donation", """
            @jax.jit
            def write_rows(buffer, start, rows):
                return lax.dynamic_update_slice(buffer, rows, (start, 0))
            """, False, "donation"),
        S("donates the rows instead of the buffer", """
            @partial(jax.jit, donate_argnums=(2,))
            def write_rows(buffer, start, rows):
                return lax.dynamic_update_slice(buffer, rows, (start, 0))
            """, False, "donation"),
        S("start marked static", """
            @partial(jax.jit, donate_argnums=(0,), static_argnums=(1,))
            def write_rows(buffer, start, rows):
                return buffer.at[start:start + rows.shape[0]].set(rows)
            """, False, "recompilation"),
        S("off-by-one: writes one row too low", """
            @partial(jax.jit, donate_argnums=(0,))
            def write_rows(buffer, start, rows):
                return lax.dynamic_update_slice(buffer, rows, (start + 1, 0))
            """, False),
        S("wrong axis: offset along the columns", """
            @partial(jax.jit, donate_argnums=(0,))
            def write_rows(buffer, start, rows):
                return lax.dynamic_update_slice(buffer, rows, (0, start))
            """, False),
        S("wrong dtype: float32 buffer out", """
            @partial(jax.jit, donate_argnums=(0,))
            def write_rows(buffer, start, rows):
                return lax.dynamic_update_slice(buffer.astype(jnp.float32), rows.astype(jnp.float32), (start, 0))
            """, False),
        S("hard-coded start=1 from the visible test", """
            @partial(jax.jit, donate_argnums=(0,))
            def write_rows(buffer, start, rows):
                return lax.dynamic_update_slice(buffer, rows, (1, 0))
            """, False),
    ],
    "ex9_train_step": [
        S("loss and grad separately inside one jit", """
            @jax.jit
            def train_step(params, x, y, lr):
                loss = loss_fn(params, x, y)
                grads = jax.grad(loss_fn)(params, x, y)
                new_params = {k: params[k] - lr * grads[k] for k in params}
                return new_params, loss
            """, True),
        S("jax.jit call with donated params", """
            def _step(params, x, y, lr):
                loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
                return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads), loss
            train_step = jax.jit(_step, donate_argnums=(0,))
            """, True),
        S("jit per piece", """
            loss_jit = jax.jit(loss_fn)
            grad_jit = jax.jit(jax.grad(loss_fn))
            update_jit = jax.jit(lambda params, grads, lr: jax.tree.map(lambda p, g: p - lr * g, params, grads))

            def train_step(params, x, y, lr):
                loss = loss_jit(params, x, y)
                grads = grad_jit(params, x, y)
                return update_jit(params, grads, lr), loss
            """, False, "jit-scope"),
        S("not jitted at all", """
            def train_step(params, x, y, lr):
                loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
                return jax.tree.map(lambda p, g: p - lr * g, params, grads), loss
            """, False, "jit-scope"),
        S("static learning rate", """
            @partial(jax.jit, static_argnames=("lr",))
            def train_step(params, x, y, lr):
                loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
                return jax.tree.map(lambda p, g: p - lr * g, params, grads), loss
            """, False, "recompilation"),
        S("off-by-one: loss after the update", """
            @jax.jit
            def train_step(params, x, y, lr):
                grads = jax.grad(loss_fn)(params, x, y)
                new_params = jax.tree.map(lambda p, g: p - lr * g, params, grads)
                return new_params, loss_fn(new_params, x, y)
            """, False),
        S("wrong sign: gradient ascent", """
            @jax.jit
            def train_step(params, x, y, lr):
                loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
                return jax.tree.map(lambda p, g: p + lr * g, params, grads), loss
            """, False),
        S("wrong dtype: float16 loss", """
            @jax.jit
            def train_step(params, x, y, lr):
                loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
                return jax.tree.map(lambda p, g: p - lr * g, params, grads), loss.astype(jnp.float16)
            """, False),
        S("hard-coded visible learning rate 0.1", """
            @jax.jit
            def train_step(params, x, y, lr):
                loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
                return jax.tree.map(lambda p, g: p - 0.1 * g, params, grads), loss
            """, False),
    ],
}
