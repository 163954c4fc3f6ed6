"""Findings: what a detector saw, where, why it matters and how to fix it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .source import Location

__all__ = ["Finding", "AntiPatternError", "raise_findings", "ANTI_PATTERN_TAG"]

# Every failure message starts with this tag, so reports can count anti-patterns.
ANTI_PATTERN_TAG = "[anti-pattern: {check}]"


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

    def explain(self) -> str:
        """A few lines a learner can act on."""
        lines = [self.what]
        if self.where is not None:
            lines.append(f"  where: {self.where}")
        lines.append(f"  why:   {self.why}")
        lines.append(f"  fix:   {self.fix}")
        return "\n".join(lines)


class AntiPatternError(AssertionError):
    """An ``AssertionError`` that also carries the findings behind it."""

    def __init__(self, message: str, findings: Sequence[Finding]):
        super().__init__(message)
        self.findings = tuple(findings)


def raise_findings(findings: Sequence[Finding], headline: str | None = None) -> None:
    """Raise ``AntiPatternError`` describing ``findings``; do nothing when there are none."""
    if not findings:
        return
    checks = sorted({f.check for f in findings})
    tag = " ".join(ANTI_PATTERN_TAG.format(check=c) for c in checks)
    parts = [f"{tag} {headline or findings[0].what}"]
    parts.extend(f"{i}. {f.explain()}" for i, f in enumerate(findings, 1))
    raise AntiPatternError("\n".join(parts), findings)
