"""What a graded kernel's trusted code looks like before any notebook code runs, and what changed since.

Taken by the :mod:`~autograder.grading.enclave` once JAX, numpy, the ``autograder`` package and the
kernel (IPython, ipykernel, jupyter_client, zmq) are imported: every function, class and module bound
in every loaded module, every callable in those classes, the import machinery, the kernel's hooks
(input and AST transformers, event callbacks, methods set on the shell, kernel and session objects).
:meth:`Fingerprint.changes` compares by identity only, so it never runs a learner's ``__eq__`` or
``__hash__`` on the objects it compares.
"""
from __future__ import annotations

import _signal
import _thread
import sys
from operator import is_not
from types import FunctionType, MappingProxyType, ModuleType
from typing import Any, Callable

__all__ = ["Fingerprint", "LYING_DUNDERS"]

_MISSING = object()
_type_dict = type.__dict__["__dict__"].__get__  # a class's own namespace, whatever its metaclass says
_subclasses = type.__dict__["__subclasses__"]
_type_name = type.__dict__["__name__"].__get__
_wrapper = type(object.__eq__)  # a slot inherited from a builtin type
_flags = type.__dict__["__flags__"].__get__
_mro = type.__dict__["__mro__"].__get__
_HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: classes made at run time; built-in and static C types are not
_C_SLOTS = (type(object.__eq__), type(dict.get), type(list.__dict__["__len__"]))
LYING_DUNDERS = ("__bool__", "__float__", "__int__", "__index__", "__complex__", "__len__", "__array__",
                 "__array_interface__", "__array_function__", "__array_ufunc__", "__jax_array__",
                 "__instancecheck__", "__subclasscheck__")
_COMPARISONS = ("__eq__", "__ne__")
_KERNEL_PACKAGES = {"IPython", "ipykernel", "jupyter_client", "zmq", "traitlets", "autograder"}
# the kernel itself swaps these around every request (prompts, output hooks): not part of any check
_VOLATILE = {"sys": {"displayhook", "excepthook", "stdin", "stdout", "stderr"}, "builtins": {"input", "exit", "quit"},
             "getpass": {"getpass"}}


def _bound(namespace: dict) -> dict[str, Any]:
    """The functions, classes and modules of a namespace (what a check calls), by name."""
    return {k: v for k, v in namespace.items() if type(k) is str and (callable(v) or type(v) is ModuleType)}


def _hooks(shell: Any) -> list[tuple[str, Any, list, list, Callable[[], Any]]]:
    """The kernel's lists of hooks, their entries, the entries' classes (``__class__`` can be assigned) and
    how to read the list at its place again (a new list put there is as good as a new entry): a learner's
    entry in any of them runs around every cell."""
    found = [("input_transformers_post", lambda: shell.input_transformers_post),
             ("ast_transformers", lambda: shell.ast_transformers),
             ("input_transformers_cleanup", lambda: shell.input_transformer_manager.cleanup_transforms),
             ("line_transforms", lambda: shell.input_transformer_manager.line_transforms),
             ("token_transformers", lambda: shell.input_transformer_manager.token_transformers),
             ("sys.meta_path", lambda: sys.meta_path), ("sys.path_hooks", lambda: sys.path_hooks)]
    found += [(f"events.{name}", lambda name=name: shell.events.callbacks.get(name)) for name in shell.events.callbacks]
    return [(name, hooks, list(hooks), [type(h) for h in hooks], read)
            for name, read in found for hooks in (read(),)]


