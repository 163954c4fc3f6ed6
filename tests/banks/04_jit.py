"""Bank for chapter 4 (jit): wrong submissions that must lose points, and correct alternatives in other styles."""
from textwrap import dedent

from tests.exercise_bank import Submission


def S(label: str, source: str, correct: bool, anti_pattern: str | None = None) -> Submission:
    return Submission(label, dedent(source).strip() + "\n", correct, anti_pattern)


# Exercise 9: a correct Lloyd step (as a plain function and jitted) and a correct fit; most wrong
# submissions below change one of them.
_LLOYD = """
def _step(points, centroids, metric):
    gaps = points[:, None, :] - centroids[None, :, :]
    dist = jnp.sum(gaps ** 2, -1) if metric == "l2" else jnp.sum(jnp.abs(gaps), -1)
    member = jax.nn.one_hot(jnp.argmin(dist, 1), centroids.shape[0], dtype=points.dtype)
    counts = member.sum(0)
    moved = (member.T @ points) / jnp.maximum(counts, 1)[:, None]
    return jnp.where(counts[:, None] > 0, moved, centroids), jnp.mean(jnp.min(dist, 1))
"""
_STEP = _LLOYD + """
kmeans_step = jax.jit(_step, static_argnames="metric")
"""
_FIT = """
def fit(points, centroids, n_iters, metric):
    costs = []
    for _ in range(n_iters):
        centroids, cost = kmeans_step(points, centroids, metric)
        costs.append(cost)
    return centroids, jnp.stack(costs)
"""


def K(label: str, step: str, fit: str, anti_pattern: str | None = None) -> Submission:
    """A wrong exercise 9 submission made of a step and a fit source."""
    return Submission(label, dedent(step).strip() + "\n\n" + dedent(fit).strip() + "\n", False, anti_pattern)



# Exercise 11: an honest timer; each wrong submission below changes one thing in it.
_TIMER = """
def seconds_per_step(step, state, batch, n_steps):
    state = jax.block_until_ready(step(state, batch))
    start = time.perf_counter()
    for _ in range(n_steps):
        state = step(state, batch)
    jax.block_until_ready(state)
    return (time.perf_counter() - start) / n_steps
"""


