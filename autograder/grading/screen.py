"""Read the learner's code before it runs: find what could tamper with the checks.

A check decides a learner's points inside the learner's own kernel, so code that rebinds a checker,
patches a module, hooks IPython or the kernel's messaging, or hands the checks a lying object
could forge a pass. Those moves are not part of any exercise: this trusted screen (it runs in the
grader, on the notebook's text, before the kernel sees it) finds them in the cells the learner
wrote, so that no test run after them can earn a point. It never runs the code.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from nbgrader import utils

__all__ = ["Suspicion", "course_cells", "screen_notebook", "squash"]

_FORBIDDEN_MODULES = {
    "builtins", "ctypes", "gc", "importlib", "inspect", "sys", "IPython", "ipykernel", "jupyter_client",
    "zmq", "subprocess", "signal", "socket", "multiprocessing", "threading", "_thread", "atexit", "nbgrader",
    "nbclient", "traitlets", "marshal", "types", "code", "codeop", "pickle", "shutil", "pty", "resource",
}
_FORBIDDEN_NAMES = {
    "get_ipython", "__builtins__", "__import__", "exec", "eval", "compile", "globals", "vars", "setattr",
    "delattr", "breakpoint", "open", "__loader__", "__spec__",
}
_FORBIDDEN_OS = {"environ", "getenv", "putenv", "kill", "killpg", "fork", "forkpty", "system", "popen", "_exit",
                 "exec", "execv", "execve", "execl", "execlp", "execvp", "spawnl", "spawnv", "setsid", "chdir",
                 "remove", "unlink", "rename", "replace", "symlink", "link"}
_LYING_DUNDERS = {
    "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__bool__", "__len__", "__float__", "__int__",
    "__index__", "__complex__", "__array__", "__array_function__", "__array_ufunc__", "__array_priority__",
    "__array_interface__", "__jax_array__", "__hash__", "__getattr__", "__getattribute__", "__instancecheck__",
    "__subclasscheck__", "__class__",
}
_ALLOWED_DUNDERS = {"__init__", "__name__", "__doc__", "__call__", "__post_init__", "__iter__", "__getitem__",
                    "__add__", "__radd__", "__mul__", "__rmul__", "__matmul__", "__neg__", "__truediv__"}


@dataclass(frozen=True)
class Suspicion:
    """One construct in one learner cell that could tamper with grading."""

    cell: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"tampering: {self.what} (cell {self.cell!r}, line {self.line})"


class _Visitor(ast.NodeVisitor):
    def __init__(self, protected: set[str], modules: set[str]):
        self.protected, self.modules = protected, modules
        self.found: list[tuple[int, str]] = []
        self.depth = 0  # inside a function, an assignment binds a local name, not the set-up's
        self.globals: set[str] = set()

    def _flag(self, node: ast.AST, what: str) -> None:
        self.found.append((getattr(node, "lineno", 0), what))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(node, alias.name)
            self.modules.add((alias.asname or alias.name).split(".")[0])
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self._module(node, node.module or "")
        if node.level:
            self._flag(node, "a relative import")
        for alias in node.names:
            self._rebinds(node, alias.asname or alias.name)
        self.generic_visit(node)

    def _module(self, node: ast.AST, name: str) -> None:
        top = name.split(".")[0]
        if top in _FORBIDDEN_MODULES or top == "autograder" or top == "os" and name != "os":
            self._flag(node, f"imports {name}")

    def _rebinds(self, node: ast.AST, name: str) -> None:
        if name in self.protected and (self.depth == 0 or name in self.globals):
            self._flag(node, f"rebinds {name!r}, a name the locked set-up cell defines")

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in _FORBIDDEN_NAMES:
            self._flag(node, f"uses {node.id}")
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._rebinds(node, node.id)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: Any) -> None:
        self._rebinds(node, node.name)
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_Global(self, node: ast.Global) -> None:
        self.globals.update(node.names)
        for name in node.names:
            self._rebinds(node, name)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._rebinds(node, node.name)
        for item in node.body:
            names = []
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [item.name]
            elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
            for name in names:
                if name in _LYING_DUNDERS:
                    self._flag(item, f"class {node.name} defines {name}, which the checks rely on")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attr = node.attr
        if attr.startswith("__") and attr.endswith("__") and attr not in _ALLOWED_DUNDERS:
            self._flag(node, f"reaches into {attr}")
        base = node.value
        if isinstance(base, ast.Name) and base.id == "os" and attr in _FORBIDDEN_OS:
            self._flag(node, f"uses os.{attr}")
        if isinstance(node.ctx, (ast.Store, ast.Del)) and isinstance(base, ast.Name) and base.id in self.modules:
            self._flag(node, f"patches {base.id}.{attr}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "getattr":
            name = node.args[1] if len(node.args) > 1 else None
            built = isinstance(name, (ast.BinOp, ast.JoinedStr, ast.Call, ast.Subscript))
            dunder = isinstance(name, ast.Constant) and str(name.value).startswith("__")
            if built or dunder:
                self._flag(node, "uses getattr with a computed or dunder name")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and "NBGRADER" in node.value.upper():
            self._flag(node, "looks for nbgrader (behaving differently while graded)")


def squash(text: str) -> str:
    """A cell's code with all whitespace removed (to recognise the course's own cells)."""
    return "".join(text.split())


def course_cells(source_nb: Any) -> set[str]:
    """The course's own code cells of the source notebook (set-up, helpers, tests), squashed."""
    return {squash(c.source) for c in source_nb.cells
            if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("solution")}


def _is_course_code(cell: Any, trusted: set[str]) -> bool:
    return utils.is_locked(cell) or utils.is_grade(cell) or squash(cell.source) in trusted


def _setup_names(cells: list[Any], trusted: set[str]) -> tuple[set[str], set[str]]:
    """Names the course's own cells import or define, and which of them are modules."""
    protected, modules = set(), set()
    for cell in cells:
        if cell.cell_type != "code" or utils.is_grade(cell) or not _is_course_code(cell, trusted):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    name = (alias.asname or alias.name).split(".")[0]
                    protected.add(name)
                    modules.add(name)
            elif isinstance(node, ast.ImportFrom):
                protected.update(alias.asname or alias.name for alias in node.names)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                protected.add(node.name)
    return protected, modules


def _learner_cells(cells: list[Any], trusted: set[str]) -> list[tuple[int, str, Any]]:
    """(index, name, cell) of every code cell the learner wrote or changed."""
    out = []
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and not _is_course_code(cell, trusted):
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            out.append((index, grade_id or f"cell {index + 1}", cell))
    return out


def screen_notebook(nb: Any, trusted: set[str]) -> tuple[int | None, list[Suspicion]]:
    """The index of the first learner cell that could tamper with grading (None if none), and why.

    ``trusted`` holds the course's own cells (:func:`course_cells`): a copy of one of them is not
    learner code, an edited one is.
    """
    protected, modules = _setup_names(nb.cells, trusted)
    first, found = None, []
    for index, name, cell in _learner_cells(nb.cells, trusted):
        source = "\n".join(line for line in cell.source.splitlines()
                           if not line.lstrip().startswith(("%", "!")))  # magics are flagged below
        magics = [n for n, line in enumerate(cell.source.splitlines(), 1) if line.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue  # it fails when it runs, like any syntax error
        visitor = _Visitor(protected, set(modules))
        visitor.visit(tree)
        hits = [Suspicion(name, line, what) for line, what in visitor.found]
        hits += [Suspicion(name, line, "runs an IPython magic or a shell command") for line in magics]
        if hits and first is None:
            first = index
        found += hits
    return first, found