class Fingerprint:
    """Identity snapshot of the trusted namespaces; :meth:`changes` names what differs now.

    ``instances``: the shell, kernel, session and compiler objects, with the methods of their class
    (a learner's callable set on the object under one of those names overrides it).
    """

    def __init__(self, kernel: Any, skip: tuple[str, ...]) -> None:
        shell = kernel.shell
        self.modules = []
        self.classes = []
        seen: set[int] = set()
        for name, module in list(sys.modules.items()):
            namespace = getattr(module, "__dict__", None)
            if name in skip or type(namespace) is not dict or module is shell.user_module:
                continue
            bound = _bound(namespace)
            for key in _VOLATILE.get(name, ()):
                bound.pop(key, None)
            self.modules.append((name, module, namespace, bound))
            for value in bound.values():
                if isinstance(value, type) and id(value) not in seen:
                    seen.add(id(value))
                    own = _type_dict(value)
                    # a new method shadowing an inherited one matters where cells are run
                    watch_new = name.split(".")[0] in _KERNEL_PACKAGES
                    self.classes.append((value, own, _bound(own), len(own) if watch_new else -1))
        # The same bindings as flat columns, compared at C speed by ``_unchanged`` (one test cell checks
        # tens of thousands of them twice); the named loops of ``changes`` only run once one differs.
        self.flat_modules = _columns((namespace, bound) for _, _, namespace, bound in self.modules)
        self.flat_classes = _columns((own, bound) for _, own, bound, _ in self.classes)
        # a module's class can be assigned (``__class__``): a subclass's properties would shadow its functions
        self.module_objects = tuple(module for _, module, _, _ in self.modules)
        self.module_names = tuple(name for name, _, _, _ in self.modules)
        self.sized_classes = [entry for entry in self.classes if entry[3] >= 0]
        self.module_types = tuple(map(type, self.module_objects))
        self.module_ids = frozenset(map(id, self.module_objects))
        self.every_class = _all_classes()  # held, so that no id of them is reused
        self.class_ids = frozenset(seen | {id(c) for c in self.every_class})
        self.hooks = _hooks(shell)
        self.instances = [(label, obj, type(obj), obj.__dict__,
                           frozenset(k for k in dir(type(obj)) if callable(getattr(type(obj), k, None)))
                           - frozenset(k for k, v in obj.__dict__.items() if callable(v)))
                          for label, obj in (("shell", shell), ("kernel", kernel), ("session", kernel.session),
                                             ("compiler", shell.compile))]
        self.user_ns = shell.user_ns
        self.shell, self.compiler = shell, shell.compile
        self.sys_modules = sys.modules
        self.gettrace, self.getprofile = sys.gettrace, sys.getprofile
        self.thread_count, self.threads = _thread._count, 1 << 30
        self.getsignal = _signal.getsignal
        self.signals = [(n, _signal.getsignal(n)) for n in _signal.valid_signals()
                        if n < 65 and n != _signal.SIGINT]  # the kernel sets SIGINT's around each request

    def modules_intact(self) -> bool:
        """Every function, class and module bound in a trusted module is still there, and no module's class
        was swapped: the quick part of :meth:`changes`, for checks as they start (class attributes need no
        look here: the enclave refuses every write to a library class as it happens)."""
        return _unchanged(dict.get, self.flat_modules) and self._module_classes_intact()

    def _module_classes_intact(self) -> bool:
        return not any(map(is_not, map(type, self.module_objects), self.module_types))

    def changes(self, classes: bool = True) -> list[str]:
        """Every trusted binding that is not the object it was at start-up (empty: nothing changed).

        ``classes=False`` leaves out the classes' own namespaces (the enclave refuses every write to a
        library class as it happens; they are compared again where a test cell ends)."""
        found = []
        modules, names, objects = self.sys_modules, self.module_names, self.module_objects
        if any(map(is_not, map(modules.get, names, objects), objects)):
            found += [f"sys.modules[{name!r}] was replaced" for name, module in zip(names, objects)
                      if modules.get(name, module) is not module]
        if not _unchanged(dict.get, self.flat_modules):
            found += [f"{name}.{key}" for name, _, namespace, bound in self.modules
                      for key, value in bound.items() if namespace.get(key, _MISSING) is not value]
        if classes and not _unchanged(MappingProxyType.get, self.flat_classes):
            found += [f"{_type_name(cls)}.{key}" for cls, own, bound, _ in self.classes
                      for key, value in bound.items() if own.get(key, _MISSING) is not value]
        for cls, own, bound, size in self.sized_classes if classes else ():
            if len(own) != size:
                found += [f"{_type_name(cls)}.{k} was added" for k, v in list(own.items())
                          if type(k) is str and k not in bound and callable(v)]
        if not self._module_classes_intact():
            found += [f"the class of module {name} was replaced"
                      for name, module, kind in zip(names, objects, self.module_types) if type(module) is not kind]
        for label, obj, cls, namespace, methods in self.instances:
            if type(obj) is not cls:
                return found + [f"the {label}'s class was replaced"]  # its attributes are no longer safe to read
            added = [k for k, v in list(namespace.items()) if type(k) is not str or callable(v) and k in methods]
            found += [f"{label}.{k} was overridden" for k in added if type(k) is str] + (
                [f"odd key in the {label}"] if any(type(k) is not str for k in added) else [])
        for name, hooks, snapshot, classes, read in self.hooks:  # read once the shell's class is known intact
            if read() is not hooks or len(hooks) != len(snapshot) or any(
                    a is not b or type(a) is not c for a, b, c in zip(hooks, snapshot, classes)):
                found.append(f"kernel hooks {name}")
        if self.shell.user_ns is not self.user_ns or self.shell.compile is not self.compiler:
            found.append("the shell's namespace or compiler was replaced")
        if self.gettrace() is not None or self.getprofile() is not None:
            found.append("a trace or profile function is set")
        if self.thread_count() > self.threads:
            found.append("a thread started by notebook code is running")
        if any(self.getsignal(n) is not handler for n, handler in self.signals):
            found.append("a signal handler was installed")
        return found

    def count_threads(self) -> None:
        """Take the kernel's own threads as the norm (once, before the first cell runs)."""
        self.threads = min(self.threads, self.thread_count())

    def rebound(self, bindings: tuple) -> list[str]:
        """Names the course's set-up bound (``(name, module, attribute)``) that no longer hold that object."""
        names = {k: v for k, v in list(self.user_ns.items()) if type(k) is str}
        start = {name: (module, bound) for name, module, _, bound in self.modules}
        found = []
        for name, module_name, attr in bindings:
            if module_name not in start:
                continue  # not loaded at start-up: nothing trusted to compare with
            module, bound = start[module_name]
            expected = module if not attr else bound.get(attr, _MISSING)
            if expected is not _MISSING and names.get(name, _MISSING) is not expected:
                found.append(f"{name!r} no longer is {module_name}{'.' + attr if attr else ''}")
        return found

    def liars(self, trusted: tuple[str, ...]) -> list[str]:
        """Classes made after start-up whose conversions or comparisons were not written by a library.

        A checker that calls ``float()``, ``bool()`` or ``numpy.asarray`` on a learner's value runs
        these; they are found whether or not an object of the class is still around.
        """
        found, stack, seen = [], [object], set(self.class_ids)
        while stack:
            cls = stack.pop()
            for sub in _subclasses(cls):
                if id(sub) in seen:
                    if id(sub) in self.class_ids:
                        stack.append(sub)
                    continue
                seen.add(id(sub))
                stack.append(sub)
                if not _flags(sub) & _HEAP_TYPE:
                    continue  # a static C type (memoryview...): no notebook code can make one
                own = _type_dict(sub)
                lies = [d for d in LYING_DUNDERS if d in own and not _honest(own[d], sub, trusted)]
                lies += [d for d in _COMPARISONS if d in own and _written_in_a_cell(own[d], trusted)]
                if lies:
                    found.append(f"class {_type_name(sub)!r}, made by notebook code, defines {', '.join(lies)}")
        return found


