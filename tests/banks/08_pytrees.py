"""Bank of alternative and wrong submissions for the chapter 8 exercise set (pytrees)."""
from tests.exercise_bank import Submission

# Shared parts of several submissions; each wrong one below changes one thing of a correct program.
_STANDARDIZER = """
class Standardizer:
    \"\"\"Rescales features: subtracts mean (when center is on), then divides by scale.\"\"\"

    def __init__(self, mean, scale, center=True):
        self.mean = mean
        self.scale = scale
        self.center = center

    def __call__(self, x):
        if self.center:
            x = x - self.mean
        return x / self.scale
"""

_ADAM_INIT = """
def adam_init(params):
    return {"m": jax.tree.map(jnp.zeros_like, params), "v": jax.tree.map(jnp.zeros_like, params),
            "count": jnp.zeros((), jnp.int32)}
"""

_ADAM_UPDATE = """

def adam_update(params, grads, state, learning_rate):
    count = state["count"] + 1
    m = jax.tree.map(lambda m, g: B1 * m + (1 - B1) * g, state["m"], grads)
    v = jax.tree.map(lambda v, g: B2 * v + (1 - B2) * g**2, state["v"], grads)
    return jax.tree.map(lambda p, m, v: p - learning_rate * (m / (1 - B1**count)) / (jnp.sqrt(v / (1 - B2**count)) + EPS),
                        params, m, v), {"m": m, "v": v, "count": count}
"""

_TRAIN_MLP = """
@partial(jax.jit, static_argnames=("num_steps", "batch_size"))
def train_mlp(key, x, y, learning_rate, num_steps, batch_size):
    init_key, data_key = jax.random.split(key)
    params = [init_layer(k, a, b) for k, a, b in zip(jax.random.split(init_key, 3), SIZES[:-1], SIZES[1:])]

    def loss(params, xb, yb):
        z = jax.vmap(logit_one, in_axes=(None, 0))(params, xb)
        return jnp.mean(jax.nn.softplus(z) - yb * z)

    def step(params, k):
        idx = jax.random.choice(k, x.shape[0], (batch_size,), replace=False)
        value, grads = jax.value_and_grad(loss)(params, x[idx], y[idx])
        return jax.tree.map(lambda p, g: p - learning_rate * g, params, grads), value

    return jax.lax.scan(step, params, jax.random.split(data_key, num_steps))
"""

