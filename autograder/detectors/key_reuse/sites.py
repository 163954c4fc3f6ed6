"""Where a draw or split happened: the learner's line, the ``jax.random`` call, the loop step."""
from __future__ import annotations

import linecache
import os
from dataclasses import dataclass

from ..._compat import JaxprEqn
from ...source import Location, is_library_file
from ...walk import primitive_name

_AUTOGRADER_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))) + os.sep


@dataclass(frozen=True)
class Use:
    """One draw or split: where it happened and which loop iteration it belonged to."""

    api: str
    frames: tuple  # learner frames, innermost first
    location: Location | None
    site: int  # id() of the equation
    iteration: tuple  # ((id(loop eqn), step), ...) of the loops around it
    call: tuple | None  # the one jax.random call that holds it, in its nesting and loop step


@dataclass(frozen=True)
class Context:
    """Where the interpreter is: the equations around the current program, and the loop steps."""

    enclosing: tuple  # equations that hold the current program, outermost first
    iteration: tuple

    def inside(self, eqn: JaxprEqn, step: int | None = None) -> Context:
        """The context of a program held by ``eqn`` (on loop step ``step`` for a loop)."""
        iteration = self.iteration if step is None else self.iteration + ((id(eqn), step),)
        return Context(self.enclosing + (eqn,), iteration)


def _frames(eqn: JaxprEqn) -> list[tuple[str, int, str]]:
    tb = getattr(eqn.source_info, "traceback", None)
    if tb is None:
        return []
    return [(f.file_name, f.line_num, f.function_name) for f in tb.frames]


def _learner_frames(frames: list) -> tuple[tuple, bool]:
    """The learner's frames (innermost first), and whether the stack reaches the autograder.

    Older JAX records the whole Python stack (down to the autograder's call); newer JAX
    records only the frames inside the enclosing traced function.
    """
    kept = []
    for frame in frames:
        if os.path.abspath(frame[0]).startswith(_AUTOGRADER_DIR):
            if kept:
                return tuple(kept), True
            continue
        if not is_library_file(frame[0]):
            kept.append(frame)
    return tuple(kept), False


def _random_api(frames: list) -> str | None:
    """The outermost public ``jax.random`` function on a stack, below the learner's frames."""
    name = None
    for file, _, function in frames:
        if not is_library_file(file):
            break
        if "/jax/_src/random" in file.replace("\\", "/") and not function.startswith("_"):
            name = function
    return name


def _api_name(holders: tuple, primitive: str) -> str:
    """The ``jax.random`` function the learner called (``normal``, ``split``...)."""
    for holder in holders:
        name = _random_api(_frames(holder))
        if name:
            return name
    return {"random_split": "split", "random_bits": "draw"}.get(primitive, primitive)


def _library_call(holders: tuple, iteration: tuple) -> tuple | None:
    """The learner's one call of a ``jax.random`` function among ``holders``, if any.

    Some samplers reuse a key internally on purpose (``poisson`` draws two candidates
    and selects one); uses inside one such call are not the learner's reuse.
    """
    for depth, holder in enumerate(holders):
        if _random_api(_frames(holder)):
            outer = {id(e) for e in holders[:depth]}
            steps = tuple(step for step in iteration if step[0] in outer)
            return tuple(id(e) for e in holders[: depth + 1]) + steps
    return None


def _learner_stack(holders: tuple) -> tuple:
    """The learner's frames of the innermost holder, innermost first.

    An equation inside a cached inner jaxpr keeps the traceback of the call that
    first traced it, so inner frames are trusted only while they extend the frames
    of the call that holds them.
    """
    chosen: tuple = ()
    for holder in holders:
        learner, full = _learner_frames(_frames(holder))
        if not learner:
            continue
        if not chosen or learner[len(learner) - len(chosen):] == chosen:
            chosen = learner  # a full stack that extends the holder's
        elif full:
            break  # a full stack from an earlier trace: the cached inner program is stale
        else:
            chosen = learner + chosen  # a stack relative to the holder
    return chosen


def use_of(eqn: JaxprEqn, ctx: Context) -> Use:
    """The draw or split that ``eqn`` performs, placed in the learner's code."""
    holders = (*ctx.enclosing, eqn)
    frames = _learner_stack(holders)
    location = None
    if frames:
        file, line, function = frames[0]
        location = Location(file, line, function, linecache.getline(file, line).strip())
    return Use(
        api=_api_name(holders, primitive_name(eqn)),
        frames=frames,
        location=location,
        site=id(eqn),
        iteration=ctx.iteration,
        call=_library_call(holders, ctx.iteration),
    )