def T(label: str, old: str, new: str, anti_pattern: str | None = None) -> Submission:
    """A wrong exercise 11 submission: the honest timer with ``old`` replaced by ``new``."""
    assert old in _TIMER, old
    return Submission(label, _TIMER.replace(old, new, 1).strip() + "\n", False, anti_pattern)


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
    "ex3_tone_map": [
        S("Python floats at the boundary, decorated core", """
            @jax.jit
            def _curve(img, e, g):
                return jnp.minimum(jnp.maximum(img * e, 0.0), 1.0) ** (1.0 / g)

            def tone_map(image, exposure, gamma):
                return _curve(image, float(exposure), float(gamma))
            """, True),
        S("jnp.asarray in the image dtype, jax.jit call", """
            def _tone(image, exposure, gamma):
                return jnp.power(jnp.clip(image * exposure, 0, 1), 1 / gamma)

            _tone_fast = jax.jit(_tone)

            def tone_map(image, exposure, gamma):
                as_image = lambda v: jnp.asarray(v, dtype=image.dtype)
                return _tone_fast(image, as_image(exposure), as_image(gamma))
            """, True),
        S("numbers static (the original code)", """
            @partial(jax.jit, static_argnames=("exposure", "gamma"))
            def tone_map(image, exposure, gamma):
                return jnp.clip(image * exposure, 0.0, 1.0) ** (1.0 / gamma)
            """, False),
        S("static dropped, numbers passed as they come", """
            @jax.jit
            def tone_map(image, exposure, gamma):
                return jnp.clip(image * exposure, 0.0, 1.0) ** (1.0 / gamma)
            """, False, "recompilation"),
        S("converted inside the jitted function: too late for the cache key", """
            @jax.jit
            def tone_map(image, exposure, gamma):
                exposure = jnp.asarray(exposure, image.dtype)
                gamma = jnp.asarray(gamma, image.dtype)
                return jnp.clip(image * exposure, 0.0, 1.0) ** (1.0 / gamma)
            """, False, "recompilation"),
        S("ignores 'keep it jitted': plain jnp, op by op", """
            def tone_map(image, exposure, gamma):
                return jnp.clip(image * exposure, 0.0, 1.0) ** (1.0 / gamma)
            """, False, "missing-jit"),
        S("wrong dtype: numbers made float32, a float16 image comes back float32", """
            @jax.jit
            def _core(image, exposure, gamma):
                return jnp.clip(image * exposure, 0.0, 1.0) ** (1.0 / gamma)

            def tone_map(image, exposure, gamma):
                return _core(image, jnp.float32(exposure), jnp.float32(gamma))
            """, False),
        S("off: gamma applied as a power, not its inverse", """
            @jax.jit
            def _core(image, exposure, gamma):
                return jnp.clip(image * exposure, 0.0, 1.0) ** gamma

            def tone_map(image, exposure, gamma):
                return _core(image, float(exposure), float(gamma))
            """, False),
        S("forgets the clip", """
            @jax.jit
            def _core(image, exposure, gamma):
                return (image * exposure) ** (1.0 / gamma)

            def tone_map(image, exposure, gamma):
                return _core(image, float(exposure), float(gamma))
            """, False),
        S("numbers made ints at the boundary: 1.5 becomes 1", """
            @jax.jit
            def _core(image, exposure, gamma):
                return jnp.clip(image * exposure, 0.0, 1.0) ** (1.0 / gamma)

            def tone_map(image, exposure, gamma):
                return _core(image, int(exposure), int(gamma))
            """, False),
        S("hard-coded visible answer", """
            def tone_map(image, exposure, gamma):
                return jax.jit(lambda im: jnp.array([[0.4472136, 0.8944272], [0.70710677, 1.0]]) + 0 * im)(image)
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
        S("zero-filled arrays and a 0/1 mask, as in the lesson's pad_to", """
            BUCKETS = (16, 32, 64, 128)

            @jax.jit
            def _masked_energy(padded, mask):
                return jnp.sum(padded ** 2 * mask) / jnp.sum(mask)

            def energy(x):
                x = np.asarray(x, np.float32)
                size = next(b for b in BUCKETS if b >= len(x))
                padded = np.zeros(size, np.float32)
                padded[: len(x)] = x
                mask = np.zeros(size, np.float32)
                mask[: len(x)] = 1.0
                return _masked_energy(padded, mask)
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
    "ex9_kmeans": [
        S("expanded squared distance, segment_sum, preallocated costs", """
            def _distances(points, centroids, metric):
                if metric == "l1":
                    return jnp.abs(points[:, None] - centroids[None]).sum(-1)
                return ((points[:, None] - centroids[None]) ** 2).sum(-1)

            def _step(points, centroids, metric):
                dist = _distances(points, centroids, metric)
                label = dist.argmin(axis=1)
                k = centroids.shape[0]
                sums = jax.ops.segment_sum(points, label, num_segments=k)
                counts = jax.ops.segment_sum(jnp.ones_like(points[:, 0]), label, num_segments=k)
                safe = jnp.where(counts > 0, counts, 1)[:, None]
                new = jnp.where((counts > 0)[:, None], sums / safe, centroids)
                return new, dist.min(axis=1).mean()

            kmeans_step = jax.jit(_step, static_argnums=2)

            def fit(points, centroids, n_iters, metric):
                costs = jnp.zeros(n_iters, points.dtype)
                for i in range(n_iters):
                    centroids, cost = kmeans_step(points, centroids, metric)
                    costs = costs.at[i].set(cost)
                return centroids, costs
            """, True),
        S("one jitted function per metric, picked in Python; costs stacked by a comprehension", """
            def _lloyd(points, centroids, dist):
                nearest = jnp.argmin(dist, axis=1)
                hit = nearest[:, None] == jnp.arange(centroids.shape[0])[None, :]
                counts = hit.sum(axis=0)
                sums = jnp.einsum("nk,nd->kd", hit.astype(points.dtype), points)
                keep = counts[:, None] == 0
                return jnp.where(keep, centroids, sums / jnp.where(keep, 1, counts[:, None]).astype(points.dtype)), jnp.min(dist, axis=1).mean()

            _by_metric = {
                "l2": jax.jit(lambda p, c: _lloyd(p, c, jnp.sum(jnp.square(p[:, None] - c), axis=-1))),
                "l1": jax.jit(lambda p, c: _lloyd(p, c, jnp.sum(jnp.abs(p[:, None] - c), axis=-1))),
            }

            def kmeans_step(points, centroids, metric):
                return _by_metric[metric](points, centroids)

            def fit(points, centroids, n_iters, metric):
                history = []
                for _ in range(n_iters):
                    centroids, cost = kmeans_step(points, centroids, metric)
                    history.append(cost)
                return centroids, jnp.array(history)
            """, True),
        K("ignores 'jitted': kmeans_step op by op", _LLOYD.replace("def _step", "def kmeans_step"), _FIT, "missing-jit"),
        K("host sync in the loop: float(cost) every step", _STEP, """
            def fit(points, centroids, n_iters, metric):
                costs = []
                for step in range(n_iters):
                    centroids, cost = kmeans_step(points, centroids, metric)
                    costs.append(float(cost))
                return centroids, jnp.array(costs, dtype=points.dtype)
            """, "implicit-transfer"),
        K("host sync in the loop: a Python if on the cost (early stop)", _STEP, """
            def fit(points, centroids, n_iters, metric):
                costs = []
                for _ in range(n_iters):
                    centroids, cost = kmeans_step(points, centroids, metric)
                    if costs and cost > costs[-1]:
                        raise RuntimeError("k-means cost went up")
                    costs.append(cost)
                return centroids, jnp.stack(costs)
            """, "implicit-transfer"),
        K("whole fit jitted with n_iters static: a new n_iters recompiles", _STEP, """
            @partial(jax.jit, static_argnames=("n_iters", "metric"))
            def fit(points, centroids, n_iters, metric):
                costs = []
                for _ in range(n_iters):
                    centroids, cost = _step(points, centroids, metric)
                    costs.append(cost)
                return centroids, jnp.stack(costs)
            """, "recompilation"),
        K("jit re-created inside fit: every call compiles again", _STEP, """
            def fit(points, centroids, n_iters, metric):
                step = jax.jit(lambda p, c: _step(p, c, metric))
                costs = []
                for _ in range(n_iters):
                    centroids, cost = step(points, centroids)
                    costs.append(cost)
                return centroids, jnp.stack(costs)
            """, "recompilation"),
        K("ignores the metric: always squared Euclidean",
          _STEP.replace('jnp.sum(gaps ** 2, -1) if metric == "l2" else jnp.sum(jnp.abs(gaps), -1)', "jnp.sum(gaps ** 2, -1)"), _FIT),
        K("off-by-one: cost measured after the update", """
            @partial(jax.jit, static_argnames="metric")
            def kmeans_step(points, centroids, metric):
                def dist(c):
                    gaps = points[:, None, :] - c[None, :, :]
                    return jnp.sum(gaps ** 2, -1) if metric == "l2" else jnp.sum(jnp.abs(gaps), -1)
                member = jax.nn.one_hot(jnp.argmin(dist(centroids), 1), centroids.shape[0], dtype=points.dtype)
                counts = member.sum(0)
                moved = (member.T @ points) / jnp.maximum(counts, 1)[:, None]
                new = jnp.where(counts[:, None] > 0, moved, centroids)
                return new, jnp.mean(jnp.min(dist(new), 1))
            """, _FIT),
        K("wrong axis: nearest point for each centroid", """
            @partial(jax.jit, static_argnames="metric")
            def kmeans_step(points, centroids, metric):
                gaps = points[:, None, :] - centroids[None, :, :]
                dist = jnp.sum(gaps ** 2, -1) if metric == "l2" else jnp.sum(jnp.abs(gaps), -1)
                nearest = jnp.argmin(dist, axis=0)
                return points[nearest], jnp.mean(jnp.min(dist, axis=0))
            """, _FIT),
        K("empty cluster divides by zero (NaN centroid)",
          _STEP.replace("jnp.maximum(counts, 1)", "counts").replace("jnp.where(counts[:, None] > 0, moved, centroids)", "moved"), _FIT),
        K("wrong dtype: float32 one-hot turns float16 centroids into float32",
          _STEP.replace(", dtype=points.dtype)", ")"), _FIT),
        K("fit returns the last cost only, not one per step", _STEP, """
            def fit(points, centroids, n_iters, metric):
                for _ in range(n_iters):
                    centroids, cost = kmeans_step(points, centroids, metric)
                return centroids, cost
            """),
        S("hard-coded visible answer", """
            @partial(jax.jit, static_argnames="metric")
            def kmeans_step(points, centroids, metric):
                return jnp.array([[0.0, 1.0], [4.0, 1.0], [9.0, 9.0]]) + 0 * centroids, jnp.float32(2.0) + 0 * points.sum()

            def fit(points, centroids, n_iters, metric):
                centroids, _ = kmeans_step(points, centroids, metric)
                return centroids, jnp.array([2.0, 1.0, 1.0])
            """, False),
    ],
    "ex10_op_counts": [
        S("collections.Counter over the closed program's equations", """
            import collections

            def op_counts(f, *args, static_argnums=()):
                closed = jax.make_jaxpr(f, static_argnums=static_argnums)(*args)
                return collections.Counter(str(eqn.primitive) for eqn in closed.eqns)
            """, True),
        S("sorted names grouped with itertools", """
            import itertools

            def op_counts(f, *args, static_argnums=()):
                trace_of = jax.make_jaxpr(f, static_argnums=static_argnums)
                names = sorted(e.primitive.name for e in trace_of(*args).jaxpr.eqns)
                return {name: len(list(group)) for name, group in itertools.groupby(names)}
            """, True),
        S("distinct names only", """
            def op_counts(f, *args, static_argnums=()):
                eqns = jax.make_jaxpr(f, static_argnums=static_argnums)(*args).jaxpr.eqns
                return {e.primitive.name: 1 for e in eqns}
            """, False),
        S("counts inside nested programs too", """
            def op_counts(f, *args, static_argnums=()):
                counts = {}
                def walk(jaxpr):
                    for e in jaxpr.eqns:
                        counts[e.primitive.name] = counts.get(e.primitive.name, 0) + 1
                        for value in e.params.values():
                            inner = getattr(value, "jaxpr", None)
                            if inner is not None:
                                walk(getattr(inner, "jaxpr", inner))
                walk(jax.make_jaxpr(f, static_argnums=static_argnums)(*args).jaxpr)
                return counts
            """, False),
        S("parses the printed program (nested programs are printed too)", """
            import re

            def op_counts(f, *args, static_argnums=()):
                text = str(jax.make_jaxpr(f, static_argnums=static_argnums)(*args))
                counts = {}
                for name in re.findall(r"= (\\w+)", text):
                    counts[name] = counts.get(name, 0) + 1
                return counts
            """, False),
        S("ignores static_argnums", """
            def op_counts(f, *args, static_argnums=()):
                counts = {}
                for e in jax.make_jaxpr(f)(*args).jaxpr.eqns:
                    counts[e.primitive.name] = counts.get(e.primitive.name, 0) + 1
                return counts
            """, False),
        S("off-by-one: skips the first equation", """
            def op_counts(f, *args, static_argnums=()):
                counts = {}
                for e in jax.make_jaxpr(f, static_argnums=static_argnums)(*args).jaxpr.eqns[1:]:
                    counts[e.primitive.name] = counts.get(e.primitive.name, 0) + 1
                return counts
            """, False),
        S("hard-coded visible answers", """
            def op_counts(f, *args, static_argnums=()):
                if static_argnums:
                    return {"exp": 3}
                if len(args) == 1 and jnp.ndim(args[0]) == 0:
                    return {"sin": 2, "mul": 1}
                return {"integer_pow": 1, "mul": 1, "cos": 1, "add": 1}
            """, False),
    ],
    "ex11_seconds_per_step": [
        S("block on every timed step, perf_counter_ns", """
            def seconds_per_step(step, state, batch, n_steps):
                jax.block_until_ready(step(state, batch))
                start = time.perf_counter_ns()
                for _ in range(n_steps):
                    jax.block_until_ready(step(state, batch))
                return (time.perf_counter_ns() - start) / 1e9 / n_steps
            """, True),
        S("collect every result, one wait, time.monotonic", """
            def seconds_per_step(step, state, batch, n_steps):
                warm = step(state, batch)
                jax.block_until_ready(warm)
                t0 = time.monotonic()
                outs = [step(state, batch) for _ in range(n_steps)]
                jax.block_until_ready(outs)
                t1 = time.monotonic()
                return float((t1 - t0) / n_steps)
            """, True),
        S("no warm-up: the first timed step compiles", """
            def seconds_per_step(step, state, batch, n_steps):
                start = time.perf_counter()
                for _ in range(n_steps):
                    state = step(state, batch)
                jax.block_until_ready(state)
                return (time.perf_counter() - start) / n_steps
            """, False, "timing"),
        T("warm-up not waited for", "state = jax.block_until_ready(step(state, batch))", "state = step(state, batch)", "timing"),
        T("never waits for the timed steps", "    jax.block_until_ready(state)\n", "", "timing"),
        T("independent steps, only the last one waited for", "state = step(state, batch)\n    jax.block_until_ready(state)",
          "out = step(state, batch)\n    jax.block_until_ready(out)", "timing"),
        T("returns the total time, not the time per step", ") / n_steps", ")", "timing"),
        T("off-by-one: the warm-up step counted among the timed ones", "range(n_steps)", "range(n_steps + 1)"),
        T("wrong type: returns a JAX array", "return (", "return jnp.float32("),
        S("hard-coded visible answer: a made-up time", """
            def seconds_per_step(step, state, batch, n_steps):
                return 1e-4
            """, False),
    ],
}
