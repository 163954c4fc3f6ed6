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
    "ex7_seconds_per_step": [
        S("one block after the chained loop, perf_counter (the reference's idea, other names)", """
def seconds_per_step(step, state, steps):
    current = step(state)
    current.block_until_ready()
    t0 = time.perf_counter()
    for _ in range(steps):
        current = step(current)
    current.block_until_ready()
    elapsed = time.perf_counter() - t0
    return elapsed / steps
""", True),
        S("every step blocked, perf_counter_ns, warm-up on its own", """
def seconds_per_step(step, state, steps):
    jax.block_until_ready(step(state))
    begin = time.perf_counter_ns()
    for _ in range(steps):
        state = jax.block_until_ready(step(state))
    return (time.perf_counter_ns() - begin) / 1e9 / steps
""", True),
        S("another clock: datetime.now(), a while loop", """
from datetime import datetime

def seconds_per_step(step, state, steps):
    state = step(state).block_until_ready()
    begin = datetime.now()
    done = 0
    while done < steps:
        state = step(state)
        done += 1
    state.block_until_ready()
    return (datetime.now() - begin).total_seconds() / steps
""", True),
        S("another clock: time.monotonic, waits with float() on one entry of the last state", """
import time as clock

def seconds_per_step(step, state, steps):
    float(jnp.ravel(step(state))[0])
    t0 = clock.monotonic()
    for _ in range(steps):
        state = step(state)
    float(jnp.ravel(state)[0])
    return float(clock.monotonic() - t0) / steps
""", True),
        S("timeit running the whole loop once", """
import timeit

def seconds_per_step(step, state, steps):
    states = [step(state).block_until_ready()]

    def loop():
        for _ in range(steps):
            states.append(step(states[-1]))
        states[-1].block_until_ready()

    return timeit.timeit(loop, number=1) / steps
""", True),
        S("the naive loop: no warm-up, no wait", """
def seconds_per_step(step, state, steps):
    start = time.perf_counter()
    for _ in range(steps):
        state = step(state)
    return (time.perf_counter() - start) / steps
""", False, "timing"),
        S("no warm-up: the first timed step compiles", """
def seconds_per_step(step, state, steps):
    start = time.perf_counter()
    for _ in range(steps):
        state = step(state)
    state.block_until_ready()
    return (time.perf_counter() - start) / steps
""", False, "timing"),
        S("warm-up not waited for", """
def seconds_per_step(step, state, steps):
    state = step(state)
    start = time.perf_counter()
    for _ in range(steps):
        state = step(state)
    state.block_until_ready()
    return (time.perf_counter() - start) / steps
""", False, "timing"),
        S("the last state not waited for before the clock stops", """
def seconds_per_step(step, state, steps):
    state = step(state).block_until_ready()
    start = time.perf_counter()
    for _ in range(steps):
        state = step(state)
    elapsed = time.perf_counter() - start
    state.block_until_ready()
    return elapsed / steps
""", False, "timing"),
        S("waits on the warm-up's result again, not on the last state", """
def seconds_per_step(step, state, steps):
    first = step(state)
    first.block_until_ready()
    start = time.perf_counter()
    current = first
    for _ in range(steps):
        current = step(current)
    first.block_until_ready()
    return (time.perf_counter() - start) / steps
""", False, "timing"),
        S("steps not chained, only the last one waited for", """
def seconds_per_step(step, state, steps):
    step(state).block_until_ready()
    start = time.perf_counter()
    for _ in range(steps):
        out = step(state)
    out.block_until_ready()
    return (time.perf_counter() - start) / steps
""", False, "timing"),
        S("ignores 'each step given the state the step before returned' (honest timing of one repeated step)", """
def seconds_per_step(step, state, steps):
    step(state).block_until_ready()
    start = time.perf_counter()
    for _ in range(steps):
        step(state).block_until_ready()
    return (time.perf_counter() - start) / steps
""", False),
        S("returns the total time of the loop, not the mean per step", """
def seconds_per_step(step, state, steps):
    state = step(state).block_until_ready()
    start = time.perf_counter()
    for _ in range(steps):
        state = step(state)
    state.block_until_ready()
    return time.perf_counter() - start
""", False, "timing"),
        S("off-by-one: steps - 1 timed steps", """
def seconds_per_step(step, state, steps):
    state = step(state).block_until_ready()
    start = time.perf_counter()
    for _ in range(steps - 1):
        state = step(state)
    state.block_until_ready()
    return (time.perf_counter() - start) / steps
""", False),
        S("wrong type: the mean as a JAX array, not a Python float", """
def seconds_per_step(step, state, steps):
    state = step(state).block_until_ready()
    start = time.perf_counter()
    for _ in range(steps):
        state = step(state)
    state.block_until_ready()
    return jnp.asarray(time.perf_counter() - start) / steps
""", False),
        S("hard-coded visible answer (a made-up time)", """
def seconds_per_step(step, state, steps):
    return 0.0005
""", False, "timing"),
    ],
    "ex8_replicate_and_split": [
        S("P(None) and P('data', None) spelled out, np.asarray for the list", """
def replicate_and_split(weights, batch, devices):
    mesh = Mesh(np.asarray(devices).reshape(len(devices)), ("data",))
    replicated = NamedSharding(mesh, P(*([None] * np.ndim(weights))))
    return (jax.device_put(np.asarray(weights), replicated),
            jax.device_put(batch, NamedSharding(mesh, P("data", None))))
""", True),
        S("one device_put of a tuple, another axis name", """
from jax.sharding import Mesh as M, NamedSharding as NS, PartitionSpec as PS

def replicate_and_split(weights, batch, devices):
    mesh = M(np.array(list(devices)), axis_names=("batch",))
    layouts = (NS(mesh, PS()), NS(mesh, PS("batch")))
    return jax.device_put((jnp.array(weights), jnp.asarray(batch)), layouts)
""", True),
        S("weights split too, instead of copied whole", """
def replicate_and_split(weights, batch, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows = NamedSharding(mesh, P("data"))
    return jax.device_put(jnp.array(weights), rows), jax.device_put(batch, rows)
""", False),
        S("ignores 'copied to every device': weights on the first device only", """
def replicate_and_split(weights, batch, devices):
    mesh = Mesh(np.array(devices), ("data",))
    return jax.device_put(jnp.array(weights), devices[0]), jax.device_put(batch, NamedSharding(mesh, P("data")))
""", False),
        S("ignores 'copied to every device': weights left where jnp.array put them", """
def replicate_and_split(weights, batch, devices):
    mesh = Mesh(np.array(devices), ("data",))
    return jnp.array(weights), jax.device_put(batch, NamedSharding(mesh, P("data")))
""", False),
        S("ignores 'as one array': device_put of the list itself (a list of scalars)", """
def replicate_and_split(weights, batch, devices):
    mesh = Mesh(np.array(devices), ("data",))
    return jax.device_put(weights, NamedSharding(mesh, P())), jax.device_put(batch, NamedSharding(mesh, P("data")))
""", False),
        S("wrong axis: the batch split by columns", """
def replicate_and_split(weights, batch, devices):
    mesh = Mesh(np.array(devices), ("data",))
    return jax.device_put(jnp.array(weights), NamedSharding(mesh, P())), jax.device_put(batch, NamedSharding(mesh, P(None, "data")))
""", False),
        S("ignores 'split by rows': the batch copied to every device", """
def replicate_and_split(weights, batch, devices):
    everywhere = NamedSharding(Mesh(np.array(devices), ("data",)), P())
    return jax.device_put(jnp.array(weights), everywhere), jax.device_put(batch, everywhere)
""", False),
        S("off-by-one: leaves out the last device", """
def replicate_and_split(weights, batch, devices):
    mesh = Mesh(np.array(devices[:-1] if len(devices) > 2 else devices[:1]), ("data",))
    return jax.device_put(jnp.array(weights), NamedSharding(mesh, P())), jax.device_put(batch, NamedSharding(mesh, P("data")))
""", False),
        S("wrong dtype: weights always float32 (an integer list must stay int32)", """
def replicate_and_split(weights, batch, devices):
    mesh = Mesh(np.array(devices), ("data",))
    return (jax.device_put(jnp.array(weights, dtype=jnp.float32), NamedSharding(mesh, P())),
            jax.device_put(batch, NamedSharding(mesh, P("data"))))
""", False),
        S("wrong dtype: the batch cast to float32", """
def replicate_and_split(weights, batch, devices):
    mesh = Mesh(np.array(devices), ("data",))
    return (jax.device_put(jnp.array(weights), NamedSharding(mesh, P())),
            jax.device_put(jnp.asarray(batch, dtype=jnp.float32), NamedSharding(mesh, P("data"))))
""", False),
        S("hard-coded visible answer: all CPU devices, not the given ones", """
def replicate_and_split(weights, batch, devices):
    mesh = Mesh(np.array(jax.devices("cpu")), ("data",))
    return jax.device_put(jnp.array(weights), NamedSharding(mesh, P())), jax.device_put(batch, NamedSharding(mesh, P("data")))
""", False),
    ],
    "ex9_squared_errors": [
        S("one device_put of a tuple, in/out shardings, precision chosen while tracing, jnp.dot", """
def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows, whole = NamedSharding(mesh, P("data")), NamedSharding(mesh, P())

    def errors(w, X, y):
        dtype = jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32
        return jnp.square(jnp.dot(X.astype(dtype), w.astype(dtype)).astype(jnp.float32) - y)

    placed = jax.device_put((w, X, y), (whole, rows, rows))
    return jax.jit(errors, in_shardings=(whole, rows, rows), out_shardings=rows)(*placed)
""", True),
        S("jit without out_shardings, then an explicit device_put of the result; y copied whole", """
def _compute_dtype():
    return jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32

@jax.jit
def _errors(w, X, y):
    dtype = _compute_dtype()
    residual = jnp.einsum("rf,f->r", X.astype(dtype), w.astype(dtype)).astype(jnp.float32) - y
    return residual * residual

def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows = NamedSharding(mesh, P("data"))
    whole = NamedSharding(mesh, P())
    out = _errors(jax.device_put(w, whole), jax.device_put(X, rows), jax.device_put(y, whole))
    return jax.device_put(out, rows)
""", True),
        S("ignores 'move them explicitly': NumPy arrays handed to the jitted function", """
def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows, whole = NamedSharding(mesh, P("data")), NamedSharding(mesh, P())
    dtype = jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32
    f = jax.jit(lambda w, X, y: ((X.astype(dtype) @ w.astype(dtype)).astype(jnp.float32) - y) ** 2,
                in_shardings=(whole, rows, rows), out_shardings=rows)
    return f(w, X, y)
""", False, "implicit-transfer"),
        S("ignores 'with jax.jit': eager operations on the placed arrays", """
def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows, whole = NamedSharding(mesh, P("data")), NamedSharding(mesh, P())
    dtype = jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32
    w, X, y = jax.device_put(w, whole), jax.device_put(X, rows), jax.device_put(y, rows)
    return jax.device_put(((X.astype(dtype) @ w.astype(dtype)).astype(jnp.float32) - y) ** 2, rows)
""", False, "missing-jit"),
        S("ignores 'with jax.jit': NumPy on the host, then placed", """
def squared_errors(w, X, y, devices):
    jax.default_backend()
    errors = ((X @ w - y) ** 2).astype(np.float32)
    return jax.device_put(errors, NamedSharding(Mesh(np.array(devices), ("data",)), P("data")))
""", False, "missing-jit"),
        S("ignores 'ask jax.default_backend()': always float32", """
def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows, whole = NamedSharding(mesh, P("data")), NamedSharding(mesh, P())
    f = jax.jit(lambda w, X, y: (X @ w - y) ** 2, out_shardings=rows)
    return f(jax.device_put(w, whole), jax.device_put(X, rows), jax.device_put(y, rows))
""", False, "missing-call"),
        S("ignores 'inside your function': the precision chosen once, when the cell runs", """
PRODUCT_DTYPE = jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32

def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows, whole = NamedSharding(mesh, P("data")), NamedSharding(mesh, P())
    f = jax.jit(lambda w, X, y: ((X.astype(PRODUCT_DTYPE) @ w.astype(PRODUCT_DTYPE)).astype(jnp.float32) - y) ** 2, out_shardings=rows)
    return f(jax.device_put(w, whole), jax.device_put(X, rows), jax.device_put(y, rows))
""", False, "missing-call"),
        S("wrong dtype: asks the backend but computes in bfloat16 on a CPU", """
def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows, whole = NamedSharding(mesh, P("data")), NamedSharding(mesh, P())
    dtype = jnp.bfloat16 if jax.default_backend() in ("tpu", "cpu") else jnp.float32
    f = jax.jit(lambda w, X, y: ((X.astype(dtype) @ w.astype(dtype)).astype(jnp.float32) - y) ** 2, out_shardings=rows)
    return f(jax.device_put(w, whole), jax.device_put(X, rows), jax.device_put(y, rows))
""", False),
        S("wrong dtype: returns the errors in bfloat16", """
def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows, whole = NamedSharding(mesh, P("data")), NamedSharding(mesh, P())
    dtype = jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32
    f = jax.jit(lambda w, X, y: ((X @ w - y) ** 2).astype(jnp.bfloat16).astype(dtype).astype(jnp.bfloat16), out_shardings=rows)
    return f(jax.device_put(w, whole), jax.device_put(X, rows), jax.device_put(y, rows))
""", False),
        S("placement not as asked: the result gathered on the first device", """
def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows, whole = NamedSharding(mesh, P("data")), NamedSharding(mesh, P())
    dtype = jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32
    f = jax.jit(lambda w, X, y: ((X.astype(dtype) @ w.astype(dtype)).astype(jnp.float32) - y) ** 2)
    return jax.device_put(f(jax.device_put(w, whole), jax.device_put(X, rows), jax.device_put(y, rows)), devices[0])
""", False),
        S("placement not as asked: the result copied to every device", """
def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows, whole = NamedSharding(mesh, P("data")), NamedSharding(mesh, P())
    dtype = jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32
    f = jax.jit(lambda w, X, y: ((X.astype(dtype) @ w.astype(dtype)).astype(jnp.float32) - y) ** 2, out_shardings=whole)
    return f(jax.device_put(w, whole), jax.device_put(X, rows), jax.device_put(y, rows))
""", False),
        S("off-by-one: leaves out the last device", """
def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices[:-1] if len(devices) > 2 else devices[:1]), ("data",))
    rows, whole = NamedSharding(mesh, P("data")), NamedSharding(mesh, P())
    dtype = jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32
    f = jax.jit(lambda w, X, y: ((X.astype(dtype) @ w.astype(dtype)).astype(jnp.float32) - y) ** 2, out_shardings=rows)
    return f(jax.device_put(w, whole), jax.device_put(X, rows), jax.device_put(y, rows))
""", False),
        S("wrong axis: one number for the whole batch (summed over the rows)", """
def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows, whole = NamedSharding(mesh, P("data")), NamedSharding(mesh, P())
    dtype = jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32
    f = jax.jit(lambda w, X, y: jnp.sum(((X.astype(dtype) @ w.astype(dtype)).astype(jnp.float32) - y) ** 2, axis=0))
    return f(jax.device_put(w, whole), jax.device_put(X, rows), jax.device_put(y, rows))
""", False),
        S("absolute errors, not squared", """
def squared_errors(w, X, y, devices):
    mesh = Mesh(np.array(devices), ("data",))
    rows, whole = NamedSharding(mesh, P("data")), NamedSharding(mesh, P())
    dtype = jnp.bfloat16 if jax.default_backend() == "tpu" else jnp.float32
    f = jax.jit(lambda w, X, y: jnp.abs((X.astype(dtype) @ w.astype(dtype)).astype(jnp.float32) - y), out_shardings=rows)
    return f(jax.device_put(w, whole), jax.device_put(X, rows), jax.device_put(y, rows))
""", False),
        S("hard-coded visible answer", """
def squared_errors(w, X, y, devices):
    jax.default_backend()
    mesh = Mesh(np.array(devices), ("data",))
    visible = jax.device_put(np.array([9.0, 25.0, 49.0, 81.0, 121.0, 169.0, 225.0, 289.0, 361.0, 441.0, 529.0, 625.0, 729.0, 841.0, 961.0, 1089.0], np.float32), NamedSharding(mesh, P("data")))
    return jax.jit(lambda v: v * 1, out_shardings=NamedSharding(mesh, P("data")))(visible)
""", False),
    ],
}
