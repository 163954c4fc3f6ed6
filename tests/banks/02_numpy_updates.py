"""Bank of submissions for chapter 2 (jax.numpy and immutable updates): right ones in other styles, and wrong ones."""
from tests.exercise_bank import Submission

BANK = {
    "ex1_normalize_rows": [
        Submission("divide by row sums with [:, None]", """
def normalize_rows(x):
    sums = jnp.sum(x, axis=1)
    return x / sums[:, None]
""", True),
        Submission("reciprocal times, via einsum-free broadcasting", """
def normalize_rows(x):
    inverse = 1.0 / x.sum(axis=-1, keepdims=True)
    return x * inverse
""", True),
        Submission("wrong axis: column sums", """
def normalize_rows(x):
    return x / x.sum(axis=0, keepdims=True)
""", False),
        Submission("no keepdims: sums broadcast along the columns", """
def normalize_rows(x):
    return x / x.sum(axis=1)
""", False),
        Submission("off-by-one: skips the first column in the sum", """
def normalize_rows(x):
    return x / x[:, 1:].sum(axis=1, keepdims=True)
""", False),
        Submission("wrong dtype: returns bfloat16", """
def normalize_rows(x):
    return (x / x.sum(axis=1, keepdims=True)).astype(jnp.bfloat16)
""", False),
        Submission("hard-coded visible answer", """
def normalize_rows(x):
    return jnp.array([[0.25, 0.25, 0.5], [0.75, 0.25, 0.0]])
""", False),
    ],
    "ex2_one_hot": [
        Submission("flat positions, one .at[].set, reshape", """
def one_hot(labels, num_classes):
    n = labels.shape[0]
    flat = jnp.zeros(n * num_classes, dtype=jnp.float32)
    flat = flat.at[jnp.arange(n) * num_classes + labels].set(1.0)
    return flat.reshape(n, num_classes)
""", True),
        Submission("set in the transposed layout, then transpose", """
def one_hot(labels, num_classes):
    columns = jnp.zeros((num_classes, len(labels)), jnp.float32)
    columns = columns.at[labels, jnp.arange(len(labels))].set(jnp.ones(len(labels), jnp.float32))
    return columns.T
""", True),
        Submission("ignores '.at[].set': compare with arange", """
def one_hot(labels, num_classes):
    return (labels[:, None] == jnp.arange(num_classes)).astype(jnp.float32)
""", False, anti_pattern="required-primitive"),
        Submission("ignores '.at[].set': rows of an identity matrix", """
def one_hot(labels, num_classes):
    return jnp.eye(num_classes, dtype=jnp.float32)[labels]
""", False, anti_pattern="required-primitive"),
        Submission("update thrown away", """
def one_hot(labels, num_classes):
    out = jnp.zeros((labels.shape[0], num_classes), dtype=jnp.float32)
    out.at[jnp.arange(labels.shape[0]), labels].set(1.0)
    return out
""", False, anti_pattern="discarded-update"),
        Submission("off-by-one: one class too many", """
def one_hot(labels, num_classes):
    out = jnp.zeros((labels.shape[0], num_classes + 1), dtype=jnp.float32)
    return out.at[jnp.arange(labels.shape[0]), labels].set(1.0)
""", False),
        Submission("wrong axis: transposed", """
def one_hot(labels, num_classes):
    out = jnp.zeros((num_classes, labels.shape[0]), dtype=jnp.float32)
    return out.at[labels, jnp.arange(labels.shape[0])].set(1.0)
""", False),
        Submission("wrong dtype: int32 codes", """
def one_hot(labels, num_classes):
    out = jnp.zeros((labels.shape[0], num_classes), dtype=jnp.int32)
    return out.at[jnp.arange(labels.shape[0]), labels].set(1)
""", False),
        Submission("hard-coded visible answer", """
def one_hot(labels, num_classes):
    return jnp.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
""", False),
    ],
    "ex3_set_border": [
        Submission("chained updates", """
def set_border(grid, value):
    return (grid.at[0].set(value).at[-1].set(value)
                .at[:, 0].set(value).at[:, -1].set(value))
""", True),
        Submission("interior mask with jnp.where", """
def set_border(grid, value):
    rows = jnp.arange(grid.shape[0])[:, None]
    cols = jnp.arange(grid.shape[1])[None, :]
    edge = (rows == 0) | (rows == grid.shape[0] - 1) | (cols == 0) | (cols == grid.shape[1] - 1)
    return jnp.where(edge, jnp.asarray(value, dtype=grid.dtype), grid)
""", True),
        Submission("value cast to the grid's dtype before the updates", """
def set_border(grid, value):
    value = grid.dtype.type(value)
    for index in ((0, slice(None)), (-1, slice(None)), (slice(None), 0), (slice(None), -1)):
        grid = grid.at[index].set(value)
    return grid
""", True),
        Submission("the broken original", """
def set_border(grid, value):
    grid.at[0, :].set(value)
    grid.at[-1, :].set(value)
    grid.at[:, 0].set(value)
    grid.at[:, -1].set(value)
    return grid
""", False, anti_pattern="discarded-update"),
        Submission("only the last update kept", """
def set_border(grid, value):
    grid.at[0, :].set(value)
    grid.at[-1, :].set(value)
    grid.at[:, 0].set(value)
    return grid.at[:, -1].set(value)
""", False, anti_pattern="discarded-update"),
        Submission("forgot the columns", """
def set_border(grid, value):
    grid = grid.at[0, :].set(value)
    return grid.at[-1, :].set(value)
""", False),
        Submission("off-by-one: second-to-last column", """
def set_border(grid, value):
    grid = grid.at[0, :].set(value)
    grid = grid.at[-1, :].set(value)
    grid = grid.at[:, 0].set(value)
    return grid.at[:, -2].set(value)
""", False),
        Submission("wrong dtype: float value promotes an int grid", """
def set_border(grid, value):
    rows = jnp.arange(grid.shape[0])[:, None]
    cols = jnp.arange(grid.shape[1])[None, :]
    edge = (rows == 0) | (rows == grid.shape[0] - 1) | (cols == 0) | (cols == grid.shape[1] - 1)
    return jnp.where(edge, jnp.float32(value), grid)
""", False),
        Submission("hard-coded visible answer", """
def set_border(grid, value):
    return jnp.array([[1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 0.0, 0.0, 0.0, 1.0],
                      [1.0, 0.0, 0.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0]])
""", False),
    ],
    "ex4_scatter_clipped": [
        Submission("minimum and maximum, then add", """
def scatter_clipped(size, positions, amounts):
    cells = jnp.minimum(jnp.maximum(positions, 0), size - 1)
    out = jnp.zeros((size,), jnp.float32)
    out = out.at[cells].add(amounts.astype(jnp.float32))
    return out
""", True),
        Submission("negatives raised to 0, the top clipped by mode='clip'", """
def scatter_clipped(size, positions, amounts):
    out = jnp.zeros(size, dtype=jnp.float32)
    return out.at[jnp.maximum(positions, 0)].add(amounts, mode="clip")
""", True),
        Submission("ignores '.at[...].add': one-hot matrix product", """
def scatter_clipped(size, positions, amounts):
    cells = jnp.clip(positions, 0, size - 1)
    hits = (cells[:, None] == jnp.arange(size)[None, :]).astype(jnp.float32)
    return amounts.astype(jnp.float32) @ hits
""", False, anti_pattern="required-primitive"),
        Submission("no clipping: JAX drops and wraps silently", """
def scatter_clipped(size, positions, amounts):
    return jnp.zeros(size, dtype=jnp.float32).at[positions].add(amounts)
""", False),
        Submission("mode='clip' alone: negatives wrap from the end first", """
def scatter_clipped(size, positions, amounts):
    return jnp.zeros(size, dtype=jnp.float32).at[positions].add(amounts, mode="clip")
""", False),
        Submission("off-by-one: clips to size instead of size - 1", """
def scatter_clipped(size, positions, amounts):
    return jnp.zeros(size, dtype=jnp.float32).at[jnp.clip(positions, 0, size)].add(amounts)
""", False),
        Submission("set instead of add: repeated cells lose amounts", """
def scatter_clipped(size, positions, amounts):
    return jnp.zeros(size, dtype=jnp.float32).at[jnp.clip(positions, 0, size - 1)].set(amounts)
""", False, anti_pattern="required-primitive"),
        Submission("wrong dtype: zeros like the amounts", """
def scatter_clipped(size, positions, amounts):
    return jnp.zeros(size, dtype=amounts.dtype).at[jnp.clip(positions, 0, size - 1)].add(amounts)
""", False),
        Submission("hard-coded visible answer", """
def scatter_clipped(size, positions, amounts):
    return jnp.array([6.0, 0.0, 6.0, 0.0, 3.0])
""", False),
    ],
    "ex5_masked_mean": [
        Submission("mask as float weights", """
def masked_mean(x, mask):
    weights = mask.astype(x.dtype)
    count = weights.sum(axis=-1)
    return (x * weights).sum(axis=-1) / jnp.where(count == 0, 1.0, count)
""", True),
        Submission("nan-safe with jnp.where on the result", """
def masked_mean(x, mask):
    count = jnp.count_nonzero(mask, axis=-1)
    total = jnp.sum(x, axis=-1, where=mask)
    safe = jnp.where(count == 0, 1, count)
    return jnp.where(count == 0, 0.0, total / safe)
""", True),
        Submission("boolean indexing: not jittable", """
def masked_mean(x, mask):
    return x[mask].mean()
""", False, anti_pattern="not-traceable"),
        Submission("Python if on a traced count", """
def masked_mean(x, mask):
    count = mask.sum(axis=-1)
    if count == 0:
        return jnp.zeros(x.shape[:-1])
    return jnp.where(mask, x, 0.0).sum(axis=-1) / count
""", False, anti_pattern="not-traceable"),
        Submission("wrong axis: over the first axis", """
def masked_mean(x, mask):
    count = mask.sum(axis=0)
    return jnp.where(mask, x, 0.0).sum(axis=0) / jnp.maximum(count, 1)
""", False),
        Submission("divides by the full length", """
def masked_mean(x, mask):
    return jnp.where(mask, x, 0.0).mean(axis=-1)
""", False),
        Submission("no guard: nan for an empty mask", """
def masked_mean(x, mask):
    return jnp.where(mask, x, 0.0).sum(axis=-1) / mask.sum(axis=-1)
""", False),
        Submission("off-by-one: count plus one", """
def masked_mean(x, mask):
    return jnp.where(mask, x, 0.0).sum(axis=-1) / (mask.sum(axis=-1) + 1)
""", False),
        Submission("hard-coded visible answer", """
def masked_mean(x, mask):
    return jnp.array(1.5)
""", False),
    ],
    "ex6_histogram": [
        Submission("bincount with a fixed length", """
def histogram(values, num_bins):
    return jnp.bincount(values, length=num_bins).astype(jnp.int32)
""", True),
        Submission("compare against every bin and sum", """
def histogram(values, num_bins):
    hits = values[:, None] == jnp.arange(num_bins)[None, :]
    return hits.sum(axis=0, dtype=jnp.int32)
""", True),
        Submission("the slow Python loop", """
def histogram(values, num_bins):
    counts = jnp.zeros(num_bins, dtype=jnp.int32)
    for v in values:
        counts = counts.at[v].add(1)
    return counts
""", False, anti_pattern="unrolled-loop"),
        Submission("set instead of add: repeats count once", """
def histogram(values, num_bins):
    return jnp.zeros(num_bins, dtype=jnp.int32).at[values].set(1)
""", False),
        Submission("wrong axis: sums over the bins", """
def histogram(values, num_bins):
    hits = values[:, None] == jnp.arange(num_bins)[None, :]
    return hits.sum(axis=1, dtype=jnp.int32)[:num_bins]
""", False),
        Submission("off-by-one: one bin too many", """
def histogram(values, num_bins):
    return jnp.zeros(num_bins + 1, dtype=jnp.int32).at[values].add(1)
""", False),
        Submission("wrong dtype: float32 counts", """
def histogram(values, num_bins):
    return jnp.zeros(num_bins).at[values].add(1.0)
""", False),
        Submission("hard-coded visible answer", """
def histogram(values, num_bins):
    return jnp.array([2, 1, 0, 3, 0], dtype=jnp.int32)
""", False),
    ],
    "ex7_brighten": [
        Submission("float arithmetic, then round and clip", """
def brighten(image, delta):
    out = image.astype(jnp.float32) + jnp.float32(delta)
    return jnp.clip(jnp.round(out), 0.0, 255.0).astype(jnp.uint8)
""", True),
        Submission("minimum and maximum in int16", """
def brighten(image, delta):
    wide = jnp.asarray(image, jnp.int16) + jnp.asarray(delta, jnp.int16)
    return jnp.minimum(jnp.maximum(wide, 0), 255).astype(jnp.uint8)
""", True),
        Submission("plain add: wraps around", """
def brighten(image, delta):
    return (image + delta).astype(jnp.uint8)
""", False),
        Submission("wrong dtype: returns int32", """
def brighten(image, delta):
    return jnp.clip(image.astype(jnp.int32) + delta, 0, 255)
""", False),
        Submission("off-by-one: saturates at 254", """
def brighten(image, delta):
    return jnp.clip(image.astype(jnp.int32) + delta, 0, 254).astype(jnp.uint8)
""", False),
        Submission("clips only the top", """
def brighten(image, delta):
    return jnp.minimum(image.astype(jnp.int32) + delta, 255).astype(jnp.uint8)
""", False),
        Submission("hard-coded visible answer", """
def brighten(image, delta):
    if delta == 10:
        return jnp.array([[10, 110, 255]], dtype=jnp.uint8)
    return jnp.array([[0, 80, 230]], dtype=jnp.uint8)
""", False),
    ],
    "ex8_normalize_pixels": [
        Submission("constants cast with astype", """
def normalize_pixels(image):
    scaled = image / jnp.float32(255.0)
    return ((scaled - CHANNEL_MEAN.astype(np.float32)) / CHANNEL_STD.astype(np.float32)).astype(jnp.float32)
""", True),
        Submission("fold into one scale and shift", """
def normalize_pixels(image):
    scale = jnp.asarray(1.0 / (255.0 * CHANNEL_STD), dtype=jnp.float32)
    shift = jnp.asarray(CHANNEL_MEAN / CHANNEL_STD, dtype=jnp.float32)
    return image.astype(jnp.float32) * scale - shift
""", True),
        Submission("NumPy float64 constants used as they are", """
def normalize_pixels(image):
    return (image.astype(jnp.float32) / 255.0 - CHANNEL_MEAN) / CHANNEL_STD
""", False, anti_pattern="dtype-drift"),
        Submission("NumPy float64 scalar in the division", """
def normalize_pixels(image):
    mean = jnp.asarray(CHANNEL_MEAN, jnp.float32)
    std = jnp.asarray(CHANNEL_STD, jnp.float32)
    return (image.astype(jnp.float32) / np.float64(255.0) - mean) / std
""", False, anti_pattern="dtype-drift"),
        Submission("wrong axis: constants along the rows", """
def normalize_pixels(image):
    mean = jnp.asarray(CHANNEL_MEAN, jnp.float32)[:, None, None]
    std = jnp.asarray(CHANNEL_STD, jnp.float32)[:, None, None]
    return (image.astype(jnp.float32) / 255.0 - mean) / std
""", False),
        Submission("off-by-one: divides by 256", """
def normalize_pixels(image):
    mean = jnp.asarray(CHANNEL_MEAN, jnp.float32)
    std = jnp.asarray(CHANNEL_STD, jnp.float32)
    return (image.astype(jnp.float32) / 256.0 - mean) / std
""", False),
        Submission("wrong dtype: float16", """
def normalize_pixels(image):
    mean = jnp.asarray(CHANNEL_MEAN, jnp.float16)
    std = jnp.asarray(CHANNEL_STD, jnp.float16)
    return (image.astype(jnp.float16) / 255.0 - mean) / std
""", False),
        Submission("hard-coded visible answer", """
def normalize_pixels(image):
    return jnp.array([[[-2.1179039, 0.2051821, 2.64]]], dtype=jnp.float32)
""", False),
    ],
    "ex9_mean_of_list": [
        Submission("pad with a list, count as an array", """
SIZE = 32

@jax.jit
def _mean_kernel(padded, count):
    return jnp.sum(padded) / count.astype(jnp.float32)

def mean_of_list(values):
    padded = np.asarray(list(values) + [0.0] * (SIZE - len(values)), dtype=np.float32)
    return _mean_kernel(padded, np.int32(len(values)))
""", True),
        Submission("mask built inside jit", """
@jax.jit
def _masked(padded, n):
    keep = jnp.arange(padded.shape[0]) < n
    return jnp.where(keep, padded, 0.0).sum() / n

def mean_of_list(values):
    buffer = np.full(32, np.nan, dtype=np.float32)
    buffer[: len(values)] = values
    return _masked(buffer, len(values))
""", True),
        Submission("ignores 'jit': the mean in NumPy", """
def mean_of_list(values):
    return np.float32(np.mean(np.asarray(values, dtype=np.float32)))
""", False, anti_pattern="missing-jit"),
        Submission("ignores 'jit': eager jnp.mean of the list", """
def mean_of_list(values):
    return jnp.mean(jnp.asarray(np.asarray(values, np.float32)))
""", False, anti_pattern="missing-jit"),
        Submission("ignores 'pad on the host': padding on the device", """
@jax.jit
def _padded_mean(padded, count):
    return padded.sum() / count

def mean_of_list(values):
    raw = jnp.asarray(np.asarray(values, np.float32))
    return _padded_mean(jnp.pad(raw, (0, 32 - len(values))), len(values))
""", False, anti_pattern="device-work-per-shape"),
        Submission("list straight into jit", """
@jax.jit
def _mean(values):
    return jnp.mean(jnp.asarray(values, dtype=jnp.float32))

def mean_of_list(values):
    return _mean(values)
""", False, anti_pattern="recompilation"),
        Submission("jnp.asarray without padding", """
@jax.jit
def _mean(values):
    return values.mean()

def mean_of_list(values):
    return _mean(jnp.asarray(values, dtype=jnp.float32))
""", False, anti_pattern="recompilation"),
        Submission("count as a static argument", """
from functools import partial

@partial(jax.jit, static_argnums=1)
def _mean(padded, count):
    return padded.sum() / count

def mean_of_list(values):
    padded = np.zeros(32, np.float32)
    padded[: len(values)] = values
    return _mean(padded, len(values))
""", False, anti_pattern="recompilation"),
        Submission("off-by-one: divides by the padded length", """
@jax.jit
def _mean(padded):
    return padded.mean()

def mean_of_list(values):
    padded = np.zeros(32, np.float32)
    padded[: len(values)] = values
    return _mean(padded)
""", False),
        Submission("wrong dtype: int32 from integer padding", """
@jax.jit
def _mean(padded, count):
    return padded.sum() // count

def mean_of_list(values):
    padded = np.zeros(32, np.int32)
    padded[: len(values)] = values
    return _mean(padded, len(values))
""", False),
        Submission("hard-coded visible answer", """
def mean_of_list(values):
    return jnp.array(3.0)
""", False),
    ],
    "ex10_sparse_matvec": [
        Submission("segment_sum over rows", """
def sparse_matvec(rows, cols, vals, x, num_rows):
    products = vals * jnp.take(x, cols)
    return jax.ops.segment_sum(products, rows, num_segments=num_rows).astype(jnp.float32)
""", True),
        Submission("one-hot rows matrix", """
def sparse_matvec(rows, cols, vals, x, num_rows):
    picks = (rows[None, :] == jnp.arange(num_rows)[:, None]).astype(jnp.float32)
    return picks @ (vals * x[cols])
""", True),
        Submission("Python loop over the entries", """
def sparse_matvec(rows, cols, vals, x, num_rows):
    y = jnp.zeros(num_rows, dtype=jnp.float32)
    for k in range(rows.shape[0]):
        y = y.at[rows[k]].add(vals[k] * x[cols[k]])
    return y
""", False, anti_pattern="unrolled-loop"),
        Submission("set instead of add: repeated rows lose entries", """
def sparse_matvec(rows, cols, vals, x, num_rows):
    return jnp.zeros(num_rows, dtype=jnp.float32).at[rows].set(vals * x[cols])
""", False),
        Submission("wrong axis: rows and columns swapped (A.T @ x)", """
def sparse_matvec(rows, cols, vals, x, num_rows):
    return jnp.zeros(num_rows, dtype=jnp.float32).at[cols].add(vals * x[rows], mode="drop")
""", False),
        Submission("off-by-one: one row too few", """
def sparse_matvec(rows, cols, vals, x, num_rows):
    return jnp.zeros(num_rows - 1, dtype=jnp.float32).at[rows].add(vals * x[cols])
""", False),
        Submission("update thrown away", """
def sparse_matvec(rows, cols, vals, x, num_rows):
    y = jnp.zeros(num_rows, dtype=jnp.float32)
    y.at[rows].add(vals * x[cols])
    return y
""", False),
        Submission("hard-coded visible answer", """
def sparse_matvec(rows, cols, vals, x, num_rows):
    return jnp.array([5.0, 8.0, -2.0])
""", False),
    ],
    "ex11_apply_affine": [
        Submission("jnp.dot with the block on the left, transposed back", """
def apply_affine(T, points):
    return jnp.dot(T[:2, :2], points.T).T + T[:2, 2]
""", True),
        Submission("homogeneous coordinates: append a 1, one product with T", """
def apply_affine(T, points):
    ones = jnp.ones((points.shape[0], 1), dtype=points.dtype)
    moved = jnp.concatenate([points, ones], axis=1) @ T.T
    return moved[:, :2]
""", True),
        Submission("entries read one by one with m[i, j]", """
def apply_affine(T, points):
    block_t = jnp.array([[T[0, 0], T[1, 0]],
                         [T[0, 1], T[1, 1]]])
    shift = jnp.array([T[0, 2], T[1, 2]])
    return jnp.dot(points, block_t) + shift
""", True),
        Submission("einsum over the point axis", """
def apply_affine(T, points):
    return jnp.einsum("ij,nj->ni", T[:2, :2], points) + T[:2, 2]
""", True),
        Submission("vmap of one point's product", """
def apply_affine(T, points):
    move_one = lambda p: T[:2, :2] @ p + T[:2, 2]
    return jax.vmap(move_one)(points)
""", True),
        Submission("wrong axis: points @ block, not transposed", """
def apply_affine(T, points):
    return points @ T[:2, :2] + T[:2, 2]
""", False),
        Submission("wrong index: shift read from the last row", """
def apply_affine(T, points):
    return points @ T[:2, :2].T + T[2, :2]
""", False),
        Submission("off-by-one: block from columns 1 and 2", """
def apply_affine(T, points):
    return points @ T[:2, 1:].T + T[:2, 2]
""", False),
        Submission("element-wise * instead of a matrix product", """
def apply_affine(T, points):
    return points * jnp.diagonal(T)[:2] + T[:2, 2]
""", False),
        Submission("ignores 'one matrix product': multiply and sum by broadcasting", """
def apply_affine(T, points):
    return (points[:, None, :] * T[:2, :2]).sum(axis=-1) + T[:2, 2]
""", False, anti_pattern="required-primitive"),
        Submission("ignores 'one matrix product': each coordinate written out from the entries", """
def apply_affine(T, points):
    x, y = points[:, 0], points[:, 1]
    new_x = T[0, 0] * x + T[0, 1] * y + T[0, 2]
    new_y = T[1, 0] * x + T[1, 1] * y + T[1, 2]
    return jnp.stack([new_x, new_y], axis=1)
""", False, anti_pattern="required-primitive"),
        Submission("ignores 'no loop over the points': one product per point", """
def apply_affine(T, points):
    return jnp.stack([T[:2, :2] @ p + T[:2, 2] for p in points])
""", False, anti_pattern="unrolled-loop"),
        Submission("wrong dtype: rounds to int32 coordinates", """
def apply_affine(T, points):
    return jnp.round(points @ T[:2, :2].T + T[:2, 2]).astype(jnp.int32)
""", False),
        Submission("hard-coded visible answer", """
def apply_affine(T, points):
    if T[0, 0] == 1.0:
        return points + jnp.array([1.0, 3.0])
    return jnp.array([[1.0, 4.0], [-1.0, 3.0], [-9.0, 5.0]])
""", False),
    ],
    "ex12_future_log_return": [
        Submission("slice, then pad with nan", """
def future_log_return(prices, k):
    n = prices.shape[0]
    ahead = jnp.concatenate([prices[k:], jnp.full(min(k, n), jnp.nan, dtype=prices.dtype)])
    return jnp.log(ahead / prices)
""", True),
        Submission("clamped read kept, masked with jnp.where", """
def future_log_return(prices, k):
    n = prices.shape[0]
    ahead = jnp.arange(n) + k
    ratio = prices[jnp.minimum(ahead, n - 1)] / prices
    return jnp.where(ahead < n, jnp.log(ratio), jnp.nan)
""", True),
        Submission("jnp.take with mode='fill'", """
def future_log_return(prices, k):
    later = jnp.take(prices, jnp.arange(len(prices)) + k, mode="fill", fill_value=jnp.nan)
    return jnp.log(later / prices)
""", True),
        Submission("difference of logs, filled read", """
def future_log_return(prices, k):
    logs = jnp.log(prices)
    return logs.at[jnp.arange(logs.shape[0]) + k].get(mode="fill", fill_value=jnp.nan) - logs
""", True),
        Submission("the broken original: the read past the end is clamped", """
def future_log_return(prices, k):
    days = jnp.arange(prices.shape[0])
    return jnp.log(prices[days + k] / prices)
""", False),
        Submission("mode='clip': clamps on purpose, still made up", """
def future_log_return(prices, k):
    days = jnp.arange(prices.shape[0])
    return jnp.log(prices.at[days + k].get(mode="clip") / prices)
""", False),
        Submission("fill with 0.0: -inf instead of nan", """
def future_log_return(prices, k):
    days = jnp.arange(prices.shape[0])
    return jnp.log(prices.at[days + k].get(mode="fill", fill_value=0.0) / prices)
""", False),
        Submission("jnp.roll: wraps around to the first days", """
def future_log_return(prices, k):
    return jnp.log(jnp.roll(prices, -k) / prices)
""", False),
        Submission("off-by-one: the day k before the end keeps a clamped read", """
def future_log_return(prices, k):
    n = prices.shape[0]
    ahead = jnp.arange(n) + k
    return jnp.where(ahead <= n, jnp.log(prices[ahead] / prices), jnp.nan)
""", False),
        Submission("wrong direction: log(today / later)", """
def future_log_return(prices, k):
    days = jnp.arange(prices.shape[0])
    return jnp.log(prices / prices.at[days + k].get(mode="fill", fill_value=jnp.nan))
""", False),
        Submission("wrong dtype: float16", """
def future_log_return(prices, k):
    days = jnp.arange(prices.shape[0])
    return jnp.log(prices.at[days + k].get(mode="fill", fill_value=jnp.nan) / prices).astype(jnp.float16)
""", False),
        Submission("hard-coded visible answer", """
def future_log_return(prices, k):
    return jnp.array([-0.01005034, 0.09531018, 0.19237189, jnp.nan, jnp.nan])
""", False),
    ],
}
