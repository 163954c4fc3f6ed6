"""Prove that code asked to be jitted really compiles, counting from cold caches.

``assert_max_compilations`` answers "at most N compilations", which a learner also meets by
never using ``jax.jit`` at all (pure NumPy, or ``jnp`` operations run one by one compile no
learner function). ``assert_compiles`` clears JAX's caches first and also asks for at least
one compilation of a learner function, so "compile once" means exactly that.
``count_backend_compilations`` counts every XLA compilation, eager operations and JAX's own
jitted helpers included: device work on ever new shapes shows up there.
"""
from __future__ import annotations

from typing import Any, Callable

import jax
from jax import monitoring

from ..findings import Finding, raise_findings
from .compiles import _BACKEND_COMPILE_EVENT, CompileLog, _unregister, count_compilations, find_recompilation

__all__ = ["assert_compiles", "assert_device_work", "count_backend_compilations", "assert_max_backend_compilations"]


def assert_compiles(
    run: Callable[[], Any], *, instruction: str, max_compilations: int = 1
) -> CompileLog:
    """Clear JAX's caches, run ``run()`` and fail unless a learner function was compiled.

    Also fails, like ``assert_max_compilations``, when one learner function compiles more than
    ``max_compilations`` times. ``instruction`` names what the statement asked (for example
    "compile the step with jax.jit"). ``run`` is called twice, each time from cold caches, so it
    must not depend on arrays an earlier run donated. Returns the log of the first run.
    """
    __tracebackhide__ = True
    jax.clear_caches()
    log = count_compilations(run)
    if log.count == 0:
        raise_findings([
            Finding(
                check="missing-jit",
                what=f"the exercise asks you to {instruction}, but running your code compiled nothing: "
                "it ran operation by operation (or in NumPy), not as a jitted program",
                why="jax.jit compiles a function into one XLA program the first time it sees new "
                "shapes; code that is never compiled gets none of that speed",
                fix="wrap the computation in jax.jit (a decorator `@jax.jit` or `f = jax.jit(g)`), "
                "defined once, outside any loop, and call it",
            )
        ])
    jax.clear_caches()
    raise_findings(find_recompilation(run, max_compilations=max_compilations))
    return log


def assert_device_work(run: Callable[[], Any], *, instruction: str) -> None:
    """Clear JAX's caches and fail unless ``run()`` made XLA compile anything (eager or jitted).

    A computation done in NumPy on the host and only then put on a device compiles nothing.
    """
    __tracebackhide__ = True
    jax.clear_caches()
    if count_backend_compilations(run) > 0:
        return
    raise_findings([
        Finding(
            check="host-computation",
            what=f"the exercise asks you to {instruction}, but running your code made JAX compute nothing: "
            "the work was done on the host (NumPy or Python) and only the result was moved",
            why="work done with NumPy runs on the CPU of the host, one core at a time, however fast the "
            "device is",
            fix="move the inputs to the device first (jax.device_put), then compute with jnp",
        )
    ])


def count_backend_compilations(run: Callable[[], Any]) -> int:
    """Run ``run()`` and return how many XLA compilations of any kind it caused."""
    count = 0

    def on_event(event: str, duration: float, **kwargs: Any) -> None:
        nonlocal count
        if event == _BACKEND_COMPILE_EVENT:
            count += 1

    monitoring.register_event_duration_secs_listener(on_event)
    try:
        run()
    finally:
        _unregister(on_event)
    return count


def assert_max_backend_compilations(
    run: Callable[[], Any], *, max_compilations: int, instruction: str
) -> None:
    """Clear JAX's caches and fail if ``run()`` causes more than ``max_compilations`` XLA compilations.

    Unlike ``assert_max_compilations`` this counts everything: an eager ``jnp`` operation on a
    new shape compiles too, so device work on inputs of ever new shapes fails here.
    """
    __tracebackhide__ = True
    jax.clear_caches()
    count = count_backend_compilations(run)
    if count <= max_compilations:
        return
    raise_findings([
        Finding(
            check="device-work-per-shape",
            what=f"the exercise asks you to {instruction}; your code made XLA compile {count} programs "
            f"where {max_compilations} are enough",
            why="every JAX operation, jitted or not, is compiled once per input shape: device work "
            "on the raw, ever-changing shapes compiles again for each new one",
            fix="do the shape-changing work (padding, stacking) on the host with NumPy, and hand "
            "JAX only arrays of the few fixed shapes",
        )
    ])
