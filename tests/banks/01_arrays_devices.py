"""Bank for chapter 1 (arrays & devices): correct alternatives and typical wrong answers per exercise."""
from tests.exercise_bank import Submission

S = Submission

BANK = {
    "ex1_make_arrays": [
        S("arange with an explicit dtype and linspace with num=", """
def make_arrays(n):
    return jnp.arange(0, n, 1, dtype=jnp.int32), jnp.linspace(0, 1, num=n, dtype=jnp.float32)
""", True),
        S("from NumPy, converted explicitly", """
def make_arrays(n):
    ids = jnp.asarray(np.arange(n), dtype=jnp.int32)
    grid = jnp.asarray(np.linspace(0.0, 1.0, n), dtype=jnp.float32)
    return (ids, grid)
""", True),
        S("off-by-one: arange(1, n + 1)", """
def make_arrays(n):
    return jnp.arange(1, n + 1), jnp.linspace(0.0, 1.0, n)
""", False),
        S("off-by-one: grid stops before 1.0", """
def make_arrays(n):
    return jnp.arange(n), jnp.arange(n) / n
""", False),
        S("wrong dtype: float ids", """
def make_arrays(n):
    return jnp.arange(n, dtype=jnp.float32), jnp.linspace(0.0, 1.0, n)
""", False),
        S("NumPy arrays instead of JAX arrays", """
def make_arrays(n):
    return np.arange(n, dtype=np.int32), np.linspace(0.0, 1.0, n).astype(np.float32)
""", False),
        S("hard-coded visible answer (n=5)", """
def make_arrays(n):
    return jnp.array([0, 1, 2, 3, 4]), jnp.array([0.0, 0.25, 0.5, 0.75, 1.0])
""", False),
    ],
    "ex2_column_means": [
        S("sum over rows divided by the row count, device_get", """
def column_means(table):
    x = jnp.asarray(table).astype(jnp.float32)
    return jax.device_get(x.sum(axis=0) / x.shape[0])
""", True),
        S("jnp.mean with dtype=, np.array back", """
def column_means(table):
    return np.array(jnp.mean(jnp.asarray(table), axis=0, dtype=jnp.float32))
""", True),
        S("wrong axis: row means", """
def column_means(table):
    return np.asarray(jnp.mean(jnp.asarray(table, dtype=jnp.float32), axis=1))
""", False),
        S("wrong dtype: computed in NumPy float64", """
def column_means(table):
    return np.mean(table, axis=0)
""", False),
        S("returns a JAX array, not NumPy", """
def column_means(table):
    return jnp.mean(jnp.asarray(table, dtype=jnp.float32), axis=0)
""", False),
        S("off-by-one: divides by rows - 1", """
def column_means(table):
    x = jnp.asarray(table, dtype=jnp.float32)
    return np.asarray(x.sum(axis=0) / (x.shape[0] - 1))
""", False),
        S("hard-coded visible answer", """
def column_means(table):
    return np.array([4.0, 5.0, 6.0], dtype=np.float32)
""", False),
    ],
    "ex3_put_on_cpu": [
        S("device chosen first, then put", """
def put_on_cpu(x, i):
    target = jax.devices("cpu")[i]
    placed = jax.device_put(x, target)
    return placed
""", True),
        S("through a SingleDeviceSharding", """
from jax.sharding import SingleDeviceSharding

def put_on_cpu(x, i):
    return jax.device_put(x, SingleDeviceSharding(jax.devices("cpu")[i]))
""", True),
        S("default device, i ignored", """
def put_on_cpu(x, i):
    return jax.device_put(x)
""", False),
        S("off-by-one: devices('cpu')[i + 1]", """
def put_on_cpu(x, i):
    cpus = jax.devices("cpu")
    return jax.device_put(x, cpus[(i + 1) % len(cpus)])
""", False),
        S("wrong dtype: always float32", """
def put_on_cpu(x, i):
    return jax.device_put(jnp.asarray(x, dtype=jnp.float32), jax.devices("cpu")[i])
""", False),
        S("hard-coded visible answer (device 2)", """
def put_on_cpu(x, i):
    return jax.device_put(x, jax.devices("cpu")[2])
""", False),
    ],
    "ex4_scale_row": [
        S("at[].set with the scaled row", """
def scale_row(m, i, factor):
    new_row = m[i] * factor
    return m.at[i].set(new_row.astype(m.dtype))
""", True),
        S("jnp.where on a row mask", """
def scale_row(m, i, factor):
    rows = jnp.arange(m.shape[0])
    target = jnp.where(i < 0, i + m.shape[0], i)
    return jnp.where((rows == target)[:, None], m * factor, m).astype(m.dtype)
""", True),
        S("negative row normalised with a Python if before .at[]", """
def scale_row(m, i, factor):
    if i < 0:
        i = i + m.shape[0]
    return m.at[i].multiply(factor)
""", True),
        S("row rebuilt with jnp.concatenate", """
def scale_row(m, i, factor):
    i %= m.shape[0]
    row = (m[i] * factor).astype(m.dtype)
    return jnp.concatenate([m[:i], row[None, :], m[i + 1:]], axis=0)
""", True),
        S("discarded update: the .at[] result is thrown away", """
def scale_row(m, i, factor):
    m.at[i].set(m[i] * factor)
    return m
""", False, "discarded-update"),
        S("the NumPy in-place original", """
def scale_row(m, i, factor):
    m[i] = m[i] * factor
    return m
""", False),
        S("wrong axis: scales column i", """
def scale_row(m, i, factor):
    return m.at[:, i].multiply(factor)
""", False),
        S("off-by-one: row i + 1", """
def scale_row(m, i, factor):
    return m.at[i + 1].multiply(factor)
""", False),
        S("wrong dtype: always float", """
def scale_row(m, i, factor):
    return m.astype(jnp.float32).at[i].multiply(factor)
""", False),
        S("hard-coded visible answer", """
def scale_row(m, i, factor):
    return m.at[1].multiply(10.0)
""", False),
    ],
    "ex5_precise_variance": [
        S("the scoped context manager of this JAX version, variance by hand", """
def precise_variance(values):
    if hasattr(jax, "enable_x64"):
        scope = jax.enable_x64(True)
    else:
        from jax.experimental import enable_x64
        scope = enable_x64()
    with scope:
        x = jnp.array(values, dtype=jnp.float64)
        centred = x - x.sum() / x.size
        return jnp.dot(centred, centred) / x.size
""", True),
        S("own contextlib context manager around the global flag, jnp.var", """
import contextlib

@contextlib.contextmanager
def x64_on():
    saved = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    try:
        yield
    finally:
        jax.config.update("jax_enable_x64", saved)

def precise_variance(values):
    with x64_on():
        return jnp.var(jnp.asarray(values, dtype=jnp.float64))
""", True),
        S("ignores 'with JAX': NumPy's variance, 64-bit mode never on", """
def precise_variance(values):
    return float(np.var(values))
""", False),
        S("ignores 'with JAX': NumPy's variance wrapped in a float64 JAX array", """
def precise_variance(values):
    with x64_scope():
        return jnp.asarray(np.asarray(values).var(), dtype=jnp.float64)
""", False, "not-traceable"),
        S("float32: x64 never switched on", """
def precise_variance(values):
    return jnp.var(jnp.asarray(values))
""", False),
        S("wrong dtype: asks for float64 without x64", """
def precise_variance(values):
    return jnp.var(jnp.asarray(values, dtype=jnp.float64))
""", False),
        S("x64 switched on globally and left on", """
def precise_variance(values):
    jax.config.update("jax_enable_x64", True)
    return jnp.var(jnp.asarray(values))
""", False),
        S("restores to False instead of the previous value", """
def precise_variance(values):
    jax.config.update("jax_enable_x64", True)
    try:
        return jnp.var(jnp.asarray(values))
    finally:
        jax.config.update("jax_enable_x64", False)
""", False),
        S("not restored after an error", """
def precise_variance(values):
    before = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    result = jnp.var(jnp.asarray(values))
    jax.config.update("jax_enable_x64", before)
    return result
""", False),
        S("off-by-one: sample variance (ddof=1)", """
def precise_variance(values):
    with x64_scope():
        return jnp.var(jnp.asarray(values, dtype=jnp.float64), ddof=1)
""", False),
        S("returns a Python float, not a JAX array", """
def precise_variance(values):
    with x64_scope():
        return float(jnp.var(jnp.asarray(values, dtype=jnp.float64)))
""", False),
        S("hard-coded visible answer", """
def precise_variance(values):
    with x64_scope():
        return jnp.asarray(np.var(1e6 + np.random.default_rng(0).normal(size=1000)), dtype=jnp.float64)
""", False),
    ],
    "ex6_sum_batches": [
        S("explicit put, then a jitted Python sum", """
@jax.jit
def _add_all(arrays):
    total = arrays[0]
    for a in arrays[1:]:
        total = total + a
    return total

def sum_batches(host_batches):
    return _add_all(jax.device_put(list(host_batches)))
""", True),
        S("stack on the host, one explicit put, sum on device", """
def sum_batches(host_batches):
    stacked = jax.device_put(np.stack(host_batches))
    return stacked.sum(axis=0)
""", True),
        S("implicit transfer: jnp.asarray of the NumPy list", """
def sum_batches(host_batches):
    return jnp.sum(jnp.asarray(host_batches), axis=0)
""", False, "implicit-transfer"),
        S("implicit transfer: eager jnp.zeros plus NumPy batches", """
def sum_batches(host_batches):
    total = jnp.zeros(host_batches[0].shape, host_batches[0].dtype)
    for b in host_batches:
        total = total + b
    return total
""", False, "implicit-transfer"),
        S("ignores 'on the device': sums on the host, then one explicit put", """
def sum_batches(host_batches):
    return jax.device_put(np.sum(np.stack(host_batches), axis=0))
""", False, "host-computation"),
        S("wrong axis: sums inside each batch", """
def sum_batches(host_batches):
    return jnp.stack(jax.device_put(host_batches)).sum(axis=-1)
""", False),
        S("off-by-one: drops the last batch", """
def sum_batches(host_batches):
    on_device = jax.device_put(host_batches)
    return jnp.stack(on_device[:-1] + [on_device[-1] * 0]).sum(axis=0)
""", False),
        S("wrong dtype: always float32", """
def sum_batches(host_batches):
    return jnp.stack(jax.device_put(host_batches)).sum(axis=0).astype(jnp.float32)
""", False),
        S("hard-coded visible answer", """
def sum_batches(host_batches):
    return jax.device_put(np.array([6.0, 6.0, 6.0], dtype=np.float32))
""", False),
    ],
    "ex7_time_jitted": [
        S("median of per-call times, jax.block_until_ready", """
from time import perf_counter

def time_jitted(f, x, repeats):
    jax.block_until_ready(f(x))
    times = []
    for _ in range(repeats):
        t0 = perf_counter()
        jax.block_until_ready(f(x))
        times.append(perf_counter() - t0)
    return float(sum(times) / len(times))
""", True),
        S("collect all results, block them all, then stop", """
def time_jitted(f, x, repeats):
    warm = f(x)
    warm.block_until_ready()
    start = time.monotonic()
    results = [f(x) for _ in range(repeats)]
    jax.block_until_ready(results)
    return (time.monotonic() - start) / repeats
""", True),
        S("another clock: time.perf_counter_ns", """
def time_jitted(f, x, repeats):
    f(x).block_until_ready()
    begin = time.perf_counter_ns()
    for _ in range(repeats):
        f(x).block_until_ready()
    return (time.perf_counter_ns() - begin) / 1e9 / repeats
""", True),
        S("another clock: time.time", """
import time as clock

def time_jitted(f, x, repeats):
    jax.block_until_ready(f(x))
    t0 = clock.time()
    for _ in range(repeats):
        jax.block_until_ready(f(x))
    return float(clock.time() - t0) / repeats
""", True),
        S("timeit with blocking inside", """
import timeit

def time_jitted(f, x, repeats):
    f(x).block_until_ready()
    return timeit.timeit(lambda: f(x).block_until_ready(), number=repeats) / repeats
""", True),
        S("the original: no warm-up, no block", """
def time_jitted(f, x, repeats):
    start = time.perf_counter()
    for _ in range(repeats):
        f(x)
    return (time.perf_counter() - start) / repeats
""", False, "timing"),
        S("no warm-up (blocks correctly)", """
def time_jitted(f, x, repeats):
    start = time.perf_counter()
    for _ in range(repeats):
        f(x).block_until_ready()
    return (time.perf_counter() - start) / repeats
""", False, "timing"),
        S("warm-up, but timed calls not blocked", """
def time_jitted(f, x, repeats):
    f(x).block_until_ready()
    start = time.perf_counter()
    for _ in range(repeats):
        f(x)
    return (time.perf_counter() - start) / repeats
""", False, "timing"),
        S("blocks only the last timed result", """
def time_jitted(f, x, repeats):
    f(x).block_until_ready()
    start = time.perf_counter()
    for _ in range(repeats):
        out = f(x)
    out.block_until_ready()
    return (time.perf_counter() - start) / repeats
""", False, "timing"),
        S("warm-up not waited for", """
def time_jitted(f, x, repeats):
    f(x)
    start = time.perf_counter()
    for _ in range(repeats):
        f(x).block_until_ready()
    return (time.perf_counter() - start) / repeats
""", False, "timing"),
        S("off-by-one: repeats - 1 timed calls", """
def time_jitted(f, x, repeats):
    f(x).block_until_ready()
    start = time.perf_counter()
    for _ in range(repeats - 1):
        f(x).block_until_ready()
    return (time.perf_counter() - start) / repeats
""", False),
        S("hard-coded visible answer (a made-up time)", """
def time_jitted(f, x, repeats):
    return 0.0005
""", False, "timing"),
    ],
    "ex8_shard_rows": [
        S("NamedSharding with the spec for both axes spelled out", """
def shard_rows(batch, devices):
    mesh = Mesh(np.asarray(devices).reshape(len(devices)), ("data",))
    return jax.device_put(batch, NamedSharding(mesh, P("data", None)))
""", True),
        S("different axis name, reshape(-1) of the device list", """
from jax.sharding import Mesh as M, NamedSharding as NS, PartitionSpec as PS

def shard_rows(batch, devices):
    layout = NS(M(np.array(list(devices)).reshape(-1), axis_names=("batch",)), PS("batch"))
    out = jax.device_put(batch, layout)
    return out
""", True),
        S("wrong axis: splits the columns", """
def shard_rows(batch, devices):
    mesh = Mesh(np.array(devices), ("data",))
    return jax.device_put(batch, NamedSharding(mesh, P(None, "data")))
""", False),
        S("not sharded: all on the first device", """
def shard_rows(batch, devices):
    return jax.device_put(batch, devices[0])
""", False),
        S("replicated on every device instead of split", """
def shard_rows(batch, devices):
    return jax.device_put(batch, NamedSharding(Mesh(np.array(devices), ("data",)), P()))
""", False),
        S("off-by-one: leaves out the last device", """
def shard_rows(batch, devices):
    used = devices[:-1] if len(devices) > 2 else devices[:1]
    return jax.device_put(batch, NamedSharding(Mesh(np.array(used), ("data",)), P("data")))
""", False),
        S("wrong dtype: casts to float32", """
def shard_rows(batch, devices):
    mesh = Mesh(np.array(devices), ("data",))
    return jax.device_put(batch.astype(jnp.float32), NamedSharding(mesh, P("data")))
""", False),
        S("hard-coded visible answer: all CPU devices, not the given ones", """
def shard_rows(batch, devices):
    return jax.device_put(batch, NamedSharding(Mesh(np.array(jax.devices("cpu")), ("data",)), P("data")))
""", False),
    ],
    "ex9_per_device_sums": [
        S("jit, then a jax.device_put of the result", """
def per_device_sums(batch, devices):
    layout = NamedSharding(Mesh(np.array(devices), ("data",)), P("data"))
    sums = jax.jit(lambda b: b.reshape(len(devices), -1).sum(axis=1))(jax.device_put(batch, layout))
    return jax.device_put(sums, layout)
""", True),
        S("ignores 'with jax.jit': shard by shard, eager sums assembled by hand", """
def per_device_sums(batch, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows = jax.device_put(batch, NamedSharding(mesh, P("data")))
    by_device = {s.device: s.data.sum().reshape(1) for s in rows.addressable_shards}
    pieces = [by_device[d] for d in devices]
    return jax.make_array_from_single_device_arrays((len(devices),), NamedSharding(mesh, P("data")), pieces)
""", False, "missing-jit"),
        S("ignores 'with jax.jit': NumPy sums on the host, then placed", """
def per_device_sums(batch, devices):
    host = np.asarray(batch)
    sums = host.reshape(len(devices), -1).sum(axis=1).astype(host.dtype)
    return jax.device_put(sums, NamedSharding(Mesh(np.array(devices), ("data",)), P("data")))
""", False, "missing-jit"),
        S("placement not asked for: left to the compiler", """
def per_device_sums(batch, devices):
    rows = jax.device_put(batch, NamedSharding(Mesh(np.array(devices), ("data",)), P("data")))
    return jax.jit(lambda r: r.reshape(len(devices), -1).sum(axis=1), out_shardings=jax.sharding.SingleDeviceSharding(devices[0]))(rows)
""", False),
        S("jit with explicit in/out shardings", """
def per_device_sums(batch, devices):
    layout = NamedSharding(Mesh(np.array(devices), ("data",)), P("data"))
    n = len(devices)

    def block_sums(b):
        return jnp.sum(b.reshape(n, b.shape[0] // n, b.shape[1]), axis=2).sum(axis=1)

    return jax.jit(block_sums, in_shardings=layout, out_shardings=layout)(jax.device_put(batch, layout))
""", True),
        S("not sharded: computed on one device", """
def per_device_sums(batch, devices):
    n = len(devices)
    return jnp.sum(batch.reshape(n, -1), axis=1)
""", False),
        S("wrong axis: one sum per column", """
def per_device_sums(batch, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows = jax.device_put(batch, NamedSharding(mesh, P("data")))
    return jax.jit(lambda r: r.sum(axis=0))(rows)
""", False),
        S("off-by-one: blocks of the wrong size", """
def per_device_sums(batch, devices):
    n = len(devices)
    mesh = Mesh(np.array(devices), ("data",))
    rows = jax.device_put(batch, NamedSharding(mesh, P("data")))
    return jax.jit(lambda r: r.reshape(n, -1)[:, 1:].sum(axis=1))(rows)
""", False),
        S("wrong dtype: float32 sums of an int batch", """
def per_device_sums(batch, devices):
    n = len(devices)
    mesh = Mesh(np.array(devices), ("data",))
    rows = jax.device_put(batch.astype(jnp.float32), NamedSharding(mesh, P("data")))
    return jax.jit(lambda r: r.reshape(n, -1).sum(axis=1))(rows)
""", False),
        S("hard-coded visible answer", """
def per_device_sums(batch, devices):
    mesh = Mesh(np.array(devices), ("data",))
    sums = jnp.array([6.0, 22.0, 38.0, 54.0, 70.0, 86.0, 102.0, 118.0])
    return jax.device_put(sums, NamedSharding(mesh, P("data")))
""", False),
    ],
}
