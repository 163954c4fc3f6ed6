"""Bank of alternative and wrong submissions for the chapter 7 exercise set (control flow with lax)."""
from tests.exercise_bank import Submission

BANK = {
    "ex1_collatz": [
        Submission("cond on the remainder, named branches", """
def collatz_step(n):
    def halve(m):
        return m // 2

    def triple_plus_one(m):
        return 3 * m + 1

    return lax.cond(n % 2 == 1, triple_plus_one, halve, n)
""", True),
        Submission("switch on the parity", """
def collatz_step(n):
    return lax.switch(n % 2, [lambda m: m // 2, lambda m: 3 * m + 1], n)
""", True),
        Submission("Python if on a traced value", """
def collatz_step(n):
    if n % 2 == 0:
        return n // 2
    return 3 * n + 1
""", False, anti_pattern="not-traceable"),
        Submission("jnp.where: right numbers, no lax.cond", """
def collatz_step(n):
    return jnp.where(n % 2 == 0, n // 2, 3 * n + 1)
""", False, anti_pattern="required-primitive"),
        Submission("branches swapped", """
def collatz_step(n):
    return lax.cond(n % 2 == 0, lambda m: 3 * m + 1, lambda m: m // 2, n)
""", False),
        Submission("off-by-one: 3n instead of 3n + 1", """
def collatz_step(n):
    return lax.cond(n % 2 == 0, lambda m: m // 2, lambda m: 3 * m, n)
""", False),
        Submission("wrong dtype: float division", """
def collatz_step(n):
    return lax.cond(n % 2 == 0, lambda m: m / 2, lambda m: 3.0 * m + 1, n)
""", False),
        Submission("hard-coded visible answer", """
def collatz_step(n):
    return lax.cond(n == 6, lambda m: jnp.int32(3), lambda m: jnp.int32(22), n)
""", False),
    ],
    "ex2_switch": [
        Submission("branches as a tuple of lambdas", """
def activate(kind, x):
    branches = (lambda v: jnp.maximum(v, 0.0), lambda v: jnp.tanh(v), lambda v: jnp.logaddexp(v, 0.0))
    return lax.switch(kind, branches, x)
""", True),
        Submission("two nested lax.cond", """
def activate(kind, x):
    return lax.cond(kind == 0, jax.nn.relu,
                    lambda v: lax.cond(kind == 1, jnp.tanh, jax.nn.softplus, v), x)
""", True),
        Submission("Python list indexed by a traced kind", """
def activate(kind, x):
    return [jax.nn.relu, jnp.tanh, jax.nn.softplus][kind](x)
""", False, anti_pattern="not-traceable"),
        Submission("jnp.select: all three computed, no switch", """
def activate(kind, x):
    return jnp.select([kind == 0, kind == 1], [jax.nn.relu(x), jnp.tanh(x)], jax.nn.softplus(x))
""", False, anti_pattern="required-primitive"),
        Submission("wrong order of the branches", """
def activate(kind, x):
    return lax.switch(kind, [jnp.tanh, jax.nn.relu, jax.nn.softplus], x)
""", False),
        Submission("off-by-one: kind - 1", """
def activate(kind, x):
    return lax.switch(kind - 1, [jax.nn.relu, jnp.tanh, jax.nn.softplus], x)
""", False),
        Submission("sigmoid instead of softplus", """
def activate(kind, x):
    return lax.switch(kind, [jax.nn.relu, jnp.tanh, jax.nn.sigmoid], x)
""", False),
        Submission("hard-coded visible answer", """
def activate(kind, x):
    return lax.switch(kind, [lambda v: jnp.array([0.0, 0.0, 0.0, 1.5]), jnp.tanh, jax.nn.softplus], x)
""", False),
    ],
    "ex3_horner": [
        Submission("carry holds the index too", """
def horner(coeffs, x):
    def body(i, state):
        value, k = state
        return value * x + coeffs[k], k + 1

    value, _ = lax.fori_loop(0, len(coeffs), body, (jnp.zeros_like(x), 0))
    return value
""", True),
        Submission("start from the first coefficient, loop from 1", """
def horner(coeffs, x):
    first = jnp.broadcast_to(coeffs[0], jnp.shape(x)).astype(jnp.result_type(x))
    return lax.fori_loop(1, coeffs.shape[0], lambda i, v: v * x + coeffs[i], first)
""", True),
        Submission("Python loop over the coefficients", """
def horner(coeffs, x):
    value = jnp.zeros_like(x)
    for c in coeffs:
        value = value * x + c
    return value
""", False, anti_pattern="unrolled-loop"),
        Submission("powers of x: right numbers, no loop", """
def horner(coeffs, x):
    n = coeffs.shape[0]
    powers = jnp.arange(n - 1, -1, -1)
    return jnp.sum(coeffs * jnp.asarray(x)[..., None] ** powers, axis=-1)
""", False, anti_pattern="required-primitive"),
        Submission("coefficients in the wrong order", """
def horner(coeffs, x):
    return lax.fori_loop(0, coeffs.shape[0], lambda i, v: v * x + coeffs[-1 - i], jnp.zeros_like(x))
""", False),
        Submission("off-by-one: skips the last coefficient", """
def horner(coeffs, x):
    return lax.fori_loop(0, coeffs.shape[0] - 1, lambda i, v: v * x + coeffs[i], jnp.zeros_like(x))
""", False),
        Submission("wrong dtype: float64 NumPy result", """
import numpy as np

def horner(coeffs, x):
    value = lax.fori_loop(0, coeffs.shape[0], lambda i, v: v * x + coeffs[i], jnp.zeros_like(x))
    return np.asarray(value, dtype=np.float64)
""", False),
        Submission("hard-coded visible answer", """
def horner(coeffs, x):
    if coeffs.shape[0] == 3:
        return lax.fori_loop(0, 1, lambda i, v: v, jnp.array([0.5, -0.5, 14.5, -0.125]))
    return lax.fori_loop(0, coeffs.shape[0], lambda i, v: v * x + coeffs[i], jnp.zeros_like(x))
""", False),
    ],
    "ex4_bisect": [
        Submission("carry holds f(lo) as well, lax.cond in the body", """
def bisect(f, lo, hi, tol):
    lo = jnp.asarray(lo, jnp.float32)
    hi = jnp.asarray(hi, jnp.float32)

    def body(state):
        lo, hi, f_lo = state
        mid = 0.5 * (lo + hi)
        f_mid = f(mid)
        return lax.cond(f_mid * f_lo > 0, lambda: (mid, hi, f_mid), lambda: (lo, mid, f_lo))

    lo, hi, _ = lax.while_loop(lambda s: s[1] - s[0] > tol, body, (lo, hi, f(lo)))
    return 0.5 * (lo + hi)
""", True),
        Submission("carry: left end and width", """
def bisect(f, lo, hi, tol):
    start = jnp.float32(lo)
    width = jnp.float32(hi) - start

    def body(state):
        left, width = state
        half = width / 2
        move = jnp.sign(f(left + half)) == jnp.sign(f(left))
        return jnp.where(move, left + half, left), half

    left, width = lax.while_loop(lambda s: s[1] > tol, body, (start, width))
    return left + width / 2
""", True),
        Submission("Python while on traced values", """
def bisect(f, lo, hi, tol):
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if jnp.sign(f(mid)) == jnp.sign(f(lo)):
            lo = mid
        else:
            hi = mid
    return jnp.float32((lo + hi) / 2)
""", False, anti_pattern="not-traceable"),
        Submission("fixed 40 halvings with fori_loop: no while_loop", """
def bisect(f, lo, hi, tol):
    def halve(i, interval):
        lo, hi = interval
        mid = (lo + hi) / 2
        same = jnp.sign(f(mid)) == jnp.sign(f(lo))
        return jnp.where(same, mid, lo), jnp.where(same, hi, mid)

    lo, hi = lax.fori_loop(0, 40, halve, (jnp.float32(lo), jnp.float32(hi)))
    return (lo + hi) / 2
""", False, anti_pattern="required-primitive"),
        Submission("sides swapped", """
def bisect(f, lo, hi, tol):
    def halve(interval):
        lo, hi = interval
        mid = (lo + hi) / 2
        same = jnp.sign(f(mid)) == jnp.sign(f(lo))
        return jnp.where(same, lo, mid), jnp.where(same, mid, hi)

    lo, hi = lax.while_loop(lambda s: s[1] - s[0] > tol, halve, (jnp.float32(lo), jnp.float32(hi)))
    return (lo + hi) / 2
""", False),
        Submission("off-by-one in spirit: stops when wider than 100 * tol", """
def bisect(f, lo, hi, tol):
    def halve(interval):
        lo, hi = interval
        mid = (lo + hi) / 2
        same = jnp.sign(f(mid)) == jnp.sign(f(lo))
        return jnp.where(same, mid, lo), jnp.where(same, hi, mid)

    lo, hi = lax.while_loop(lambda s: s[1] - s[0] > 100 * tol, halve, (jnp.float32(lo), jnp.float32(hi)))
    return (lo + hi) / 2
""", False),
        Submission("returns the interval instead of its midpoint", """
def bisect(f, lo, hi, tol):
    def halve(interval):
        lo, hi = interval
        mid = (lo + hi) / 2
        same = jnp.sign(f(mid)) == jnp.sign(f(lo))
        return jnp.where(same, mid, lo), jnp.where(same, hi, mid)

    return jnp.stack(lax.while_loop(lambda s: s[1] - s[0] > tol, halve, (jnp.float32(lo), jnp.float32(hi))))
""", False),
        Submission("hard-coded visible answer", """
def bisect(f, lo, hi, tol):
    return lax.while_loop(lambda v: v < 0, lambda v: v + 1, jnp.float32(1.4142135))
""", False),
    ],
    "ex5_smooth": [
        Submission("scan over indices, xs gathered in the body", """
def smooth(xs, alpha):
    def step(level, t):
        level = alpha * xs[t] + (1 - alpha) * level
        return level, level

    return lax.scan(step, xs[0], jnp.arange(xs.shape[0]))[1]
""", True),
        Submission("carry a tuple (level, step count)", """
def smooth(xs, alpha):
    def step(carry, x):
        level, count = carry
        new = level + alpha * (x - level)
        return (new, count + 1), new

    (_, _), levels = lax.scan(step, (xs[0], 0), xs)
    return levels
""", True),
        Submission("the slow code: Python loop unrolled", """
def smooth(xs, alpha):
    level = xs[0]
    levels = []
    for t in range(xs.shape[0]):
        level = alpha * xs[t] + (1 - alpha) * level
        levels.append(level)
    return jnp.stack(levels)
""", False, anti_pattern="unrolled-loop"),
        Submission("closed form with a weight matrix: right numbers, no scan", """
def smooth(xs, alpha):
    T = xs.shape[0]
    t = jnp.arange(T)
    lags = t[:, None] - t[None, :]
    weights = jnp.where(lags >= 0, alpha * (1 - alpha) ** jnp.maximum(lags, 0), 0.0)
    weights = weights.at[:, 0].add((1 - alpha) ** (t + 1))
    return jnp.tensordot(weights, xs, axes=1)
""", False, anti_pattern="required-primitive"),
        Submission("off-by-one: starts from zero instead of xs[0]", """
def smooth(xs, alpha):
    def step(level, x):
        level = alpha * x + (1 - alpha) * level
        return level, level

    return lax.scan(step, jnp.zeros_like(xs[0]), xs)[1]
""", False),
        Submission("outputs the old level instead of the new one", """
def smooth(xs, alpha):
    def step(level, x):
        return alpha * x + (1 - alpha) * level, level

    return lax.scan(step, xs[0], xs)[1]
""", False),
        Submission("wrong axis: smooths along the last axis", """
def smooth(xs, alpha):
    def step(level, x):
        level = alpha * x + (1 - alpha) * level
        return level, level

    moved = jnp.moveaxis(xs, -1, 0)
    return jnp.moveaxis(lax.scan(step, moved[0], moved)[1], 0, -1)
""", False),
        Submission("hard-coded visible answer", """
def smooth(xs, alpha):
    return lax.scan(lambda c, x: (c, x), 0.0, jnp.array([1.0, 2.0, 2.0, 4.0, 4.0]))[1]
""", False),
    ],
    "ex6_returns": [
        Submission("flip, forward scan, flip back", """
def discounted_returns(rewards, gamma):
    def step(g, r):
        g = r + gamma * g
        return g, g

    _, backwards = lax.scan(step, jnp.float32(0.0), rewards[::-1])
    return backwards[::-1]
""", True),
        Submission("reverse scan over (reward, index) pairs", """
def discounted_returns(rewards, gamma):
    def step(future, xs):
        reward, _ = xs
        value = reward + gamma * future
        return value, value

    return lax.scan(step, jnp.float32(0.0), (rewards, jnp.arange(rewards.shape[0])), reverse=True)[1]
""", True),
        Submission("forward scan: discounts the past instead of the future", """
def discounted_returns(rewards, gamma):
    def step(g, r):
        g = r + gamma * g
        return g, g

    return lax.scan(step, jnp.float32(0.0), rewards)[1]
""", False),
        Submission("Python loop from the end", """
def discounted_returns(rewards, gamma):
    g = jnp.float32(0.0)
    out = []
    for t in range(rewards.shape[0] - 1, -1, -1):
        g = rewards[t] + gamma * g
        out.append(g)
    return jnp.stack(out[::-1])
""", False, anti_pattern="unrolled-loop"),
        Submission("discount matrix: right numbers, no scan", """
def discounted_returns(rewards, gamma):
    t = jnp.arange(rewards.shape[0])
    lag = t[None, :] - t[:, None]
    return jnp.where(lag >= 0, gamma ** jnp.maximum(lag, 0), 0.0) @ rewards
""", False, anti_pattern="required-primitive"),
        Submission("off-by-one: G_t excludes r_t", """
def discounted_returns(rewards, gamma):
    def step(future, reward):
        return reward + gamma * future, gamma * future

    return lax.scan(step, jnp.float32(0.0), rewards, reverse=True)[1]
""", False),
        Submission("hard-coded visible answer", """
def discounted_returns(rewards, gamma):
    return lax.scan(lambda c, x: (c, x), 0.0, jnp.array([1.5, 1.0, 2.0]))[1]
""", False),
    ],
    "ex7_orbit": [
        Submission("fori_loop writing into a preallocated array", """
def logistic_orbit(r, x0, num_steps):
    def body(k, state):
        x, orbit = state
        x = r * x * (1 - x)
        return x, orbit.at[k].set(x)

    return lax.fori_loop(0, num_steps, body, (jnp.float32(x0), jnp.zeros(num_steps, jnp.float32)))[1]
""", True),
        Submission("scan with xs=None, step as a named function over a tuple carry", """
def logistic_orbit(r, x0, num_steps):
    def step(carry, _):
        rate, x = carry
        nxt = rate * x - rate * x * x
        return (rate, nxt), nxt

    return lax.scan(step, (jnp.float32(r), jnp.float32(x0)), xs=None, length=num_steps)[1]
""", True),
        Submission("Python loop", """
def logistic_orbit(r, x0, num_steps):
    x, orbit = jnp.float32(x0), []
    for _ in range(num_steps):
        x = r * x * (1 - x)
        orbit.append(x)
    return jnp.stack(orbit)
""", False, anti_pattern="unrolled-loop"),
        Submission("off-by-one: includes x0 and drops the last step", """
def logistic_orbit(r, x0, num_steps):
    def step(x, _):
        return r * x * (1 - x), x

    return lax.scan(step, jnp.float32(x0), None, length=num_steps)[1]
""", False),
        Submission("wrong dtype: float64 NumPy result", """
import numpy as np

def logistic_orbit(r, x0, num_steps):
    def step(x, _):
        x = r * x * (1 - x)
        return x, x

    return np.asarray(lax.scan(step, jnp.float32(x0), None, length=num_steps)[1], dtype=np.float64)
""", False),
        Submission("hard-coded visible answer", """
def logistic_orbit(r, x0, num_steps):
    return lax.scan(lambda c, x: (c, x), 0.0, jnp.array([0.375, 0.46875, 0.498046875])[:num_steps])[1]
""", False),
    ],
    "ex8_diameters": [
        Submission("Gram-matrix distances inside lax.map", """
def cloud_diameters(clouds):
    def diameter(p):
        sq = jnp.sum(p * p, axis=1)
        d2 = sq[:, None] + sq[None, :] - 2 * p @ p.T
        return jnp.sqrt(jnp.maximum(jnp.max(d2), 0.0))

    return lax.map(diameter, clouds)
""", True),
        Submission("scan over the clouds, distances with jnp.linalg.norm", """
def cloud_diameters(clouds):
    def step(carry, p):
        return carry, jnp.max(jnp.linalg.norm(p[:, None, :] - p[None, :, :], axis=-1))

    return lax.scan(step, None, clouds)[1]
""", True),
        Submission("vmap over the clouds: B matrices at once", """
def cloud_diameters(clouds):
    def diameter(p):
        return jnp.sqrt(jnp.max(jnp.sum((p[:, None, :] - p[None, :, :]) ** 2, axis=-1)))

    return jax.vmap(diameter)(clouds)
""", False, anti_pattern="memory"),
        Submission("one broadcast over every cloud", """
def cloud_diameters(clouds):
    d = clouds[:, :, None, :] - clouds[:, None, :, :]
    return jnp.sqrt(jnp.max(jnp.sum(d**2, axis=-1), axis=(1, 2)))
""", False, anti_pattern="memory"),
        Submission("mean distance instead of the largest", """
def cloud_diameters(clouds):
    def diameter(p):
        return jnp.mean(jnp.sqrt(jnp.sum((p[:, None, :] - p[None, :, :]) ** 2, axis=-1)))

    return lax.map(diameter, clouds)
""", False),
        Submission("wrong axis: sums over the points instead of the coordinates", """
def cloud_diameters(clouds):
    def diameter(p):
        return jnp.sqrt(jnp.max(jnp.sum((p[:, None, :] - p[None, :, :]) ** 2, axis=0)))

    return lax.map(diameter, clouds)
""", False),
        Submission("hard-coded visible answer", """
def cloud_diameters(clouds):
    if clouds.shape == (2, 4, 2):
        return jnp.array([jnp.sqrt(2.0), 5.0])
    return lax.map(lambda p: jnp.max(jnp.abs(p[0] - p[-1])), clouds)
""", False),
    ],
    "ex9_round_ste": [
        Submission("round minus identity, both stopped", """
def round_ste(x):
    return lax.stop_gradient(jnp.round(x)) + x - lax.stop_gradient(x)
""", True),
        Submission("jax.lax.stop_gradient on the correction, written as a function", """
def round_ste(x):
    correction = jax.lax.stop_gradient(jnp.round(x) - x)
    return correction + x
""", True),
        Submission("plain rounding: zero gradient", """
def round_ste(x):
    return jnp.round(x)
""", False),
        Submission("everything stopped: zero gradient", """
def round_ste(x):
    return lax.stop_gradient(x + jnp.round(x) - x)
""", False),
        Submission("custom_jvp: right numbers, no stop_gradient", """
@jax.custom_jvp
def round_ste(x):
    return jnp.round(x)

@round_ste.defjvp
def _round_ste_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return jnp.round(x), t
""", False, anti_pattern="required-primitive"),
        Submission("floor instead of round", """
def round_ste(x):
    return x + lax.stop_gradient(jnp.floor(x) - x)
""", False),
        Submission("hard-coded visible answer", """
def round_ste(x):
    return x + lax.stop_gradient(jnp.array([-2.0, 0.0, 0.0, 3.0]) - x)
""", False),
    ],
    "ex10_fix_height": [
        Submission("fori_loop with Python-int bounds", """
def final_height(launch_speed, num_steps=100, dt=0.01):
    def advance(step, state):
        height, velocity = state
        return height + dt * velocity, velocity - dt * (9.81 + 0.1 * velocity * jnp.abs(velocity))

    height, _ = lax.fori_loop(0, num_steps, advance, (jnp.float32(0.0), jnp.float32(launch_speed)))
    return height
""", True),
        Submission("scan over the step indices, keeping the step counter", """
def final_height(launch_speed, num_steps=100, dt=0.01):
    def advance(state, _):
        step, height, velocity = state
        return (step + 1, height + dt * velocity,
                velocity - dt * (9.81 + 0.1 * velocity * jnp.abs(velocity))), height

    (_, height, _), _ = lax.scan(advance, (0, jnp.float32(0.0), jnp.float32(launch_speed)), jnp.arange(num_steps))
    return height
""", True),
        Submission("the broken code, unchanged", """
def final_height(launch_speed, num_steps=100, dt=0.01):
    def not_done(state):
        step, height, velocity = state
        return step < num_steps

    def advance(state):
        step, height, velocity = state
        return step + 1, height + dt * velocity, velocity - dt * (9.81 + 0.1 * velocity * jnp.abs(velocity))

    _, height, _ = lax.while_loop(not_done, advance, (0, 0.0, launch_speed))
    return height
""", False, anti_pattern="while-loop-grad"),
        Submission("Python loop: differentiable but unrolled", """
def final_height(launch_speed, num_steps=100, dt=0.01):
    height, velocity = 0.0, launch_speed
    for _ in range(num_steps):
        height, velocity = height + dt * velocity, velocity - dt * (9.81 + 0.1 * velocity * jnp.abs(velocity))
    return jnp.float32(height)
""", False, anti_pattern="unrolled-loop"),
        Submission("off-by-one: one step short", """
def final_height(launch_speed, num_steps=100, dt=0.01):
    def advance(state, _):
        h, v = state
        return (h + dt * v, v - dt * (9.81 + 0.1 * v * jnp.abs(v))), None

    return lax.scan(advance, (jnp.float32(0.0), jnp.float32(launch_speed)), None, length=num_steps - 1)[0][0]
""", False),
        Submission("drag sign lost (velocity squared)", """
def final_height(launch_speed, num_steps=100, dt=0.01):
    def advance(state, _):
        h, v = state
        return (h + dt * v, v - dt * (9.81 + 0.1 * v * v)), None

    return lax.scan(advance, (jnp.float32(0.0), jnp.float32(launch_speed)), None, length=num_steps)[0][0]
""", False),
        Submission("stop_gradient to silence the error: zero gradient", """
def final_height(launch_speed, num_steps=100, dt=0.01):
    def advance(state):
        step, height, velocity = state
        return step + 1, height + dt * velocity, velocity - dt * (9.81 + 0.1 * velocity * jnp.abs(velocity))

    start = (0, jnp.float32(0.0), lax.stop_gradient(jnp.float32(launch_speed)))
    return lax.while_loop(lambda s: s[0] < num_steps, advance, start)[1]
""", False),
        Submission("hard-coded visible answer", """
def final_height(launch_speed, num_steps=100, dt=0.01):
    return lax.scan(lambda h, _: (h, None), jnp.float32(4.9), None, length=num_steps)[0] + 0.0 * launch_speed
""", False),
    ],
}
