"""What the kernel compiles for a cell must be the cell it parsed: the enclave's guard against AST transformers.

IPython parses a cell's text, hands the syntax tree to ``shell.ast_transformers``, then compiles each
statement. A transformer written by notebook code can rewrite a test cell (wrap each line in
``try``/``except``) and take itself off the list before anything looks, so comparing the list of hooks
is not enough. The :mod:`~autograder.grading.enclave` keeps the statements of the text each cell file
was parsed from (:func:`statements`) and checks every tree the kernel compiles under that file name
against them (:func:`same_statements`). Line numbers do not count (the enclave's own marker-lines hook
moves them), and the tree is read without running any of its objects' methods.
"""
from __future__ import annotations

import ast
from typing import Any

__all__ = ["node_types", "same_statements", "statements"]

_PLAIN = frozenset({int, float, complex, str, bytes, bool, type(None), type(...)})


def node_types() -> frozenset[type]:
    """The syntax-tree classes of the ``ast`` module (a tree made of anything else is not the parser's)."""
    return frozenset(c for c in vars(ast).values() if type(c) is type and issubclass(c, ast.AST))


def statements(source: str | bytes) -> frozenset[str] | None:
    """The top-level statements of ``source``, dumped without positions (None: it does not parse)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    return frozenset(ast.dump(statement) for statement in tree.body)


def _plain(tree: Any, types: frozenset[type]) -> bool:
    """Every node of ``tree`` is of an ``ast`` class, every other value a list or a plain constant."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if type(node) not in types:
            return False
        for name in type(node)._fields:
            value = node.__dict__.get(name)
            items = value if type(value) is list else [value]
            for item in items:
                if type(item) in types:
                    stack.append(item)
                elif type(item) not in _PLAIN:
                    return False
    return True


def same_statements(tree: Any, expected: frozenset[str], types: frozenset[type]) -> bool:
    """Whether ``tree`` (a module the kernel is about to compile) holds only statements of ``expected``."""
    if type(tree) not in (ast.Module, ast.Interactive) or not _plain(tree, types):
        return False
    return all(ast.dump(statement) in expected for statement in tree.body)
