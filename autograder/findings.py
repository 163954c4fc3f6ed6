"""Findings: what a detector saw, where, why it matters and how to fix it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .source import Location

__all__ = ["Finding", "AntiPatternError", "raise_findings", "plain_words", "ANTI_PATTERN_TAG"]

# Every failure message starts with this tag, so reports can count anti-patterns.
ANTI_PATTERN_TAG = "[anti-pattern: {check}]"

_AVAL = r"~?(?P<dtype>[a-z]+\d*)\[(?P<shape>[\d, ]*)\]"
# JAX's internal representations, and the words a learner reads instead.
_JAX_REPRS = [
    # Traced<ShapedArray(float32[3])>with<DynamicJaxprTrace(level=1/0)>, Traced<float32[3]>with<...>
    (re.compile(r"Traced<(?:ShapedArray\()?" + _AVAL + r"(?:, weak_type=True)?\)?>with<[^>]*>(?:\))?"),
     "traced"),
    # JitTracer<float32[3]>, JitTracer(float32[3]), DynamicJaxprTracer<...>
    (re.compile(r"\w*Tracer[<(]" + _AVAL + r"(?:, weak_type=True)?[>)]"), "traced"),
    # ShapedArray(float32[3], weak_type=True), ConcreteArray(...)
    (re.compile(r"(?:Shaped|Concrete)Array\(" + _AVAL + r"[^)]*\)"), ""),
]
_INTERNAL_CLASS = re.compile(r"<class '(?:jax|jaxlib)[\w.]*\.(?P<name>\w+)'>")


def _described(match: re.Match, traced: str) -> str:
    """``a float32[3] array``, ``a traced float32 scalar``, ``an int32[2, 2] array``."""
    dims = [d.strip() for d in match.group("shape").split(",") if d.strip()]
    noun = f"{match.group('dtype')}[{', '.join(dims)}] array" if dims else f"{match.group('dtype')} scalar"
    words = f"{traced} {noun}".strip()
    return ("an " if words.startswith("int") else "a ") + words


def plain_words(text: str) -> str:
    """``text`` with JAX's internal reprs (tracers, abstract values, private classes) in plain words."""
    for pattern, traced in _JAX_REPRS:
        text = pattern.sub(lambda m, traced=traced: _described(m, traced), text)
    return _INTERNAL_CLASS.sub(lambda m: f"JAX's internal `{m.group('name')}` type", text)


@dataclass(frozen=True)
class Finding:
    """One anti-pattern seen in a learner's function.

    ``check`` is a short stable identifier (``"key-reuse"``); ``what`` says what
    is wrong, ``why`` why it matters, ``fix`` what to write instead; ``where``
    is the learner's line when JAX recorded one.
    """

    check: str
    what: str
    why: str
    fix: str
    where: Location | None = None

    def __post_init__(self) -> None:
        for name in ("what", "why", "fix"):  # never show the learner JAX's internal reprs
            object.__setattr__(self, name, plain_words(getattr(self, name)))

    def details(self) -> list[str]:
        """The where / why / fix lines."""
        lines = [f"  where: {self.where}"] if self.where is not None else []
        lines.append(f"  why:   {self.why}")
        lines.append(f"  fix:   {self.fix}")
        return lines

    def explain(self) -> str:
        """A few lines a learner can act on."""
        return "\n".join([self.what, *self.details()])


class AntiPatternError(AssertionError):
    """An ``AssertionError`` that also carries the findings behind it."""

    def __init__(self, message: str, findings: Sequence[Finding]):
        super().__init__(message)
        self.findings = tuple(findings)


def raise_findings(findings: Sequence[Finding], headline: str | None = None) -> None:
    """Raise ``AntiPatternError`` describing ``findings``; do nothing when there are none.

    One finding reads as its own headline followed by where / why / fix; several are numbered
    under ``headline`` (or a count). JAX's internal reprs are put in plain words.
    """
    __tracebackhide__ = True
    if not findings:
        return
    checks = sorted({f.check for f in findings})
    tag = " ".join(ANTI_PATTERN_TAG.format(check=c) for c in checks)
    if len(findings) == 1 and headline in (None, findings[0].what):
        parts = [f"{tag} {findings[0].what}", *findings[0].details()]
    else:
        parts = [f"{tag} {headline or f'{len(findings)} problems were found in your code:'}"]
        parts.extend(f"{i}. {f.explain()}" for i, f in enumerate(findings, 1))
    raise AntiPatternError(plain_words("\n".join(parts)), findings)