BANK = {
    "ex1_count": [
        Submission("jax.tree.reduce with an initial value", """
def count_parameters(tree):
    return jax.tree.reduce(lambda total, leaf: total + leaf.size, tree, 0)
""", True),
        Submission("flatten, then NumPy sizes", """
def count_parameters(tree):
    leaves, _ = jax.tree.flatten(tree)
    return int(sum(np.size(leaf) for leaf in leaves))
""", True),
        Submission("counts the leaves, not the numbers in them", """
def count_parameters(tree):
    return len(jax.tree.leaves(tree))
""", False),
        Submission("wrong axis: only the first dimension of each leaf", """
def count_parameters(tree):
    return sum(leaf.shape[0] if leaf.ndim else 1 for leaf in jax.tree.leaves(tree))
""", False),
        Submission("off-by-one: skips the first leaf", """
def count_parameters(tree):
    return sum(leaf.size for leaf in jax.tree.leaves(tree)[1:])
""", False),
        Submission("only looks one level deep into dicts", """
def count_parameters(tree):
    return sum(v.size for v in tree.values() if hasattr(v, "size"))
""", False),
        Submission("hard-coded visible answer", """
def count_parameters(tree):
    return 16
""", False),
    ],
    "ex2_accumulated_step": [
        Submission("stack each leaf's gradients, jnp.mean over the micro-batch axis, then an SGD map", """
def accumulated_sgd_step(params, grad_trees, learning_rate):
    mean_grads = jax.tree.map(lambda *gs: jnp.mean(jnp.stack(gs), axis=0), *grad_trees)
    return jax.tree.map(lambda p, g: p - learning_rate * g, params, mean_grads)
""", True),
        Submission("a running sum built with tree.map in a loop, jitted", """
@jax.jit
def accumulated_sgd_step(params, grad_trees, learning_rate):
    total = grad_trees[0]
    for tree in grad_trees[1:]:
        total = jax.tree.map(jnp.add, total, tree)
    scale = learning_rate / len(grad_trees)
    return jax.tree.map(lambda p, g: p - scale * g, params, total)
""", True),
        Submission("flatten every tree, average the leaf lists, unflatten", """
def accumulated_sgd_step(params, grad_trees, learning_rate):
    leaves, treedef = jax.tree.flatten(params)
    per_tree = [treedef.flatten_up_to(tree) for tree in grad_trees]
    means = [sum(column) / len(per_tree) for column in zip(*per_tree)]
    return jax.tree.unflatten(treedef, [p - learning_rate * g for p, g in zip(leaves, means)])
""", True),
        Submission("the lesson's sgd_step, given the list of gradient trees as one tree", """
def accumulated_sgd_step(params, grad_trees, learning_rate):
    return jax.tree.map(lambda p, g: p - learning_rate * g, params, grad_trees)
""", False),
        Submission("ignores the mean: sums the micro-batch gradients", """
def accumulated_sgd_step(params, grad_trees, learning_rate):
    return jax.tree.map(lambda p, *gs: p - learning_rate * sum(gs), params, *grad_trees)
""", False),
        Submission("off-by-one: the last micro-batch is left out of the mean", """
def accumulated_sgd_step(params, grad_trees, learning_rate):
    kept = grad_trees[:-1] or grad_trees
    return jax.tree.map(lambda p, *gs: p - learning_rate * sum(gs) / len(gs), params, *kept)
""", False),
        Submission("wrong axis: the mean over each leaf's own first axis", """
def accumulated_sgd_step(params, grad_trees, learning_rate):
    return jax.tree.map(lambda p, *gs: p - learning_rate * jnp.mean(jnp.stack(gs, axis=-1), axis=0), params, *grad_trees)
""", False),
        Submission("tree rebuilt by hand for the example's keys", """
def accumulated_sgd_step(params, grad_trees, learning_rate):
    n = len(grad_trees)
    return {k: params[k] - learning_rate * sum(g[k] for g in grad_trees) / n for k in ("w", "b")}
""", False, "tree-structure"),
        Submission("adds the gradients up into the caller's first tree", """
def accumulated_sgd_step(params, grad_trees, learning_rate):
    total = grad_trees[0]
    for tree in grad_trees[1:]:
        for name in total:
            total[name] = jax.tree.map(jnp.add, total[name], tree[name])
    return jax.tree.map(lambda p, g: p - learning_rate * g / len(grad_trees), params, total)
""", False, "input-mutation"),
        Submission("assigns the new values into the caller's params", """
def accumulated_sgd_step(params, grad_trees, learning_rate):
    new = jax.tree.map(lambda p, *gs: p - learning_rate * sum(gs) / len(gs), params, *grad_trees)
    for name in params:
        params[name] = new[name]
    return params
""", False, "input-mutation"),
        Submission("wrong dtype: the mean in float32 promotes bfloat16 parameters", """
def accumulated_sgd_step(params, grad_trees, learning_rate):
    mean = jax.tree.map(lambda *gs: jnp.mean(jnp.stack(gs).astype(jnp.float32), axis=0), *grad_trees)
    return jax.tree.map(lambda p, g: p - learning_rate * g, params, mean)
""", False),
        Submission("hard-coded visible answer", """
def accumulated_sgd_step(params, grad_trees, learning_rate):
    return {"w": jnp.array([[0.8, 2.0], [2.9, 4.0]]), "b": jnp.array([0.4, -0.8])}
""", False),
    ],
    "ex3_grad_tree": [
        Submission("jax.grad with has_aux carrying the loss", """
def loss_and_grads(params, batch):
    grads, loss = jax.grad(lambda p: (network_loss(p, batch), network_loss(p, batch)), has_aux=True)(params)
    return loss, grads
""", True),
        Submission("value_and_grad of a closure over the batch, jitted", """
@jax.jit
def loss_and_grads(params, batch):
    return jax.value_and_grad(lambda p: network_loss(p, batch))(params)
""", True),
        Submission("gradient with respect to the batch too", """
def loss_and_grads(params, batch):
    value, (grads, _) = jax.value_and_grad(network_loss, argnums=(0, 1))(params, batch)
    return value, (grads, _)
""", False),
        Submission("gradient with respect to the batch instead", """
def loss_and_grads(params, batch):
    return jax.value_and_grad(network_loss, argnums=1)(params, batch)
""", False),
        Submission("ignores the instruction: gradients derived by hand", """
def loss_and_grads(params, batch):
    x, y = batch["x"], batch["y"]
    h = jnp.tanh(x @ params["hidden"]["w"] + params["hidden"]["b"])
    r = h @ params["out"]["w"] + params["out"]["b"] - y
    d_pred = 2.0 * r / x.shape[0]
    d_h = jnp.outer(d_pred, params["out"]["w"]) * (1 - h**2)
    return jnp.mean(r**2), {"hidden": {"w": x.T @ d_h, "b": d_h.sum(0)}, "out": {"w": h.T @ d_pred, "b": d_pred.sum()}}
""", False, "missing-grad"),
        Submission("wrong axis: hidden bias gradient summed over units", """
def loss_and_grads(params, batch):
    value, grads = jax.value_and_grad(network_loss)(params, batch)
    grads["hidden"]["b"] = jnp.full_like(grads["hidden"]["b"], grads["hidden"]["b"].sum())
    return value, grads
""", False),
        Submission("hard-coded visible loss", """
def loss_and_grads(params, batch):
    grads = jax.grad(network_loss)(params, batch)
    return jnp.float32(1.7306), grads
""", False),
    ],
    "ex4_leaf_names": [
        Submission("names built from the key objects", """
def leaf_shapes(tree):
    def part(key):
        for attr in ("key", "idx", "name"):
            if hasattr(key, attr):
                return str(getattr(key, attr))
        raise TypeError(key)
    flat, _ = jax.tree_util.tree_flatten_with_path(tree)
    return {"/".join(part(k) for k in path): leaf.shape for path, leaf in flat}
""", True),
        Submission("tree_map_with_path, then the leaves", """
def leaf_shapes(tree):
    named = jax.tree_util.tree_map_with_path(
        lambda path, leaf: (jax.tree_util.keystr(path, simple=True, separator="/"), tuple(jnp.shape(leaf))), tree)
    return dict(jax.tree.leaves(named, is_leaf=lambda node: isinstance(node, tuple) and len(node) == 2 and isinstance(node[0], str)))
""", True),
        Submission("keystr in its default bracket form", """
def leaf_shapes(tree):
    flat, _ = jax.tree_util.tree_flatten_with_path(tree)
    return {jax.tree_util.keystr(path): leaf.shape for path, leaf in flat}
""", False),
        Submission("only the last key as the name", """
def leaf_shapes(tree):
    flat, _ = jax.tree_util.tree_flatten_with_path(tree)
    return {jax.tree_util.keystr(path[-1:], simple=True, separator="/"): leaf.shape for path, leaf in flat}
""", False),
        Submission("walks dicts and lists by hand, forgets namedtuple field names", """
def leaf_shapes(tree, prefix=""):
    out = {}
    items = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, (list, tuple)) else None
    if items is None:
        return {prefix: tree.shape}
    for k, v in items:
        if v is not None:
            out.update(leaf_shapes(v, f"{prefix}/{k}" if prefix else str(k)))
    return out
""", False),
        Submission("off-by-one: positions counted from 1", """
def leaf_shapes(tree):
    def part(key):
        if hasattr(key, "idx"):
            return str(key.idx + 1)
        return str(getattr(key, "key", getattr(key, "name", key)))
    flat, _ = jax.tree_util.tree_flatten_with_path(tree)
    return {"/".join(part(k) for k in path): leaf.shape for path, leaf in flat}
""", False),
        Submission("hard-coded visible answer", """
def leaf_shapes(tree):
    return {"bias": (4,), "encoder/0/w": (3, 4)}
""", False),
    ],
    "ex5_unflatten": [
        Submission("ravel_pytree's unravel function", """
from jax.flatten_util import ravel_pytree

def tree_from_vector(vector, like):
    _, unravel = ravel_pytree(like)
    return unravel(vector)
""", True),
        Submission("split at cumulative offsets, then structure.unflatten", """
def tree_from_vector(vector, like):
    leaves = jax.tree.leaves(like)
    offsets = np.cumsum([leaf.size for leaf in leaves])[:-1]
    pieces = jnp.split(vector, offsets) if leaves else []
    structure = jax.tree.structure(like)
    return structure.unflatten([p.reshape(l.shape).astype(l.dtype) for p, l in zip(pieces, leaves)])
""", True),
        Submission("keeps the vector's dtype", """
def tree_from_vector(vector, like):
    leaves, treedef = jax.tree.flatten(like)
    pieces, start = [], 0
    for leaf in leaves:
        pieces.append(vector[start:start + leaf.size].reshape(leaf.shape))
        start += leaf.size
    return jax.tree.unflatten(treedef, pieces)
""", False),
        Submission("off-by-one: each piece starts one too late", """
def tree_from_vector(vector, like):
    leaves, treedef = jax.tree.flatten(like)
    pieces, start = [], 0
    for leaf in leaves:
        pieces.append(jnp.resize(vector[start + 1:start + 1 + leaf.size], leaf.shape).astype(leaf.dtype))
        start += leaf.size
    return jax.tree.unflatten(treedef, pieces)
""", False),
        Submission("wrong axis: column-major reshape", """
def tree_from_vector(vector, like):
    leaves, treedef = jax.tree.flatten(like)
    pieces, start = [], 0
    for leaf in leaves:
        pieces.append(jnp.reshape(vector[start:start + leaf.size], leaf.shape, order="F").astype(leaf.dtype))
        start += leaf.size
    return jax.tree.unflatten(treedef, pieces)
""", False),
        Submission("leaves taken in the dict's insertion order, top level only", """
def tree_from_vector(vector, like):
    out, start = {}, 0
    for name, leaf in like.items():
        out[name] = vector[start:start + leaf.size].reshape(leaf.shape).astype(leaf.dtype)
        start += leaf.size
    return out
""", False),
        Submission("hard-coded visible answer", """
def tree_from_vector(vector, like):
    return {"b": jnp.array([0.0, 1.0, 2.0]), "w": jnp.array([[3.0, 4.0], [5.0, 6.0]])}
""", False),
    ],
    "ex6_clip": [
        Submission("sum over the leaves and jnp.where", """
def clip_by_global_norm(grads, max_norm):
    norm = jnp.sqrt(sum(jnp.vdot(g, g) for g in jax.tree.leaves(grads)))
    scale = jnp.where(norm > max_norm, max_norm / jnp.where(norm > 0, norm, 1.0), 1.0)
    return jax.tree.map(lambda g: scale * g, grads)
""", True),
        Submission("one concatenated vector for the norm", """
def clip_by_global_norm(grads, max_norm):
    flat = jnp.concatenate([jnp.ravel(g) for g in jax.tree.leaves(grads)])
    norm = jnp.linalg.norm(flat)
    factor = max_norm / jnp.maximum(norm, max_norm)
    return jax.tree.map(lambda g: g * factor, grads)
""", True),
        Submission("clips each leaf by its own norm", """
def clip_by_global_norm(grads, max_norm):
    def clip(g):
        n = jnp.linalg.norm(jnp.ravel(g))
        return g * jnp.minimum(1.0, max_norm / jnp.maximum(n, 1e-12))
    return jax.tree.map(clip, grads)
""", False),
        Submission("Python if on the traced norm (fails under jit)", """
def clip_by_global_norm(grads, max_norm):
    norm = jnp.sqrt(sum(jnp.sum(g**2) for g in jax.tree.leaves(grads)))
    if norm > max_norm:
        return jax.tree.map(lambda g: g * max_norm / norm, grads)
    return grads
""", False),
        Submission("squared norm instead of the norm", """
def clip_by_global_norm(grads, max_norm):
    squares = sum(jnp.sum(g**2) for g in jax.tree.leaves(grads))
    return jax.tree.map(lambda g: g * jnp.minimum(1.0, max_norm / jnp.maximum(squares, 1e-12)), grads)
""", False),
        Submission("divides by a zero norm (NaN for a zero gradient)", """
def clip_by_global_norm(grads, max_norm):
    norm = jnp.sqrt(sum(jnp.sum(g**2) for g in jax.tree.leaves(grads)))
    return jax.tree.map(lambda g: jnp.where(norm > max_norm, g * max_norm / norm, g * (max_norm / norm) / (max_norm / norm)), grads)
""", False),
        Submission("hard-coded visible answer", """
def clip_by_global_norm(grads, max_norm):
    if max_norm == 1.0:
        return {"w": jnp.array([[0.6, 0.0], [0.0, 0.0]]), "b": jnp.array([0.8, 0.0])}
    return grads
""", False),
    ],
    "ex7_decay_by_path": [
        Submission("keystr of the last key", """
def decay_weights(params, rate):
    return jax.tree_util.tree_map_with_path(
        lambda path, leaf: leaf * (1 - rate) if jax.tree_util.keystr(path[-1:]) == "['w']" else leaf, params)
""", True),
        Submission("recursive walk that builds new containers", """
def decay_weights(params, rate):
    if isinstance(params, dict):
        return {k: (v * (1 - rate) if k == "w" and not isinstance(v, (dict, list, tuple)) else decay_weights(v, rate))
                for k, v in params.items()}
    if isinstance(params, (list, tuple)):
        return type(params)(decay_weights(v, rate) for v in params)
    return params
""", True),
        Submission("decays every leaf", """
def decay_weights(params, rate):
    return jax.tree.map(lambda leaf: leaf * (1 - rate), params)
""", False),
        Submission("decides by shape: every 2-D leaf", """
def decay_weights(params, rate):
    return jax.tree.map(lambda leaf: leaf * (1 - rate) if leaf.ndim == 2 else leaf, params)
""", False),
        Submission("any path whose text contains a 'w'", """
def decay_weights(params, rate):
    return jax.tree_util.tree_map_with_path(
        lambda path, leaf: leaf * (1 - rate) if "w" in jax.tree_util.keystr(path) else leaf, params)
""", False),
        Submission("off-by-one: multiplies by rate instead of 1 - rate", """
def decay_weights(params, rate):
    return jax.tree_util.tree_map_with_path(
        lambda path, leaf: leaf * rate if getattr(path[-1], "key", None) == "w" else leaf, params)
""", False),
        Submission("changes the caller's dicts in place", """
def decay_weights(params, rate):
    def walk(node):
        if isinstance(node, dict):
            for k in node:
                if k == "w" and not isinstance(node[k], (dict, list)):
                    node[k] = node[k] * (1 - rate)
                else:
                    walk(node[k])
        elif isinstance(node, (list, tuple)):
            for child in node:
                walk(child)
    walk(params)
    return params
""", False, "input-mutation"),
        Submission("hard-coded visible answer", """
def decay_weights(params, rate):
    return {"dense": {"w": jnp.array([[1.0, 2.0]]), "b": jnp.array([1.0])}, "norm": {"scale": jnp.array([1.0, 1.0])}}
""", False),
    ],
    "ex8_fix_register": [
        Submission("a dataclass registered with register_dataclass", """
@dataclasses.dataclass
class Standardizer:
    mean: jax.Array
    scale: jax.Array
    center: bool = True

    def __call__(self, x):
        if self.center:
            x = x - self.mean
        return x / self.scale


jax.tree_util.register_dataclass(Standardizer, data_fields=["mean", "scale"], meta_fields=["center"])
""", True),
        Submission("register_pytree_with_keys_class with methods on the class", """
@jax.tree_util.register_pytree_with_keys_class
class Standardizer:
    def __init__(self, mean, scale, center=True):
        self.mean, self.scale, self.center = mean, scale, center

    def __call__(self, x):
        return ((x - self.mean) if self.center else x) / self.scale

    def tree_flatten_with_keys(self):
        attr = jax.tree_util.GetAttrKey
        return ((attr("mean"), self.mean), (attr("scale"), self.scale)), self.center

    @classmethod
    def tree_unflatten(cls, center, children):
        mean, scale = children
        return cls(mean, scale, center)
""", True),
        Submission("the plain class registered with register_dataclass and explicit fields", _STANDARDIZER + """

jax.tree_util.register_dataclass(Standardizer, data_fields=["mean", "scale"], meta_fields=["center"])
""", True),
        Submission("the class left unregistered", _STANDARDIZER, False, "unregistered-pytree"),
        Submission("ignores the names: the lesson's register_pytree_node (paths [0] and [1])", _STANDARDIZER + """

jax.tree_util.register_pytree_node(
    Standardizer,
    lambda norm: ((norm.mean, norm.scale), norm.center),
    lambda center, children: Standardizer(*children, center=center),
)
""", False),
        Submission("keys that are dict keys, not attributes (paths ['mean'] and ['scale'])", _STANDARDIZER + """

jax.tree_util.register_pytree_with_keys(
    Standardizer,
    lambda norm: (((jax.tree_util.DictKey("mean"), norm.mean), (jax.tree_util.DictKey("scale"), norm.scale)), norm.center),
    lambda center, children: Standardizer(*children, center=center),
)
""", False),
        Submission("the names swapped: '.mean' leads to scale", _STANDARDIZER + """

jax.tree_util.register_pytree_with_keys(
    Standardizer,
    lambda norm: (((jax.tree_util.GetAttrKey("mean"), norm.scale), (jax.tree_util.GetAttrKey("scale"), norm.mean)), norm.center),
    lambda center, children: Standardizer(children[1], children[0], center=center),
)
""", False),
        Submission("center registered as a data field (a traced bool breaks the if under jit)", _STANDARDIZER + """

jax.tree_util.register_dataclass(Standardizer, data_fields=["mean", "scale", "center"], meta_fields=[])
""", False),
        Submission("scale kept as static metadata (no gradient for scale)", _STANDARDIZER + """

jax.tree_util.register_pytree_with_keys(
    Standardizer,
    lambda norm: (((jax.tree_util.GetAttrKey("mean"), norm.mean),), (norm.scale, norm.center)),
    lambda aux, children: Standardizer(children[0], *aux),
)
""", False),
        Submission("unflatten forgets center (every rebuilt normaliser centres)", _STANDARDIZER + """

jax.tree_util.register_dataclass(Standardizer, data_fields=["mean", "scale"], meta_fields=[])
""", False),
        Submission("hard-coded visible answer", """
class Standardizer:
    def __init__(self, mean, scale, center=True):
        self.mean, self.scale, self.center = mean, scale, center

    def __call__(self, x):
        return ((x - self.mean) if self.center else x) / self.scale


jax.tree_util.register_pytree_with_keys(
    Standardizer,
    lambda norm: (((jax.tree_util.GetAttrKey("mean"), norm.mean), (jax.tree_util.GetAttrKey("scale"), norm.scale)), norm.center),
    lambda center, children: Standardizer(jnp.array([-0.25, -0.125]), jnp.array([-0.5, -0.25]), center),
)
""", False),
    ],
    "ex9_adam": [
        Submission("leaf lists through flatten_up_to, bias correction folded into the rate", """
def adam_init(params):
    return {"m": jax.tree.map(jnp.zeros_like, params), "v": jax.tree.map(jnp.zeros_like, params),
            "count": jnp.asarray(0, dtype=jnp.int32)}


def adam_update(params, grads, state, learning_rate):
    t = state["count"] + 1
    treedef = jax.tree.structure(params)
    p, g = jax.tree.leaves(params), treedef.flatten_up_to(grads)
    m, v = treedef.flatten_up_to(state["m"]), treedef.flatten_up_to(state["v"])
    m = [B1 * a + (1 - B1) * b for a, b in zip(m, g)]
    v = [B2 * a + (1 - B2) * b * b for a, b in zip(v, g)]
    lr_t = learning_rate * jnp.sqrt(1 - B2**t) / (1 - B1**t)
    eps_t = EPS * jnp.sqrt(1 - B2**t)
    p = [x - lr_t * a / (jnp.sqrt(b) + eps_t) for x, a, b in zip(p, m, v)]
    unflat = lambda leaves: jax.tree.unflatten(treedef, leaves)
    return unflat(p), {"m": unflat(m), "v": unflat(v), "count": t}
""", True),
        Submission("three tree.maps and a float step count", """
def adam_init(params):
    zeros = lambda: jax.tree.map(lambda p: jnp.zeros(p.shape, p.dtype), params)
    return {"m": zeros(), "v": zeros(), "count": jnp.int32(0)}


def adam_update(params, grads, state, learning_rate):
    count = state["count"] + jnp.int32(1)
    t = count.astype(jnp.float32)
    m = jax.tree.map(lambda m, g: m + (1 - B1) * (g - m), state["m"], grads)
    v = jax.tree.map(lambda v, g: v + (1 - B2) * (g * g - v), state["v"], grads)
    step = lambda p, m, v: p - learning_rate * (m / (1 - B1**t)) / (jnp.sqrt(v / (1 - B2**t)) + EPS)
    return jax.tree.map(step, params, m, v), dict(m=m, v=v, count=count)
""", True),
        Submission("Python int step count in the state",
                   _ADAM_INIT.replace("jnp.zeros((), jnp.int32)", "0") + _ADAM_UPDATE, False, "python-scalar-leaf"),
        Submission("count turns float after the first step (recompiles)",
                   _ADAM_INIT + _ADAM_UPDATE.replace('state["count"] + 1', 'state["count"] + 1.0'), False, "recompilation"),
        Submission("no bias correction", _ADAM_INIT + _ADAM_UPDATE.replace("(m / (1 - B1**count))", "m").replace(
            "jnp.sqrt(v / (1 - B2**count))", "jnp.sqrt(v)"), False),
        Submission("off-by-one: bias correction with the old count", _ADAM_INIT + _ADAM_UPDATE.replace(
            "(m / (1 - B1**count)) / (jnp.sqrt(v / (1 - B2**count))",
            '(m / (1 - B1**state["count"])) / (jnp.sqrt(v / (1 - B2**state["count"] + EPS))'), False),
        Submission("m and v swapped in the update", _ADAM_INIT + _ADAM_UPDATE.replace(
            "(m / (1 - B1**count)) / (jnp.sqrt(v / (1 - B2**count))", "(v / (1 - B2**count)) / (jnp.sqrt(jnp.abs(m) / (1 - B1**count))"),
                   False),
        Submission("hard-coded visible answer", _ADAM_INIT + """

def adam_update(params, grads, state, learning_rate):
    new = {"w": jnp.array([0.9, -1.9]), "b": jnp.float32(0.4)}
    return new, {"m": state["m"], "v": state["v"], "count": state["count"] + 1}
""", False),
    ],
    "ex10_train_mlp": [
        Submission("key carried through the scan, randint batches, jitted step inside", """
@partial(jax.jit, static_argnames=("num_steps", "batch_size"))
def train_mlp(key, x, y, learning_rate, num_steps, batch_size):
    key, *layer_keys = jax.random.split(key, len(SIZES))
    params = [init_layer(k, a, b) for k, a, b in zip(layer_keys, SIZES[:-1], SIZES[1:])]
    batched_logits = jax.vmap(logit_one, in_axes=(None, 0))

    def loss(p, xb, yb):
        z = batched_logits(p, xb)
        return jnp.mean(jax.nn.softplus(z) - yb * z)

    def step(carry, _):
        params, key = carry
        key, batch_key = jax.random.split(key)
        idx = jax.random.randint(batch_key, (batch_size,), 0, x.shape[0])
        value, grads = jax.value_and_grad(loss)(params, x[idx], y[idx])
        params = jax.tree.map(lambda p, g: p - learning_rate * g, params, grads)
        return (params, key), value

    (params, _), losses = jax.lax.scan(step, (params, key), None, length=num_steps)
    return params, losses
""", True),
        Submission("fold_in of the step number, permutation batches, static_argnums", """
@partial(jax.jit, static_argnums=(4, 5))
def train_mlp(key, x, y, learning_rate, num_steps, batch_size):
    init_key, data_key = jax.random.split(key)
    params = []
    for i, (a, b) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        params.append(init_layer(jax.random.fold_in(init_key, i), a, b))

    def step(params, i):
        perm = jax.random.permutation(jax.random.fold_in(data_key, i), x.shape[0])[:batch_size]
        def loss(p):
            z = jax.vmap(lambda xi: logit_one(p, xi))(x[perm])
            return jnp.mean(jax.nn.softplus(z) - y[perm] * z)
        value, grads = jax.value_and_grad(loss)(params)
        return jax.tree.map(lambda p, g: p - learning_rate * g, params, grads), value

    return jax.lax.scan(step, params, jnp.arange(num_steps))
""", True),
        Submission("one key for every layer (identical initial layers)", _TRAIN_MLP.replace(
            "init_layer(k, a, b) for k, a, b in zip(jax.random.split(init_key, 3),", "init_layer(init_key, a, b) for a, b in zip("),
            False, "key-reuse"),
        Submission("the same minibatch key every step", _TRAIN_MLP.replace(
            "jax.random.choice(k,", "jax.random.choice(data_key,"), False, "key-reuse"),
        Submission("ignores the scan instruction: a Python loop over jitted steps", _TRAIN_MLP.replace(
            '@partial(jax.jit, static_argnames=("num_steps", "batch_size"))\n', "").replace(
            "    def step(params, k):", "    @jax.jit\n    def step(params, k):").replace(
            "    return jax.lax.scan(step, params, jax.random.split(data_key, num_steps))", """\
    losses = []
    for k in jax.random.split(data_key, num_steps):
        params, value = step(params, k)
        losses.append(value)
    return params, jnp.stack(losses)"""), False, "required-primitive"),
        Submission("ignores the vmap instruction: batched matmuls written by hand", _TRAIN_MLP.replace(
            "        z = jax.vmap(logit_one, in_axes=(None, 0))(params, xb)", """\
        h = xb
        for layer in params[:-1]:
            h = jax.nn.relu(h @ layer["w"] + layer["b"])
        z = (h @ params[-1]["w"] + params[-1]["b"])[:, 0]"""), False, "missing-vmap"),
        Submission("ignores the jit instruction: the same code, not compiled as a whole", _TRAIN_MLP.replace(
            '@partial(jax.jit, static_argnames=("num_steps", "batch_size"))\n', ""), False, "missing-jit"),
        Submission("learning rate made static: compiles again for each rate", _TRAIN_MLP.replace(
            'static_argnames=("num_steps", "batch_size")', 'static_argnames=("learning_rate", "num_steps", "batch_size")'),
            False, "recompilation"),
        Submission("wrong sign: gradient ascent", _TRAIN_MLP.replace("p - learning_rate * g", "p + learning_rate * g"), False),
        Submission("hard-coded visible answer: untrained network, made-up losses", """
@partial(jax.jit, static_argnames=("num_steps", "batch_size"))
def train_mlp(key, x, y, learning_rate, num_steps, batch_size):
    keys = jax.random.split(key, 3)
    params = [init_layer(k, a, b) for k, a, b in zip(keys, SIZES[:-1], SIZES[1:])]
    losses = jax.lax.scan(lambda c, _: (c, c), jnp.float32(0.1), None, length=num_steps)[1]
    return params, losses
""", False),
    ],
}
