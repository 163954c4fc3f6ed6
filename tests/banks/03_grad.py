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
    "ex6_gauss_newton": [
        Submission("linearize once, then transpose the linear map", """
def gauss_newton_product(residual, p, v):
    _, jacobian_times = jax.linearize(residual, p)
    (result,) = jax.linear_transpose(jacobian_times, p)(jacobian_times(v))
    return result
""", True),
        Submission("grad of a dot product with the fixed vector J v", """
def gauss_newton_product(residual, p, v):
    jv = jax.jvp(residual, (p,), (v,))[1]
    return jax.grad(lambda q: jnp.vdot(residual(q), jv))(p)
""", True),
        Submission("ignores 'without building J': forward-mode Jacobian", """
def gauss_newton_product(residual, p, v):
    J = jax.jacfwd(residual)(p)
    return J.T @ (J @ v)
""", False, anti_pattern="memory"),
        Submission("ignores 'without building G': J^T J formed first", """
def gauss_newton_product(residual, p, v):
    J = jax.jacrev(residual)(p)
    return (J.T @ J) @ v
""", False, anti_pattern="memory"),
        Submission("Hessian-vector product of half the squared norm (extra second-derivative term)", """
def gauss_newton_product(residual, p, v):
    half_norm = lambda q: 0.5 * jnp.sum(residual(q) ** 2)
    return jax.jvp(jax.grad(half_norm), (p,), (v,))[1]
""", False),
        Submission("J v only, the transpose forgotten", """
def gauss_newton_product(residual, p, v):
    return jax.jvp(residual, (p,), (v,))[1]
""", False),
        Submission("off by a factor: twice the product (the Gauss-Newton matrix of |r|^2 without the half)", """
def gauss_newton_product(residual, p, v):
    jv = jax.jvp(residual, (p,), (v,))[1]
    return jax.grad(lambda q: 2.0 * jnp.vdot(residual(q), jv))(p)
""", False),
        Submission("wrong axis: the residuals summed before the product", """
def gauss_newton_product(residual, p, v):
    total = lambda q: jnp.sum(residual(q))
    return jax.grad(total)(p) * jnp.vdot(jax.grad(total)(p), v)
""", False),
        Submission("wrong dtype: float16 result", """
def gauss_newton_product(residual, p, v):
    _, jv = jax.jvp(residual, (p,), (v,))
    _, pull_back = jax.vjp(residual, p)
    return pull_back(jv)[0].astype(jnp.float16)
""", False),
        Submission("hard-coded visible answer", """
def gauss_newton_product(residual, p, v):
    if p.size == 2:
        return jnp.array([-12.5, 1.0])
    return jnp.cos(p) ** 2 * v
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
        Submission("ignores 'one jitted program': a jit per piece glued together by Python", """
loss_jit = jax.jit(loss)
grad_jit = jax.jit(jax.grad(loss))

def train_step(params, x, y, learning_rate):
    value = loss_jit(params, x, y)
    grads = grad_jit(params, x, y)
    return jax.tree.map(lambda p, g: p - learning_rate * g, params, grads), value
""", False, anti_pattern="jit-scope"),
        Submission("the pieces jitted, then the whole step jitted once more: one program", """
loss_jit = jax.jit(loss)
grad_jit = jax.jit(jax.grad(loss))

@jax.jit
def train_step(params, x, y, learning_rate):
    value = loss_jit(params, x, y)
    grads = grad_jit(params, x, y)
    return jax.tree.map(lambda p, g: p - learning_rate * g, params, grads), value
""", False, anti_pattern="extra-pass"),
        Submission("ignores 'one pass': the loss computed again next to jax.grad", """
@jax.jit
def train_step(params, x, y, learning_rate):
    grads = jax.grad(loss)(params, x, y)
    return jax.tree.map(lambda p, g: p - learning_rate * g, params, grads), loss(params, x, y)
""", False, anti_pattern="extra-pass"),
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
    "ex10_hessian": [
        Submission("jax.hessian of a closure, solve against the identity", """
def posterior_precision(w, x, y):
    return jax.hessian(lambda v: neg_log_posterior(v, x, y))(w)


def error_bars(w, x, y):
    precision = posterior_precision(w, x, y)
    covariance = jnp.linalg.solve(precision, jnp.eye(w.shape[0], dtype=precision.dtype))
    return jnp.sqrt(jnp.diagonal(covariance))
""", True),
        Submission("the composition jax.hessian stands for: jacfwd of jacrev", """
def posterior_precision(w, x, y):
    return jax.jacfwd(jax.jacrev(neg_log_posterior))(w, x, y)


def error_bars(w, x, y):
    return jnp.diag(jnp.linalg.inv(posterior_precision(w, x, y))) ** 0.5
""", True),
        Submission("ignores 'jax.hessian': the Hessian worked out by hand", """
def posterior_precision(w, x, y):
    s = jax.nn.sigmoid(x @ w)
    return x.T @ (x * (s * (1 - s))[:, None]) + jnp.eye(w.shape[0])


def error_bars(w, x, y):
    return jnp.sqrt(jnp.diag(jnp.linalg.inv(posterior_precision(w, x, y))))
""", False, anti_pattern="missing-autodiff"),
        Submission("variances instead of standard deviations", """
def posterior_precision(w, x, y):
    return jax.hessian(neg_log_posterior)(w, x, y)


def error_bars(w, x, y):
    return jnp.diag(jnp.linalg.inv(posterior_precision(w, x, y)))
""", False),
        Submission("prior dropped: Hessian of the cross-entropy only", """
def posterior_precision(w, x, y):
    return jax.hessian(lambda w: jnp.sum(jax.nn.softplus(x @ w) - y * (x @ w)))(w)


def error_bars(w, x, y):
    return jnp.sqrt(jnp.diag(jnp.linalg.inv(posterior_precision(w, x, y))))
""", False),
        Submission("off-by-one: the prior added a second time", """
def posterior_precision(w, x, y):
    return jax.hessian(neg_log_posterior)(w, x, y) + jnp.eye(w.shape[0])


def error_bars(w, x, y):
    return jnp.sqrt(jnp.diag(jnp.linalg.inv(posterior_precision(w, x, y))))
""", False),
        Submission("wrong axis: only the diagonal of the precision inverted", """
def posterior_precision(w, x, y):
    return jax.hessian(neg_log_posterior)(w, x, y)


def error_bars(w, x, y):
    return 1.0 / jnp.sqrt(jnp.diag(posterior_precision(w, x, y)))
""", False),
        Submission("wrong argument: the Hessian with respect to x", """
def posterior_precision(w, x, y):
    return jax.hessian(neg_log_posterior, argnums=1)(w, x, y).reshape(x.size, x.size)


def error_bars(w, x, y):
    return jnp.sqrt(jnp.diag(jnp.linalg.inv(posterior_precision(w, x, y))))
""", False),
        Submission("wrong dtype: float64 NumPy error bars", """
import numpy as np

def posterior_precision(w, x, y):
    return jax.hessian(neg_log_posterior)(w, x, y)


def error_bars(w, x, y):
    covariance = np.linalg.inv(np.asarray(posterior_precision(w, x, y), dtype=np.float64))
    return np.sqrt(np.diag(covariance))
""", False),
        Submission("hard-coded visible answer", """
def posterior_precision(w, x, y):
    return jax.hessian(neg_log_posterior)(w, x, y)


def error_bars(w, x, y):
    return jnp.array([0.693989, 0.709824])
""", False),
    ],
    "ex11_vector_loss": [
        Submission("per-example gradients with vmap of grad, their mean for the batch", """
def mean_and_per_example_grads(w, x, y):
    def one_error(w, xi, yi):
        return squared_errors(w, xi[None, :], yi[None])[0]
    per_example = jax.vmap(jax.grad(one_error), in_axes=(None, 0, 0))(w, x, y)
    return per_example.mean(axis=0), per_example
""", True),
        Submission("forward-mode Jacobian and a vjp with weights 1/n", """
def mean_and_per_example_grads(w, x, y):
    errors, pull_back = jax.vjp(lambda w: squared_errors(w, x, y), w)
    (mean_grad,) = pull_back(jnp.full_like(errors, 1.0 / errors.shape[0]))
    return mean_grad, jax.jacfwd(squared_errors)(w, x, y)
""", True),
        Submission("the broken original: grad of a vector output", """
def mean_and_per_example_grads(w, x, y):
    mean_grad = jax.grad(squared_errors)(w, x, y)
    per_example = jax.grad(squared_errors)(w, x, y)
    return mean_grad, per_example
""", False),
        Submission("wrong reduction: the sum instead of the mean", """
def mean_and_per_example_grads(w, x, y):
    mean_grad = jax.grad(lambda w: jnp.sum(squared_errors(w, x, y)))(w)
    return mean_grad, jax.jacrev(squared_errors)(w, x, y)
""", False),
        Submission("wrong reduction: the gradient of the sum for each example too", """
def mean_and_per_example_grads(w, x, y):
    total = jax.grad(lambda w: jnp.mean(squared_errors(w, x, y)))(w)
    return total, jnp.broadcast_to(total, x.shape)
""", False),
        Submission("wrong axis: the per-example matrix transposed", """
def mean_and_per_example_grads(w, x, y):
    jac = jax.jacrev(squared_errors)(w, x, y)
    return jac.mean(axis=0), jac.T
""", False),
        Submission("off-by-one: divides by n - 1", """
def mean_and_per_example_grads(w, x, y):
    jac = jax.jacrev(squared_errors)(w, x, y)
    return jac.sum(axis=0) / max(x.shape[0] - 1, 1), jac
""", False),
        Submission("ignores 'differentiate with JAX': both worked out by hand", """
def mean_and_per_example_grads(w, x, y):
    per_example = 2 * (x @ w - y)[:, None] * x
    return per_example.mean(axis=0), per_example
""", False, anti_pattern="missing-autodiff"),
        Submission("wrong dtype: float16 per-example gradients", """
def mean_and_per_example_grads(w, x, y):
    jac = jax.jacrev(squared_errors)(w, x, y)
    return jac.mean(axis=0), jac.astype(jnp.float16)
""", False),
        Submission("hard-coded visible answer", """
def mean_and_per_example_grads(w, x, y):
    jax.jacrev(squared_errors)(w, x, y)
    return jnp.array([-2.0, -10.0 / 3.0]), jnp.array([[-3.0, -6.0], [0.0, -4.0], [-3.0, 0.0]])
""", False),
    ],
    "ex12_checkpoint": [
        Submission("jax.remat as a decorator on a local block", """
def loss_and_grads_remat(weights, x, y):
    @jax.remat
    def block(w, h):
        return residual_block(w, h)

    def network_loss(weights):
        h = x
        for w in weights:
            h = block(w, h)
        return jnp.mean((h - y) ** 2)

    return jax.value_and_grad(network_loss)(weights)
""", True),
        Submission("lax.scan over stacked weights with a checkpointed step", """
def loss_and_grads_remat(weights, x, y):
    def network_loss(weights):
        step = jax.checkpoint(lambda h, w: (residual_block(w, h), None))
        h, _ = jax.lax.scan(step, x, jnp.stack(weights))
        return jnp.mean((h - y) ** 2)
    return jax.value_and_grad(network_loss)(weights)
""", True),
        Submission("ignores 'jax.checkpoint': plain value_and_grad", """
def loss_and_grads_remat(weights, x, y):
    def network_loss(weights):
        h = x
        for w in weights:
            h = residual_block(w, h)
        return jnp.mean((h - y) ** 2)
    return jax.value_and_grad(network_loss)(weights)
""", False, anti_pattern="missing-checkpoint"),
        Submission("ignores 'each block': the whole network checkpointed once", """
def loss_and_grads_remat(weights, x, y):
    @jax.checkpoint
    def network_loss(weights):
        h = x
        for w in weights:
            h = residual_block(w, h)
        return jnp.mean((h - y) ** 2)
    return jax.value_and_grad(network_loss)(weights)
""", False, anti_pattern="missing-checkpoint"),
        Submission("off-by-one: the last block skipped", """
def loss_and_grads_remat(weights, x, y):
    block = jax.checkpoint(residual_block)
    def network_loss(weights):
        h = x
        for w in weights[:-1]:
            h = block(w, h)
        return jnp.mean((h - y) ** 2)
    return jax.value_and_grad(network_loss)(weights)
""", False),
        Submission("wrong axis: mean over the batch only, summed over features", """
def loss_and_grads_remat(weights, x, y):
    block = jax.checkpoint(residual_block)
    def network_loss(weights):
        h = x
        for w in weights:
            h = block(w, h)
        return jnp.sum(jnp.mean((h - y) ** 2, axis=0))
    return jax.value_and_grad(network_loss)(weights)
""", False),
        Submission("wrong dtype: gradients cast to bfloat16", """
def loss_and_grads_remat(weights, x, y):
    block = jax.checkpoint(residual_block)
    def network_loss(weights):
        h = x
        for w in weights:
            h = block(w, h)
        return jnp.mean((h - y) ** 2)
    value, grads = jax.value_and_grad(network_loss)(weights)
    return value, [g.astype(jnp.bfloat16) for g in grads]
""", False),
        Submission("hard-coded visible answer", """
def loss_and_grads_remat(weights, x, y):
    block = jax.checkpoint(residual_block)
    def network_loss(weights):
        h = x
        for w in weights:
            h = block(w, h)
        return jnp.mean((h - y) ** 2)
    value, grads = jax.value_and_grad(network_loss)(weights)
    return jnp.float32(4.918023), grads
""", False),
    ],
}
