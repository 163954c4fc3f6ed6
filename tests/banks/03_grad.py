"""Bank of alternative and wrong submissions for the chapter 3 exercise set (automatic differentiation)."""
from tests.exercise_bank import Submission

BANK = {
    "ex1_slope": [
        Submission("grad bound to a name first", """
d_profile = jax.grad(profile)

def slope(x):
    return d_profile(x)
""", True),
        Submission("value_and_grad, value discarded", """
def slope(x):
    _, derivative = jax.value_and_grad(profile)(x)
    return derivative
""", True),
        Submission("forward finite difference", """
def slope(x):
    h = 1e-2
    return (profile(x + h) - profile(x)) / h
""", False),
        Submission("ignores 'automatic differentiation': derivative worked out by hand", """
def slope(x):
    return 2 * x * jnp.sin(x) + x**2 * jnp.cos(x)
""", False, anti_pattern="missing-autodiff"),
        Submission("forward mode: jax.jvp with a unit tangent", """
def slope(x):
    x = jnp.float32(x)
    return jax.jvp(profile, (x,), (jnp.float32(1.0),))[1]
""", True),
        Submission("off-by-one: evaluated at x + 1", """
def slope(x):
    return jax.grad(profile)(x + 1.0)
""", False),
        Submission("wrong dtype: float64 NumPy result", """
import numpy as np

def slope(x):
    return np.float64(jax.grad(profile)(x))
""", False),
        Submission("hard-coded visible answer", """
def slope(x):
    return jnp.float32(2 * jnp.sin(1.0) + jnp.cos(1.0))
""", False),
    ],
    "ex2_loss_and_grads": [
        Submission("parameters in a dict, value_and_grad of a closure", """
def loss_and_grads(w, b, x, y):
    value, g = jax.value_and_grad(lambda p: mse(p["w"], p["b"], x, y))({"w": w, "b": b})
    return value, (g["w"], g["b"])
""", True),
        Submission("ignores 'value_and_grad': gradient formula written by hand", """
def loss_and_grads(w, b, x, y):
    r = x @ w + b - y
    return jnp.mean(r ** 2), (2 * x.T @ r / x.shape[0], 2 * jnp.mean(r))
""", False, anti_pattern="missing-grad"),
        Submission("ignores 'a single pass': the loss, then jax.grad", """
def loss_and_grads(w, b, x, y):
    return mse(w, b, x, y), jax.grad(mse, argnums=(0, 1))(w, b, x, y)
""", False, anti_pattern="extra-pass"),
        Submission("a tuple of parameters as one argument", """
def loss_and_grads(w, b, x, y):
    def loss_of(wb):
        return mse(wb[0], wb[1], x, y)
    value, (gw, gb) = jax.value_and_grad(loss_of)((w, b))
    return value, (gw, gb)
""", True),
        Submission("only the gradient of w", """
def loss_and_grads(w, b, x, y):
    return jax.value_and_grad(mse)(w, b, x, y)
""", False),
        Submission("wrong argnums: w and x", """
def loss_and_grads(w, b, x, y):
    return jax.value_and_grad(mse, argnums=(0, 2))(w, b, x, y)
""", False),
        Submission("wrong axis: per-row average instead of x.T @ r", """
def loss_and_grads(w, b, x, y):
    r = x @ w + b - y
    return jnp.mean(r ** 2), (jnp.mean(2 * r[:, None] * x, axis=1), 2 * jnp.mean(r))
""", False),
        Submission("off-by-one: divides by n - 1", """
def loss_and_grads(w, b, x, y):
    r = x @ w + b - y
    n = x.shape[0] - 1
    return jnp.sum(r ** 2) / n, (2 * x.T @ r / n, 2 * jnp.sum(r) / n)
""", False),
        Submission("hard-coded visible answer", """
def loss_and_grads(w, b, x, y):
    return jnp.float32(3.484375), (jnp.array([-4.875, -2.125]), jnp.float32(-3.625))
""", False),
    ],
    "ex3_has_aux": [
        Submission("value_and_grad with has_aux, loss dropped", """
def grads_and_accuracy(params, x, y):
    def objective(p):
        z = logits(p, x)
        predicted = (z > 0).astype(jnp.float32)
        return jnp.mean(jax.nn.softplus(z) - y * z), jnp.mean(predicted == y)
    (_, accuracy), grads = jax.value_and_grad(objective, has_aux=True)(params)
    return grads, accuracy
""", True),
        Submission("log-sigmoid form of the loss, aux as a dict", """
def grads_and_accuracy(params, x, y):
    def objective(p, x, y):
        z = logits(p, x)
        loss = -jnp.mean(y * jax.nn.log_sigmoid(z) + (1 - y) * jax.nn.log_sigmoid(-z))
        return loss, {"accuracy": jnp.mean(jnp.where(z > 0, y, 1 - y))}
    grads, aux = jax.grad(objective, has_aux=True)(params, x, y)
    return grads, aux["accuracy"]
""", True),
        Submission("ignores 'has_aux': a second forward pass for the accuracy", """
def grads_and_accuracy(params, x, y):
    def loss(params):
        z = logits(params, x)
        return jnp.mean(jax.nn.softplus(z) - y * z)
    z = logits(params, x)
    return jax.grad(loss)(params), jnp.mean((z > 0) == (y == 1))
""", False, anti_pattern="extra-pass"),
        Submission("returns the loss instead of the accuracy", """
def grads_and_accuracy(params, x, y):
    def objective(p):
        z = logits(p, x)
        loss = jnp.mean(jax.nn.softplus(z) - y * z)
        return loss, loss
    return jax.grad(objective, has_aux=True)(params)
""", False),
        Submission("wrong dtype: accuracy as an integer count", """
def grads_and_accuracy(params, x, y):
    def objective(p):
        z = logits(p, x)
        return jnp.mean(jax.nn.softplus(z) - y * z), jnp.sum((z > 0) == (y == 1))
    return jax.grad(objective, has_aux=True)(params)
""", False),
        Submission("wrong axis: sum instead of mean over examples", """
def grads_and_accuracy(params, x, y):
    def objective(p):
        z = logits(p, x)
        return jnp.sum(jax.nn.softplus(z) - y * z), jnp.mean((z > 0) == (y == 1))
    return jax.grad(objective, has_aux=True)(params)
""", False),
        Submission("hard-coded visible answer", """
def grads_and_accuracy(params, x, y):
    def objective(p):
        z = logits(p, x)
        return jnp.mean(jax.nn.softplus(z) - y * z), jnp.float32(0.4)
    return jax.grad(objective, has_aux=True)(params)
""", False),
    ],
    "ex4_second_derivative": [
        Submission("hessian of a scalar function", """
def second_derivative(f):
    return jax.hessian(f)
""", True),
        Submission("forward over reverse, as a named inner function", """
def second_derivative(f):
    first = jax.grad(f)
    def curvature(x):
        return jax.jvp(first, (x,), (jnp.ones_like(x),))[1]
    return curvature
""", True),
        Submission("only one derivative", """
def second_derivative(f):
    return jax.grad(f)
""", False),
        Submission("off-by-one: third derivative", """
def second_derivative(f):
    return jax.grad(jax.grad(jax.grad(f)))
""", False),
        Submission("central finite difference of grad", """
def second_derivative(f):
    def approx(x):
        h = 1e-2
        return (jax.grad(f)(x + h) - jax.grad(f)(x - h)) / (2 * h)
    return approx
""", False),
        Submission("hard-coded visible answer", """
def second_derivative(f):
    return lambda x: -jnp.sin(x) if f is jnp.sin else 12 * x**2
""", False),
    ],
    "ex5_jacobian": [
        Submission("output size from calling f", """
def jacobian_of(f, x):
    m = f(x).size
    mode = jax.jacfwd if m > x.size else jax.jacrev
    return mode(f)(x)
""", True),
        Submission("hand-made columns with jvp, rows with vjp", """
def jacobian_of(f, x):
    n = x.size
    m = jax.eval_shape(f, x).shape[0]
    if m > n:
        columns = jax.vmap(lambda v: jax.jvp(f, (x,), (v,))[1])(jnp.eye(n, dtype=x.dtype))
        return columns.T
    _, pullback = jax.vjp(f, x)
    return jax.vmap(lambda u: pullback(u)[0])(jnp.eye(m, dtype=x.dtype))
""", True),
        Submission("always reverse mode (jax.jacobian)", """
def jacobian_of(f, x):
    return jax.jacobian(f)(x)
""", False, anti_pattern="memory"),
        Submission("always forward mode", """
def jacobian_of(f, x):
    return jax.jacfwd(f)(x)
""", False, anti_pattern="memory"),
        Submission("condition reversed", """
def jacobian_of(f, x):
    if jax.eval_shape(f, x).size > x.size:
        return jax.jacrev(f)(x)
    return jax.jacfwd(f)(x)
""", False, anti_pattern="memory"),
        Submission("wrong axis: transposed Jacobian", """
def jacobian_of(f, x):
    m = jax.eval_shape(f, x).size
    mode = jax.jacfwd if m > x.size else jax.jacrev
    return mode(f)(x).T
""", False),
        Submission("hard-coded visible answer", """
def jacobian_of(f, x):
    if x.size == 3:
        return jax.jacfwd(trajectory)(jnp.array([1.5, 3.0, -0.5]))
    return jax.jacrev(summary)(jnp.linspace(-1.0, 1.0, 2000))
""", False),
    ],
    "ex6_hvp": [
        Submission("reverse over reverse: grad of a dot product", """
def hvp(f, x, v):
    return jax.grad(lambda y: jnp.vdot(jax.grad(f)(y), v))(x)
""", True),
        Submission("linearize the gradient", """
def hvp(f, x, v):
    _, tangent_map = jax.linearize(jax.grad(f), x)
    return tangent_map(v)
""", True),
        Submission("builds the full Hessian", """
def hvp(f, x, v):
    return jax.hessian(f)(x) @ v
""", False, anti_pattern="memory"),
        Submission("builds the Jacobian of the gradient", """
def hvp(f, x, v):
    return jax.jacfwd(jax.grad(f))(x) @ v
""", False, anti_pattern="memory"),
        Submission("gradient times v, no second derivative", """
def hvp(f, x, v):
    return jax.grad(f)(x) * v
""", False),
        Submission("off by a factor: half the product", """
def hvp(f, x, v):
    return 0.5 * jax.jvp(jax.grad(f), (x,), (v,))[1]
""", False),
        Submission("wrong axis: rows of H summed instead of H v", """
def hvp(f, x, v):
    return jax.jvp(jax.grad(f), (x,), (jnp.ones_like(x),))[1] * v
""", False),
        Submission("hard-coded visible answer", """
def hvp(f, x, v):
    if x.size == 3:
        return jnp.array([1.0, -2.5, 4.0])
    return jax.jvp(jax.grad(f), (x,), (v,))[1] * 0.0
""", False),
    ],
    "ex7_fix_nan": [
        Submission("jnp.sinc rescaled", """
def sinc(x):
    return jnp.sinc(x / jnp.pi)
""", True),
        Submission("double where with a boolean mask and ones_like", """
def sinc(x):
    is_zero = x == 0
    denominator = jnp.where(is_zero, jnp.ones_like(x), x)
    ratio = jnp.sin(denominator) / denominator
    return jnp.where(is_zero, jnp.ones_like(x), ratio)
""", True),
        Submission("the broken original (nan gradient at 0)", """
def sinc(x):
    return jnp.where(x != 0, jnp.sin(x) / x, 1.0)
""", False),
        Submission("nan_to_num on the output does not clean the gradient", """
def sinc(x):
    return jnp.nan_to_num(jnp.where(x != 0, jnp.sin(x) / x, 1.0))
""", False),
        Submission("off-by-one: value 0 at x = 0", """
def sinc(x):
    safe_x = jnp.where(x != 0, x, 1.0)
    return jnp.where(x != 0, jnp.sin(safe_x) / safe_x, 0.0)
""", False),
        Submission("wrong dtype: float16 result", """
def sinc(x):
    safe_x = jnp.where(x != 0, x, 1.0)
    return jnp.where(x != 0, jnp.sin(safe_x) / safe_x, 1.0).astype(jnp.float16)
""", False),
        Submission("hard-coded visible answer", """
def sinc(x):
    return jnp.where(x == 0, 1.0, jnp.sin(jax.lax.stop_gradient(x)) / jax.lax.stop_gradient(x))
""", False),
    ],
    "ex8_stop_gradient": [
        Submission("frozen copy of the weights for the target", """
def td_loss(w, s, r, s_next, gamma):
    frozen = jax.lax.stop_gradient(w)
    errors = r + gamma * value(frozen, s_next) - value(w, s)
    return jnp.mean(errors ** 2)
""", True),
        Submission("imported stop_gradient, square via dot", """
from jax.lax import stop_gradient

def td_loss(w, s, r, s_next, gamma):
    delta = stop_gradient(r + gamma * jnp.tanh(s_next @ w)) - jnp.tanh(s @ w)
    return jnp.dot(delta, delta) / delta.shape[0]
""", True),
        Submission("no stop_gradient (full gradient)", """
def td_loss(w, s, r, s_next, gamma):
    return jnp.mean((r + gamma * value(w, s_next) - value(w, s)) ** 2)
""", False),
        Submission("stop_gradient on the prediction instead of the target", """
def td_loss(w, s, r, s_next, gamma):
    target = r + gamma * value(w, s_next)
    return jnp.mean((target - jax.lax.stop_gradient(value(w, s))) ** 2)
""", False),
        Submission("stop_gradient on the whole loss", """
def td_loss(w, s, r, s_next, gamma):
    return jax.lax.stop_gradient(jnp.mean((r + gamma * value(w, s_next) - value(w, s)) ** 2))
""", False),
        Submission("wrong axis: sum instead of mean", """
def td_loss(w, s, r, s_next, gamma):
    target = jax.lax.stop_gradient(r + gamma * value(w, s_next))
    return jnp.sum((target - value(w, s)) ** 2)
""", False),
        Submission("off-by-one: next state swapped with state in the target", """
def td_loss(w, s, r, s_next, gamma):
    target = jax.lax.stop_gradient(r + gamma * value(w, s))
    return jnp.mean((target - value(w, s)) ** 2)
""", False),
        Submission("hard-coded visible answer", """
def td_loss(w, s, r, s_next, gamma):
    if s.shape == (3, 2):
        return jnp.float32(0.7)
    target = jax.lax.stop_gradient(r + gamma * value(w, s_next))
    return jnp.mean((target - value(w, s)) ** 2)
""", False),
    ],
    "ex9_train_step": [
        Submission("jit applied by call, update written per key", """
def _step(params, x, y, learning_rate):
    current, grads = jax.value_and_grad(loss)(params, x, y)
    return {name: params[name] - learning_rate * grads[name] for name in params}, current

train_step = jax.jit(_step)
""", True),
        Submission("functools.partial jit, tree.map with flattened leaves", """
from functools import partial

@partial(jax.jit)
def train_step(params, x, y, learning_rate):
    value, grads = jax.value_and_grad(lambda p: loss(p, x, y))(params)
    leaves, tree = jax.tree.flatten(params)
    new_leaves = [p - learning_rate * g for p, g in zip(leaves, jax.tree.leaves(grads))]
    return jax.tree.unflatten(tree, new_leaves), value
""", True),
        Submission("ignores 'jax.jit': the step is never compiled", """
def train_step(params, x, y, learning_rate):
    value, grads = jax.value_and_grad(loss)(params, x, y)
    return jax.tree.map(lambda p, g: p - learning_rate * g, params, grads), value
""", False, anti_pattern="missing-jit"),
        Submission("static learning rate recompiles every step", """
from functools import partial

@partial(jax.jit, static_argnames="learning_rate")
def train_step(params, x, y, learning_rate):
    value, grads = jax.value_and_grad(loss)(params, x, y)
    return jax.tree.map(lambda p, g: p - learning_rate * g, params, grads), value
""", False, anti_pattern="recompilation"),
        Submission("gradient ascent (sign error)", """
@jax.jit
def train_step(params, x, y, learning_rate):
    value, grads = jax.value_and_grad(loss)(params, x, y)
    return jax.tree.map(lambda p, g: p + learning_rate * g, params, grads), value
""", False),
        Submission("off-by-one: loss after the update", """
@jax.jit
def train_step(params, x, y, learning_rate):
    grads = jax.grad(loss)(params, x, y)
    new_params = jax.tree.map(lambda p, g: p - learning_rate * g, params, grads)
    return new_params, loss(new_params, x, y)
""", False),
        Submission("wrong dtype: parameters cast to float16", """
@jax.jit
def train_step(params, x, y, learning_rate):
    value, grads = jax.value_and_grad(loss)(params, x, y)
    return jax.tree.map(lambda p, g: (p - learning_rate * g).astype(jnp.float16), params, grads), value
""", False),
        Submission("hard-coded visible answer", """
@jax.jit
def train_step(params, x, y, learning_rate):
    value, grads = jax.value_and_grad(loss)(params, x, y)
    return jax.tree.map(lambda p, g: p - 0.1 * g, params, grads), value
""", False),
    ],
}