def _columns(namespaces: Any) -> tuple[tuple, tuple, tuple]:
    """``(namespace, key, value)`` of every binding, as three parallel tuples."""
    rows = [(namespace, key, value) for namespace, bound in namespaces for key, value in bound.items()]
    return tuple(r[0] for r in rows), tuple(r[1] for r in rows), tuple(r[2] for r in rows)


def _unchanged(get: Any, columns: tuple[tuple, tuple, tuple]) -> bool:
    """Every key still holds its object (``get`` is the C ``get`` of the namespaces' type: no learner code
    runs; a missing key reads as ``None``, which no recorded binding is)."""
    namespaces, keys, values = columns
    return not any(map(is_not, map(get, namespaces, keys), values))


def _all_classes() -> list[type]:
    found, stack, seen = [], [object], {id(object)}
    while stack:
        for sub in _subclasses(stack.pop()):
            if id(sub) not in seen:
                seen.add(id(sub))
                found.append(sub)
                stack.append(sub)
    return found


def _library_function(value: Any, trusted: tuple[str, ...]) -> bool:
    return type(value) is FunctionType and value.__code__.co_filename.startswith(trusted)


def _honest(value: Any, cls: type, trusted: tuple[str, ...]) -> bool:
    """A dunder that cannot lie: a library's function, ``None`` (switched off, as numpy's
    ``__array_ufunc__ = None``), or a C slot of a class in ``cls``'s own MRO (``array.array.__len__``:
    it does what the built-in type does, and refuses any other object)."""
    if value is None or _library_function(value, trusted):
        return True
    return type(value) in _C_SLOTS and value.__objclass__ in _mro(cls)


def _written_in_a_cell(value: Any, trusted: tuple[str, ...]) -> bool:
    """A comparison written in notebook code (a dataclass's generated ``__eq__``, from ``<string>``, is not)."""
    if type(value) is not FunctionType:
        return type(value) is not _wrapper  # a builtin's bound method lies as well as a lambda
    filename = value.__code__.co_filename
    return not filename.startswith(trusted) and not filename.startswith("<")
