"""Bank of alternative and wrong submissions for the chapter 5 exercise set (batching with vmap)."""
from tests.exercise_bank import Submission

# The last lines of several clipped_step variants: one SGD step with the per-example gradients
# `grads` ({"w": (n, d), "b": (n,)}) weighted by `scale` (n,) and averaged.
_APPLY_SCALED_MEAN = """    return {"w": params["w"] - lr * jnp.mean(grads["w"] * scale[:, None], axis=0),
            "b": params["b"] - lr * jnp.mean(grads["b"] * scale)}
"""

BANK = {
    "ex1_project_rows": [
        Submission("explicit in_axes, wrapped in a def", """
def project_rows(V, U):
    return jax.vmap(project, in_axes=(0, 0))(V, U)
""", True),
        Submission("vmap over a lambda, out_axes spelled out", """
project_rows = jax.vmap(lambda v, u: project(v, u), in_axes=0, out_axes=0)
""", True),
        Submission("broadcasting formula instead of vmap", """
def project_rows(V, U):
    scale = jnp.sum(V * U, axis=1) / jnp.sum(U * U, axis=1)
    return scale[:, None] * U
""", False, anti_pattern="missing-vmap"),
        Submission("Python loop over the rows", """
def project_rows(V, U):
    return jnp.stack([project(V[i], U[i]) for i in range(V.shape[0])])
""", False, anti_pattern="batch-loop"),
        Submission("arguments swapped: projects U onto V", """
project_rows = jax.vmap(lambda v, u: project(u, v))
""", False),
        Submission("wrong axis: maps over the columns", """
def project_rows(V, U):
    return jax.vmap(project, in_axes=1, out_axes=1)(V, U)
""", False),
        Submission("off-by-one: drops the last pair", """
def project_rows(V, U):
    return jax.vmap(project)(V[:-1], U[:-1])
""", False),
        Submission("wrong dtype: float64 NumPy result", """
import numpy as np

def project_rows(V, U):
    return np.asarray(jax.vmap(project)(V, U), np.float64)
""", False),
        Submission("hard-coded visible answer", """
def project_rows(V, U):
    return jnp.array([[1.0, 0.0], [3.5, 3.5], [0.0, 0.0]])
""", False),
    ],
    "ex2_dense_batch": [
        Submission("in_axes as a list, bound once", """
_batched_dense = jax.vmap(dense, in_axes=[0, None, None])

def dense_batch(X, W, b):
    return _batched_dense(X, W, b)
""", True),
        Submission("closure over the weights, vmap over x only", """
def dense_batch(X, W, b):
    return jax.vmap(lambda x: dense(x, W, b))(X)
""", True),
        Submission("weights stacked once per example (the replicated anti-pattern)", """
def dense_batch(X, W, b):
    n = X.shape[0]
    Ws = jnp.stack([W] * n)
    bs = jnp.stack([b] * n)
    return jax.vmap(dense)(X, Ws, bs)
""", False, anti_pattern="replicated-weights"),
        Submission("weights broadcast to the batch", """
def dense_batch(X, W, b):
    n = X.shape[0]
    return jax.vmap(dense)(X, jnp.broadcast_to(W, (n,) + W.shape), jnp.broadcast_to(b, (n,) + b.shape))
""", False, anti_pattern="replicated-weights"),
        Submission("matrix formula instead of vmap", """
def dense_batch(X, W, b):
    return jax.nn.relu(X @ W.T + b)
""", False, anti_pattern="missing-vmap"),
        Submission("Python loop over the examples", """
def dense_batch(X, W, b):
    return jnp.stack([dense(x, W, b) for x in X])
""", False, anti_pattern="batch-loop"),
        Submission("bias forgotten", """
def dense_batch(X, W, b):
    return jax.vmap(dense, in_axes=(0, None, None))(X, W, jnp.zeros_like(b))
""", False),
        Submission("wrong axis: outputs as columns", """
def dense_batch(X, W, b):
    return jax.vmap(dense, in_axes=(0, None, None), out_axes=1)(X, W, b)
""", False),
        Submission("hard-coded visible answer", """
def dense_batch(X, W, b):
    return jnp.array([[1.0, 0.0, 0.5], [0.0, 0.0, 3.0], [0.0, 1.0, 0.5], [2.0, 5.0, 0.0]])
""", False),
    ],
    "ex3_feature_columns": [
        Submission("vmap, then transpose", """
def feature_columns(ts):
    return jax.vmap(features)(ts).T
""", True),
        Submission("explicit in_axes and out_axes in a def", """
def feature_columns(ts):
    return jax.vmap(features, in_axes=0, out_axes=1)(ts)
""", True),
        Submission("stacked by hand, no vmap", """
def feature_columns(ts):
    return jnp.stack([jnp.ones_like(ts), ts, ts ** 2, jnp.sin(ts)])
""", False, anti_pattern="missing-vmap"),
        Submission("features called on the whole vector (no vmap needed, but not what was asked)", """
def feature_columns(ts):
    return features(ts)
""", False, anti_pattern="missing-vmap"),
        Submission("Python loop over the times", """
def feature_columns(ts):
    return jnp.stack([features(t) for t in ts], axis=1)
""", False, anti_pattern="batch-loop"),
        Submission("wrong axis: examples as rows", """
feature_columns = jax.vmap(features)
""", False),
        Submission("off-by-one: times shifted by one", """
def feature_columns(ts):
    return jax.vmap(features, out_axes=1)(ts + 1.0)
""", False),
        Submission("wrong dtype: integer times", """
def feature_columns(ts):
    return jax.vmap(features, out_axes=1)(ts.astype(jnp.int32))
""", False),
        Submission("hard-coded visible answer", """
import numpy as np

def feature_columns(ts):
    return jnp.array([[1.0, 1.0, 1.0], [0.0, 1.0, 2.0], [0.0, 1.0, 4.0], [0.0, np.sin(1.0), np.sin(2.0)]])
""", False),
    ],
    "ex4_fleet_energy": [
        Submission("closure over the shared inertia", """
def fleet_energy(fleet):
    inertia = fleet["inertia"]
    return jax.vmap(lambda omega: spin_energy({"inertia": inertia, "omega": omega}))(fleet["omega"])
""", True),
        Submission("in_axes dict built from the input's keys", """
def fleet_energy(fleet):
    axes = {key: (0 if key == "omega" else None) for key in fleet}
    return jax.vmap(spin_energy, in_axes=(axes,))(fleet)
""", True),
        Submission("inertia copied once per satellite", """
def fleet_energy(fleet):
    n = fleet["omega"].shape[0]
    copies = {"inertia": jnp.tile(fleet["inertia"][None], (n, 1, 1)), "omega": fleet["omega"]}
    return jax.vmap(spin_energy)(copies)
""", False, anti_pattern="replicated-weights"),
        Submission("einsum instead of vmap", """
def fleet_energy(fleet):
    omega = fleet["omega"]
    return 0.5 * jnp.einsum("ni,ij,nj->n", omega, fleet["inertia"], omega)
""", False, anti_pattern="missing-vmap"),
        Submission("Python loop over the satellites", """
def fleet_energy(fleet):
    return jnp.stack([spin_energy({"inertia": fleet["inertia"], "omega": w}) for w in fleet["omega"]])
""", False, anti_pattern="batch-loop"),
        Submission("off by a factor: the ½ dropped", """
def fleet_energy(fleet):
    return 2.0 * jax.vmap(spin_energy, in_axes=({"inertia": None, "omega": 0},))(fleet)
""", False),
        Submission("wrong axis: inertia transposed per row", """
def fleet_energy(fleet):
    return jax.vmap(lambda w: 0.5 * w @ fleet["inertia"][0] * jnp.sum(w))(fleet["omega"])
""", False),
        Submission("wrong dtype: a Python list of floats", """
def fleet_energy(fleet):
    return [float(e) for e in jax.vmap(spin_energy, in_axes=({"inertia": None, "omega": 0},))(fleet)]
""", False),
        Submission("hard-coded visible answer", """
def fleet_energy(fleet):
    return jnp.array([0.5, 3.0, 3.5, 0.0])
""", False),
    ],
    "ex5_gram": [
        Submission("outer vmap over B, then transpose", """
def gram(A, B, length_scale, kernel=rbf):
    column = jax.vmap(kernel, in_axes=(0, None, None))
    return jax.vmap(column, in_axes=(None, 0, None))(A, B, length_scale).T
""", True),
        Submission("lambdas closing over length_scale", """
def gram(A, B, length_scale, kernel=rbf):
    k = lambda a, b: kernel(a, b, length_scale)
    return jax.vmap(lambda a: jax.vmap(lambda b: k(a, b))(B))(A)
""", True),
        Submission("broadcast differences instead of vmap", """
def gram(A, B, length_scale, kernel=rbf):
    sq = jnp.sum((A[:, None, :] - B[None, :, :]) ** 2, axis=-1)
    return jnp.exp(-sq / (2 * length_scale ** 2))
""", False, anti_pattern="missing-vmap"),
        Submission("ignores the kernel argument: one vmap, rbf by broadcasting inside", """
def gram(A, B, length_scale, kernel=rbf):
    return jax.vmap(lambda a: jnp.exp(-jnp.sum((a - B) ** 2, axis=1) / (2 * length_scale ** 2)))(A)
""", False),
        Submission("double Python loop", """
def gram(A, B, length_scale, kernel=rbf):
    return jnp.array([[kernel(a, b, length_scale) for b in B] for a in A])
""", False, anti_pattern="batch-loop"),
        Submission("one vmap, a Python loop over the rows of A", """
def gram(A, B, length_scale, kernel=rbf):
    row = jax.vmap(kernel, in_axes=(None, 0, None))
    return jnp.stack([row(a, B, length_scale) for a in A])
""", False, anti_pattern="batch-loop"),
        Submission("wrong axis: the (m, n) transpose", """
def gram(A, B, length_scale, kernel=rbf):
    column = jax.vmap(kernel, in_axes=(0, None, None))
    return jax.vmap(column, in_axes=(None, 0, None))(A, B, length_scale)
""", False),
        Submission("off by a factor: length scale not squared", """
def gram(A, B, length_scale, kernel=rbf):
    k = lambda a, b: jnp.exp(-jnp.sum((a - b) ** 2) / (2 * length_scale))
    return jax.vmap(lambda a: jax.vmap(lambda b: k(a, b))(B))(A)
""", False),
        Submission("one vmap pairs A[i] with B[i] (a diagonal, not a matrix)", """
def gram(A, B, length_scale, kernel=rbf):
    return jax.vmap(kernel, in_axes=(0, 0, None))(A, B, length_scale)
""", False),
        Submission("wrong dtype: float16 result", """
def gram(A, B, length_scale, kernel=rbf):
    row = jax.vmap(kernel, in_axes=(None, 0, None))
    return jax.vmap(row, in_axes=(0, None, None))(A, B, length_scale).astype(jnp.float16)
""", False),
        Submission("hard-coded visible answer", """
import numpy as np

def gram(A, B, length_scale, kernel=rbf):
    return jnp.array([[1.0, np.exp(-2.0), np.exp(-0.5)], [np.exp(-0.5), np.exp(-2.5), 1.0]])
""", False),
    ],
    "ex6_per_example_grads": [
        Submission("vmap over a named per-example gradient function", """
def per_example_grads(params, X, Y):
    def gradient_of_one(x, y):
        return jax.grad(example_loss)(params, x, y)
    return jax.vmap(gradient_of_one)(X, Y)
""", True),
        Submission("value_and_grad, losses discarded", """
def per_example_grads(params, X, Y):
    _, grads = jax.vmap(jax.value_and_grad(example_loss), in_axes=(None, 0, 0))(params, X, Y)
    return grads
""", True),
        Submission("a loop of per-example grad calls", """
def per_example_grads(params, X, Y):
    grads = [jax.grad(example_loss)(params, X[i], Y[i]) for i in range(X.shape[0])]
    return {"w": jnp.stack([g["w"] for g in grads]), "b": jnp.stack([g["b"] for g in grads])}
""", False, anti_pattern="batch-loop"),
        Submission("gradient formula derived by hand, batched with vmap", """
def per_example_grads(params, X, Y):
    def by_hand(x, y):
        r = jax.nn.sigmoid(x @ params["w"] + params["b"]) - y
        return {"w": r * x, "b": r}
    return jax.vmap(by_hand)(X, Y)
""", False, anti_pattern="missing-grad"),
        Submission("grad with broadcasting instead of vmap", """
def per_example_grads(params, X, Y):
    def summed(p, X, Y):
        return jnp.sum(example_loss(p, X, Y))
    w_like = jax.grad(summed)(params, X, Y)
    r = jax.nn.sigmoid(X @ params["w"] + params["b"]) - Y
    return {"w": r[:, None] * X + 0 * w_like["w"], "b": r}
""", False, anti_pattern="missing-vmap"),
        Submission("grad of the summed loss (grad(vmap(f)) idea): one gradient, not one per example", """
def per_example_grads(params, X, Y):
    total = lambda p: jnp.sum(jax.vmap(example_loss, in_axes=(None, 0, 0))(p, X, Y))
    return jax.grad(total)(params)
""", False),
        Submission("wrong argnums: gradient with respect to x", """
def per_example_grads(params, X, Y):
    return jax.vmap(jax.grad(example_loss, argnums=1), in_axes=(None, 0, 0))(params, X, Y)
""", False),
        Submission("weights copied per example", """
def per_example_grads(params, X, Y):
    n = X.shape[0]
    copies = jax.tree.map(lambda leaf: jnp.broadcast_to(leaf, (n,) + leaf.shape), params)
    return jax.vmap(jax.grad(example_loss))(copies, X, Y)
""", False, anti_pattern="replicated-weights"),
        Submission("hard-coded visible answer", """
def per_example_grads(params, X, Y):
    return {"w": jnp.array([[0.0, 0.0], [0.5, 0.5], [-0.23840584, 0.0]]),
            "b": jnp.array([-0.5, 0.5, -0.11920292])}
""", False),
    ],
    "ex7_predict_all": [
        Submission("transpose X, then map over rows", """
def predict_all(params, X):
    return jax.vmap(mlp, in_axes=(None, 0))(params, X.T)
""", True),
        Submission("closure over params, in_axes=1 for the one argument", """
def predict_all(params, X):
    return jax.vmap(lambda x: mlp(params, x), in_axes=1)(X)
""", True),
        Submission("the broken original (maps over params too)", """
def predict_all(params, X):
    return jax.vmap(mlp)(params, X)
""", False),
        Submission("params fixed but X mapped over its rows", """
def predict_all(params, X):
    return jax.vmap(mlp, in_axes=(None, 0))(params, X)
""", False),
        Submission("wrong axis: outputs as columns", """
def predict_all(params, X):
    return jax.vmap(mlp, in_axes=(None, 1), out_axes=1)(params, X)
""", False),
        Submission("matrix formula, vmap dropped", """
def predict_all(params, X):
    H = jnp.tanh(params["W1"] @ X + params["b1"][:, None])
    return (params["W2"] @ H + params["b2"][:, None]).T
""", False, anti_pattern="missing-vmap"),
        Submission("params copied per example to make the sizes match", """
def predict_all(params, X):
    n = X.shape[1]
    copies = jax.tree.map(lambda leaf: jnp.tile(leaf, (n,) + (1,) * leaf.ndim), params)
    return jax.vmap(mlp, in_axes=(0, 1))(copies, X)
""", False, anti_pattern="replicated-weights"),
        Submission("Python loop over the columns", """
def predict_all(params, X):
    return jnp.stack([mlp(params, X[:, j]) for j in range(X.shape[1])])
""", False, anti_pattern="batch-loop"),
        Submission("hard-coded shape: assumes 5 examples", """
def predict_all(params, X):
    return jax.vmap(mlp, in_axes=(None, 1))(params, X[:, :5])
""", False),
        Submission("hard-coded visible answer (computed once, for the visible X)", """
_visible = None

def predict_all(params, X):
    global _visible
    if _visible is None:
        _visible = jax.vmap(mlp, in_axes=(None, 1))(params, X)
    return _visible
""", False),
    ],
    "ex8_soft_threshold": [
        Submission("sign times shrunk magnitude", """
def soft_threshold(x, t):
    return jnp.sign(x) * jnp.maximum(jnp.abs(x) - t, 0).astype(x.dtype)
""", True),
        Submission("nested lax.cond", """
def soft_threshold(x, t):
    x = jnp.asarray(x)
    zero = jnp.zeros_like(x)
    return lax.cond(x > t, lambda: (x - t).astype(x.dtype),
                    lambda: lax.cond(x < -t, lambda: (x + t).astype(x.dtype), lambda: zero))
""", True),
        Submission("jnp.clip form", """
def soft_threshold(x, t):
    return x - jnp.clip(x, -t, t).astype(x.dtype)
""", True),
        Submission("the broken original (Python if on a traced value)", """
def soft_threshold(x, t):
    if x > t:
        return x - t
    elif x < -t:
        return x + t
    return 0.0
""", False, anti_pattern="not-traceable"),
        Submission(".item() to force a Python number", """
def soft_threshold(x, t):
    shrunk = abs(x.item()) - t
    return jnp.sign(x) * shrunk if shrunk > 0 else jnp.zeros_like(x)
""", False, anti_pattern="not-traceable"),
        Submission("off-by-one: shrinks by 2t", """
def soft_threshold(x, t):
    return jnp.where(x > t, x - 2 * t, jnp.where(x < -t, x + 2 * t, 0.0))
""", False),
        Submission("hard threshold: keeps x instead of shrinking it", """
def soft_threshold(x, t):
    return jnp.where(jnp.abs(x) > t, x, 0.0)
""", False),
        Submission("wrong dtype: always float32", """
def soft_threshold(x, t):
    return jnp.where(x > t, x - t, jnp.where(x < -t, x + t, 0.0)).astype(jnp.float32)
""", False),
        Submission("hard-coded visible answer", """
def soft_threshold(x, t):
    return jnp.where(x == -3.0, -2.0, jnp.where(x == 2.5, 1.5, 0.0)).astype(x.dtype)
""", False),
    ],
    "ex9_sqrt_all": [
        Submission("decorated function", """
@jax.jit
def sqrt_all(values):
    return jax.vmap(newton_sqrt)(values)
""", True),
        Submission("vmap with explicit axes inside jit", """
def _batched(values):
    return jax.vmap(newton_sqrt, in_axes=0, out_axes=0)(values)

sqrt_all = jax.jit(_batched)
""", True),
        Submission("the slow original: a Python loop", """
def sqrt_all(values):
    return jnp.stack([newton_sqrt(a) for a in values])
""", False, anti_pattern="batch-loop"),
        Submission("the loop, jitted", """
@jax.jit
def sqrt_all(values):
    return jnp.stack([newton_sqrt(a) for a in values])
""", False, anti_pattern="batch-loop"),
        Submission("vmap without jit", """
sqrt_all = jax.vmap(newton_sqrt)
""", False, anti_pattern="missing-jit"),
        Submission("jnp.sqrt instead of vmap", """
sqrt_all = jax.jit(jnp.sqrt)
""", False, anti_pattern="missing-vmap"),
        Submission("Newton written on the whole vector (no vmap)", """
@jax.jit
def sqrt_all(values):
    return lax.fori_loop(0, 25, lambda _, x: 0.5 * (x + values / x), jnp.maximum(values, 1.0))
""", False, anti_pattern="missing-vmap"),
        Submission("jit rebuilt inside the function (compiles every call)", """
def sqrt_all(values):
    return jax.jit(lambda v: jax.vmap(newton_sqrt)(v))(values)
""", False),
        Submission("off-by-one: square root of values + 1", """
sqrt_all = jax.jit(jax.vmap(lambda a: newton_sqrt(a + 1.0)))
""", False),
        Submission("hard-coded visible answer", """
import numpy as np

_fast = jax.jit(jax.vmap(newton_sqrt))

def sqrt_all(values):
    if values.shape == (4,):
        return jnp.array([2.0, 3.0, 0.5, np.sqrt(2.0)])
    return _fast(values)
""", False),
    ],
    "ex10_clipped_step": [
        Submission("clip inside the per-example function, tree.map average", """
def clipped_step(params, X, Y, clip, lr):
    def clipped_grad(x, y):
        g = jax.grad(example_loss)(params, x, y)
        norm = jnp.sqrt(sum(jnp.sum(leaf ** 2) for leaf in jax.tree.leaves(g)))
        scale = jnp.minimum(1.0, clip / jnp.maximum(norm, 1e-12))
        return jax.tree.map(lambda leaf: leaf * scale, g)
    mean = jax.tree.map(lambda leaf: jnp.mean(leaf, axis=0), jax.vmap(clipped_grad)(X, Y))
    return jax.tree.map(lambda p, g: p - lr * g, params, mean)
""", True),
        Submission("norms with optax-style global norm via ravel", """
def clipped_step(params, X, Y, clip, lr):
    grads = jax.vmap(jax.grad(example_loss), in_axes=(None, 0, 0))(params, X, Y)
    flat = jnp.concatenate([grads["w"], grads["b"][:, None]], axis=1)
    norms = jnp.linalg.norm(flat, axis=1)
    factor = jnp.where(norms > clip, clip / jnp.maximum(norms, 1e-12), 1.0)
    return {"w": params["w"] - lr * jnp.mean(grads["w"] * factor[:, None], axis=0),
            "b": params["b"] - lr * jnp.mean(grads["b"] * factor)}
""", True),
        Submission("clips the averaged gradient instead of each example's", """
def clipped_step(params, X, Y, clip, lr):
    grads = jax.vmap(jax.grad(example_loss), in_axes=(None, 0, 0))(params, X, Y)
    mean = jax.tree.map(lambda g: g.mean(0), grads)
    norm = jnp.sqrt(jnp.sum(mean["w"] ** 2) + mean["b"] ** 2)
    scale = jnp.minimum(1.0, clip / jnp.maximum(norm, 1e-12))
    return jax.tree.map(lambda p, g: p - lr * scale * g, params, mean)
""", False),
        Submission("norm over w only (b left out)", """
def clipped_step(params, X, Y, clip, lr):
    grads = jax.vmap(jax.grad(example_loss), in_axes=(None, 0, 0))(params, X, Y)
    norms = jnp.linalg.norm(grads["w"], axis=1)
    scale = jnp.minimum(1.0, clip / jnp.maximum(norms, 1e-12))
""" + _APPLY_SCALED_MEAN, False),
        Submission("wrong axis: norm over the batch instead of per example", """
def clipped_step(params, X, Y, clip, lr):
    grads = jax.vmap(jax.grad(example_loss), in_axes=(None, 0, 0))(params, X, Y)
    norms = jnp.sqrt(jnp.sum(grads["w"] ** 2, axis=0))
    scale = jnp.minimum(1.0, clip / jnp.maximum(norms, 1e-12))
    return {"w": params["w"] - lr * jnp.mean(grads["w"] * scale, axis=0),
            "b": params["b"] - lr * jnp.mean(grads["b"])}
""", False),
        Submission("a Python loop of per-example grad calls", """
def clipped_step(params, X, Y, clip, lr):
    total = jax.tree.map(jnp.zeros_like, params)
    for i in range(X.shape[0]):
        g = jax.grad(example_loss)(params, X[i], Y[i])
        norm = jnp.sqrt(jnp.sum(g["w"] ** 2) + g["b"] ** 2)
        scale = jnp.minimum(1.0, clip / jnp.maximum(norm, 1e-12))
        total = jax.tree.map(lambda t, leaf: t + scale * leaf, total, g)
    return jax.tree.map(lambda p, t: p - lr * t / X.shape[0], params, total)
""", False, anti_pattern="batch-loop"),
        Submission("hand-derived gradient, broadcasting (neither vmap nor grad)", """
def clipped_step(params, X, Y, clip, lr):
    r = jax.nn.sigmoid(X @ params["w"] + params["b"]) - Y
    gw, gb = r[:, None] * X, r
    norms = jnp.sqrt(jnp.sum(gw ** 2, axis=1) + gb ** 2)
    scale = jnp.minimum(1.0, clip / jnp.maximum(norms, 1e-12))
    return {"w": params["w"] - lr * jnp.mean(gw * scale[:, None], axis=0), "b": params["b"] - lr * jnp.mean(gb * scale)}
""", False, anti_pattern="missing-vmap"),
        Submission("hand-derived gradient batched with vmap (no grad)", """
def clipped_step(params, X, Y, clip, lr):
    def by_hand(x, y):
        r = jax.nn.sigmoid(x @ params["w"] + params["b"]) - y
        norm = jnp.sqrt(jnp.sum((r * x) ** 2) + r ** 2)
        scale = jnp.minimum(1.0, clip / jnp.maximum(norm, 1e-12))
        return {"w": r * x * scale, "b": r * scale}
    g = jax.vmap(by_hand)(X, Y)
    return {"w": params["w"] - lr * g["w"].mean(0), "b": params["b"] - lr * g["b"].mean()}
""", False, anti_pattern="missing-grad"),
        Submission("params replicated per example", """
def clipped_step(params, X, Y, clip, lr):
    n = X.shape[0]
    copies = jax.tree.map(lambda leaf: jnp.repeat(leaf[None], n, axis=0), params)
    grads = jax.vmap(jax.grad(example_loss))(copies, X, Y)
    norms = jnp.sqrt(jnp.sum(grads["w"] ** 2, axis=1) + grads["b"] ** 2)
    scale = jnp.minimum(1.0, clip / jnp.maximum(norms, 1e-12))
""" + _APPLY_SCALED_MEAN, False, anti_pattern="replicated-weights"),
        Submission("no 1e-12 guard: NaN for a zero gradient", """
def clipped_step(params, X, Y, clip, lr):
    grads = jax.vmap(jax.grad(example_loss), in_axes=(None, 0, 0))(params, X, Y)
    norms = jnp.sqrt(jnp.sum(grads["w"] ** 2, axis=1) + grads["b"] ** 2)
    scale = jnp.minimum(1.0, clip / norms) * (norms / norms)
""" + _APPLY_SCALED_MEAN, False),
        Submission("hard-coded visible answer", """
def clipped_step(params, X, Y, clip, lr):
    grads = jax.vmap(jax.grad(example_loss), in_axes=(None, 0, 0))(params, X, Y)
    return {"w": params["w"] * 0 + jnp.array([0.51, -0.99]), "b": params["b"] * 0 + grads["b"].mean() * 0}
""", False),
    ],
}
