"""The grader's marker lines, kept out of a test cell's line numbers and code in tracebacks.

:func:`~autograder.grading.attest.instrument` adds a first line (the *begin* marker) and a last line
(the *end* marker) to each test cell. Left as they are, every line number of the cell in a traceback
or a failed check would be one too high, and the code shown would be the line above the failing one.
The :mod:`~autograder.grading.enclave` puts a :class:`MarkerLines` among the kernel's AST transformers
before it takes its fingerprint (removing or replacing it is seen as tampering). In a cell that starts
with a begin marker, it moves every later statement up one line (the cell's first line shares line 1
with the marker, as after a ``;``, and the end marker shares the cell's last line) and drops both marker
lines from the cell's ``linecache`` entry. The text IPython compiled, which the enclave's digests
cover, is unchanged, and the markers still run from the cell's own code.
"""
from __future__ import annotations

import ast
import linecache

from .enclave_launch import EVENT

__all__ = ["MarkerLines", "begin_line", "end_line"]

_AUDIT = "__import__('sys').audit"


def begin_line(grade_id: str, bindings: tuple) -> str:
    """A test cell's first line: the enclave compares the checks and the set-up's ``bindings`` here."""
    return f"{_AUDIT}({EVENT!r}, 'begin', {grade_id!r}, {bindings!r})"


def end_line(grade_id: str) -> str:
    """A test cell's last line: the enclave attests the cell here."""
    return f"{_AUDIT}({EVENT!r}, 'end', {grade_id!r})"


def _marker_lines(first: ast.stmt) -> tuple[str, str] | None:
    """The begin and end lines (as cached) of the cell whose first statement is ``first``, if it is a begin marker."""
    call = first.value if isinstance(first, ast.Expr) else None
    if not (isinstance(call, ast.Call) and first.lineno == first.end_lineno == 1 and len(call.args) == 4
            and not call.keywords and ast.unparse(call.func) == _AUDIT):
        return None
    try:
        event, phase, grade_id, bindings = map(ast.literal_eval, call.args)
    except (ValueError, TypeError):  # not literals: not the grader's marker
        return None
    if type(event) is not str or event != EVENT or phase != "begin" or type(grade_id) is not str \
            or type(bindings) is not tuple:
        return None
    return begin_line(grade_id, bindings) + "\n", end_line(grade_id) + "\n"


def _drop_from_linecache(begin: str, end: str) -> bool:
    """Drop the marker lines from every cached cell whose first line is ``begin``; whether there was one.

    ``linecache.cache`` is open to notebook code: only plain ``dict``, ``tuple``, ``list`` and ``str``
    entries are read, so that nothing here runs a learner's method.
    """
    cache = linecache.cache
    if type(cache) is not dict:
        return False
    found = False
    for name, entry in list(cache.items()):
        lines = entry[2] if type(entry) is tuple and len(entry) == 4 else None
        if type(name) is not str or type(lines) is not list or not lines or type(lines[0]) is not str \
                or lines[0] != begin or not all(type(line) is str for line in lines):
            continue
        kept = lines[1:-1] if lines[-1] == end else lines[1:]
        cache[name] = (sum(map(len, kept)), None, kept, entry[3])  # mtime None: never reloaded from disk
        found = True
    return found


class MarkerLines:
    """An AST transformer for ``shell.ast_transformers`` (IPython calls ``visit`` with each cell's module).

    Not an ``ast.NodeTransformer``: its instances have a ``__dict__``, where notebook code could shadow
    ``visit`` unseen. This one has none, and its class is fingerprinted like the rest of the package.
    """

    __slots__ = ()

    def visit(self, node: ast.AST) -> ast.AST:
        """Move a marked cell's statements up one line, and drop the marker lines from its cached text."""
        if not isinstance(node, ast.Module) or not node.body:
            return node
        markers = _marker_lines(node.body[0])
        if markers is not None and _drop_from_linecache(*markers):
            for statement in node.body[1:]:
                ast.increment_lineno(statement, -1)
        return node
