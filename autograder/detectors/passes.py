"""Find work done again outside autodiff: a second forward pass where one was asked.

``jax.value_and_grad`` (or ``jax.grad`` with ``has_aux=True``) returns the loss, or a metric,
from the same forward pass that the gradient needs. Calling the loss once more outside the
transformation computes everything twice. JAX marks every equation produced under autodiff
with ``jvp``/``transpose`` on its name stack, so an equation of the model without those marks
is a second pass.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from .._compat import transform_names
from ..findings import Finding, raise_findings
from .primitives import definition_of, find_primitives

__all__ = ["find_extra_forward_pass", "assert_single_forward_pass"]

_AUTODIFF = frozenset({"jvp", "transpose"})


def find_extra_forward_pass(
    fn: Callable[..., Any],
    *args: Any,
    instruction: str,
    model_ops: str | Iterable[str] = "dot_general",
    **kwargs: Any,
) -> list[Finding]:
    """A finding when ``fn`` runs a model operation (``model_ops``) outside any autodiff transformation."""
    outside = [s for s in find_primitives(fn, *args, names=model_ops, **kwargs)
               if not _AUTODIFF & set(transform_names(s.eqn))]
    if not outside:
        return []
    site = outside[0]
    return [Finding(
        check="extra-pass",
        what=f"the exercise asks you to {instruction}, but your function also runs the model outside "
        "the differentiated function: a second forward pass",
        why="the forward pass that autodiff needs already computes the loss (and anything returned "
        "with has_aux=True); computing it again doubles the work",
        fix="return everything you need from the one differentiated function: jax.value_and_grad for "
        "the loss, has_aux=True for extra outputs such as a metric",
        where=site.location or definition_of(fn),
    )]


def assert_single_forward_pass(
    fn: Callable[..., Any],
    *args: Any,
    instruction: str,
    model_ops: str | Iterable[str] = "dot_general",
    **kwargs: Any,
) -> None:
    """Fail, naming the instruction, if ``fn`` runs a model operation outside autodiff."""
    __tracebackhide__ = True
    raise_findings(find_extra_forward_pass(fn, *args, instruction=instruction, model_ops=model_ops, **kwargs))
