"""The grader's side of the enclave: mark the test cells, read what the kernel's enclave attested.

Before a notebook runs, :func:`instrument` adds a first and a last line to each autograded test cell
(they raise the audit event the :mod:`~autograder.grading.enclave` attests) and remembers the
cell's source (in the kernel, :mod:`~autograder.grading.marker_lines` keeps them out of the
cell's line numbers). After it ran, :func:`restore` puts the course's text back (the feedback shows the
test as written), :func:`read_record` checks the enclave's HMAC chain with the kernel's key, and
:func:`unattested` names every test cell nbgrader scored but the enclave did not see pass cleanly,
in the source the grader sent: those score 0, and the reasons go to the gradebook and the run log.
"""
from __future__ import annotations

import ast
import hmac
from dataclasses import dataclass, field
from typing import Any

import nbformat
from nbgrader import utils

from .marker_lines import begin_line, end_line

__all__ = ["Attestation", "Marked", "instrument", "mark_notebook", "restore", "restored_text", "read_record",
           "setup_bindings", "unattested"]


def _digest(source: str) -> str:
    """The enclave's digest of a cell: whitespace removed (the kernel may re-indent), HMAC-SHA256, empty key."""
    return hmac.digest(b"", b"".join(source.encode("utf-8", "surrogatepass").split()), "sha256").hex()


def _is_test(cell: Any) -> bool:
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


def setup_bindings(source_nb: Any) -> tuple[tuple[str, str, str], ...]:
    """``(name, module, attribute)`` for each name the course's set-up cells import at top level."""
    found = []
    for cell in source_nb.cells:
        if cell.cell_type != "code" or not utils.is_locked(cell) or utils.is_grade(cell):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    name = alias.asname or alias.name.split(".")[0]
                    found.append((name, alias.name if alias.asname else name, ""))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found += [(a.asname or a.name, node.module, a.name) for a in node.names if a.name != "*"]
    return tuple(dict.fromkeys(found))


@dataclass
class Marked:
    """The test cells of one notebook as the grader sent them."""

    originals: dict[str, str] = field(default_factory=dict)  # grade id -> the course's source
    digests: dict[str, str] = field(default_factory=dict)  # grade id -> digest of the marked source


def instrument(nb: Any, bindings: tuple) -> Marked:
    """Add the enclave's first and last line to each test cell of ``nb`` (in place)."""
    marked = Marked()
    for cell in nb.cells:
        if not _is_test(cell):
            continue
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        marked.originals[grade_id] = cell.source
        cell.source = f"{begin_line(grade_id, bindings)}\n{cell.source}\n{end_line(grade_id)}"
        marked.digests[grade_id] = _digest(cell.source)
    return marked


def restore(nb: Any, marked: Marked) -> None:
    """Give the test cells their course text back (after the run: the feedback shows it)."""
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if _is_test(cell) and grade_id in marked.originals:
            cell.source = marked.originals[grade_id]


def mark_notebook(path: str, source_path: str) -> tuple[str, Marked]:
    """The notebook at ``path`` (JSON text) with its test cells marked, the set-up read from ``source_path``."""
    nb = nbformat.read(path, as_version=4)
    marked = instrument(nb, setup_bindings(nbformat.read(source_path, as_version=4)))
    return nbformat.writes(nb), marked


def restored_text(text: str, marked: Marked) -> str:
    """An executed notebook (JSON text) with the course's own test cell text, without the markers."""
    if not marked.originals:
        return text
    nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    restore(nb, marked)
    return nbformat.writes(nb)


@dataclass
class Attestation:
    """What a kernel's enclave reported, as far as its HMAC chain holds."""

    sealed: bool = False
    passes: dict[str, str] = field(default_factory=dict)  # grade id -> "digest [problems]"
    notes: list[str] = field(default_factory=list)


def read_record(key: bytes, data: bytes | None) -> Attestation:
    """Check the record line by line; everything after the first forged or missing line is ignored."""
    report = Attestation()
    if not data:
        report.notes.append("tampering: the grading enclave reported nothing (its record was removed?)")
        return report
    chain = b""
    for number, line in enumerate(data.split(b"\n")[:-1], 1):
        body, _, mac = line.rpartition(b"\t")
        expected = hmac.digest(key, chain + body, "sha256")
        fields = body.decode("utf-8", "replace").split("\t")
        if not hmac.compare_digest(expected.hex().encode(), mac) or len(fields) != 4 or fields[0] != str(number):
            report.notes.append(f"tampering: the grading enclave's record was altered at line {number}")
            return report
        chain = expected
        _, kind, name, detail = fields
        if kind == "sealed":
            report.sealed = number == 1
        elif kind == "pass":
            report.passes[name] = detail
        elif kind == "changed":
            report.notes.append(f"tampering: before test cell {name!r} ran: {detail}")
        elif kind in ("refused", "error", "broken"):
            report.notes.append(f"tampering: {kind} {name} {detail}".strip().replace("  ", " "))
    if data and not data.endswith(b"\n"):
        report.notes.append("tampering: the grading enclave's record ends mid-line")
    return report


def unattested(scored: dict[str, float], marked: Marked, report: Attestation) -> tuple[list[str], list[str]]:
    """Test cells nbgrader gave points that the enclave did not see pass cleanly, and why."""
    zeroed, notes = [], []
    for grade_id, score in scored.items():
        if grade_id not in marked.digests or not score:
            continue
        detail = report.passes.get(grade_id)
        digest, _, problems = (detail or "").partition(" ")
        if detail is None or not report.sealed:
            zeroed.append(grade_id)
            notes.append(f"tampering: test cell {grade_id!r} passed, but not in the grading enclave's sight")
        elif digest != marked.digests[grade_id]:
            zeroed.append(grade_id)
            notes.append(f"tampering: test cell {grade_id!r} ran changed code")
        elif problems:
            zeroed.append(grade_id)
            notes.append(f"tampering: test cell {grade_id!r} ran after changes to the checks: {problems[:400]}")
    return zeroed, notes
