"""The enclave: a PEP 578 audit hook installed in each graded kernel before any notebook code runs.

The grader starts the jailed kernel as ``python -P -m autograder.grading.enclave KEY RECORD -f ...``
instead of ``ipykernel_launcher``. Before the kernel serves its first cell this module reads (and
deletes) the key the grader left for it, imports the trusted code (JAX, numpy, ``autograder``, the
kernel), takes its :class:`~autograder.grading.fingerprint.Fingerprint` and installs an audit hook,
which no Python code can remove. The key, the record's file descriptor and the fingerprint live only
in the hook's closure, which nothing reachable from Python refers to. Then:

- *Refused* while learner code (anything not loaded from the read-only environment) is on the
  stack: trace and profile functions, ``gc`` walks, ``ctypes``, new threads (where Python audits them;
  a thread still running voids the next test cell), new audit hooks, reading
  ``/proc/*/mem`` or the grader's socket folder; called by learner code: ``marshal`` loads, new code
  objects, editing a trusted function's code or defaults, compiling code that claims a library's file
  name or a test cell's. Each refusal is recorded, and the test cell it happens in earns nothing.
- *Attested*: the grader adds a first and a last line to each test cell that raise the audit event
  ``autograder.enclave`` (:mod:`~autograder.grading.marker_lines`, a kernel hook fingerprinted with the
  rest, keeps them out of the cell's line numbers). The hook accepts them only from the cell's own code,
  compiled by the kernel from the source the grader sent, run in the notebook's namespace. At both it
  compares the trusted code with the fingerprint and the set-up's names with what they were bound to; at
  the end it also looks for objects of new classes that lie to the checks (``__bool__``, ``__array__``...).
  As each ``autograder`` check starts inside a test cell it compares again (a patch made by the learner's
  function just before the check, and undone by the patched code itself, is seen there).
- *Reported* on a channel the learner cannot forge: each event is a line of an append-only file in the
  grader's folder, chained by an HMAC whose key the kernel never shows. The grader awards a test cell
  only if its last line was attested clean (:mod:`~autograder.grading.attest`).
"""
from __future__ import annotations

import os
import sys
import sysconfig

__all__ = ["EVENT", "main"]

from ..notebook import CHECK_EVENT
from .enclave_launch import EVENT
_REFUSED_ON_STACK = frozenset({
    "sys.settrace", "sys.setprofile", "sys._settraceallthreads", "sys._setprofileallthreads", "gc.get_objects",
    "gc.get_referrers", "gc.get_referents", "sys.addaudithook", "_thread.start_new_thread", "sys._current_frames",
    "sys._current_exceptions", "sys.remote_exec", "cpython.remote_debugger_script"})
_REFUSED_FROM_LEARNER = frozenset({"marshal.loads", "marshal.load", "code.__new__"})
_CODE_ATTRIBUTES = frozenset({"f_code", "__code__"})
_WATCHED = _REFUSED_ON_STACK | _REFUSED_FROM_LEARNER | {EVENT, CHECK_EVENT, "compile", "open",
                                                        "object.__setattr__", "object.__delattr__"}
_TRUSTED_MODULES = ("numpy", "jax", "jax.numpy", "autograder", "IPython", "ipykernel.ipkernel", "jupyter_client",
                    "zmq", "ctypes", "hmac", "hashlib")


def _trusted_prefixes() -> tuple[str, ...]:
    """Where trusted code lives: the read-only environment (never the learner's home or /tmp)."""
    import autograder

    paths = {sys.prefix, sys.base_prefix, os.path.dirname(os.path.abspath(autograder.__file__))}
    paths.update(sysconfig.get_path(k) for k in ("stdlib", "platstdlib", "purelib", "platlib"))
    return tuple(p.rstrip("/") + "/" for p in paths if p and p not in ("/", "/tmp", "/home")) + ("<frozen ",)


def _load_trusted() -> None:
    """Import the code the checks rely on, and the whole ``autograder`` package, before sealing."""
    import importlib
    import pkgutil

    for name in _TRUSTED_MODULES:
        importlib.import_module(name)
    import autograder

    for info in pkgutil.walk_packages(autograder.__path__, "autograder."):
        if not info.name.startswith(("autograder.grading", "autograder.__main__")):
            try:
                importlib.import_module(info.name)
            except Exception:  # noqa: BLE001 - an optional extra that is not installed
                pass


def _no_dumping() -> None:
    """Other processes of the same user may not read this one's memory (``PR_SET_DUMPABLE`` 0)."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _make_hook(key: bytes, fd: int, fingerprint, private: str):  # noqa: C901 - one closure on purpose
    """The audit hook; everything it uses is captured here, out of the learner's reach."""
    import _hashlib
    from types import FunctionType

    import autograder

    from IPython.core.compilerop import CachingCompiler

    from .cell_trees import node_types as ast_node_types
    from .cell_trees import same_statements, statements

    getframe, write, mac_of, fn_type = sys._getframe, os.write, _hashlib.hmac_digest, FunctionType
    trusted = _trusted_prefixes()
    checkers = os.path.dirname(os.path.abspath(autograder.__file__)) + "/"  # the course's own detectors
    changes, rebound, liars, modules_intact = (fingerprint.changes, fingerprint.rebound, fingerprint.liars,
                                               fingerprint.modules_intact)
    user_ns, class_ids, module_ids = fingerprint.user_ns, fingerprint.class_ids, fingerprint.module_ids
    sources: dict[str, bytes] = {}  # file name -> the source compiled under it, whitespace removed
    trees: dict[str, frozenset[str] | None] = {}  # file name -> the statements parsed from that source
    node_types = ast_node_types()
    cell_parser = CachingCompiler.ast_parse.__code__  # where IPython parses each cell's text
    state = {"busy": False, "framing": False, "parsing": False, "parsed": None, "seq": 0, "chain": b"",
             "refusals": 0, "cell": None, "problems": []}

    def emit(kind: str, name: str, detail: str) -> None:
        state["seq"] += 1
        fields = (str(state["seq"]), kind, name, detail)
        body = "\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields).encode("utf-8", "replace")
        chain = mac_of(key, state["chain"] + body, "sha256")
        state["chain"] = chain
        write(fd, body + b"\t" + chain.hex().encode() + b"\n")

    def learner_on_stack(frame) -> bool:
        while frame is not None:
            if not frame.f_code.co_filename.startswith(trusted):
                return True
            frame = frame.f_back
        return False

    def refuse(event: str, why: str) -> None:
        state["refusals"] += 1
        emit("refused", repr(event)[:80], why)
        raise PermissionError(f"{event} is not allowed in a graded notebook (the grader recorded it)")

    def on_compile(caller, args) -> None:
        source, filename = args[0], args[1]
        text = type(source) is str or type(source) is bytes
        if not text:  # an AST: the kernel compiles cells this way, notebook code may not
            if learner_on_stack(caller):
                refuse("compile", "compiling a syntax tree from notebook code")
            # the audit event names no file for a tree: it is the kernel's, of the cell it parsed last
            parsed = state["parsed"]
            expected = trees.get(parsed) if parsed is not None else None
            if expected is not None and not same_statements(source, expected, node_types):
                sources[parsed] = b"(two sources)"
                refuse("compile", "a cell's code changed between parsing and running (a syntax-tree hook)")
            return
        if type(filename) is not str:
            return
        if caller is not None and caller.f_code is cell_parser and not learner_on_stack(caller):
            state["parsed"] = filename  # the kernel parsing a cell: what it compiles next must be this
            if filename not in trees:
                state["parsing"] = True  # the parser's own compile event is the hook's
                try:
                    trees[filename] = statements(source)
                finally:
                    state["parsing"] = False
        if filename.startswith("<"):
            return
        by_learner = caller is not None and not caller.f_code.co_filename.startswith(trusted)
        if by_learner and filename.startswith(trusted):
            refuse("compile", f"code claiming the file name {filename[:120]!r}")
        squashed = b"".join((source.encode("utf-8", "surrogatepass") if type(source) is str else source).split())
        if not sources:  # the first cell: the kernel has started all its own threads
            fingerprint.count_threads()
        known = sources.setdefault(filename, squashed)
        if known != squashed:
            sources[filename] = b"(two sources)"  # no marker from this file name is believed again
            if by_learner:
                refuse("compile", "other code under a cell's file name")

    def on_marker(caller, args) -> None:
        phase, name = args[0], args[1]
        if type(phase) is not str or type(name) is not str or caller is None:
            return refuse(EVENT, "a marker with odd arguments")
        filename = caller.f_code.co_filename
        if sources.get(filename, b"(two sources)") == b"(two sources)":
            return refuse(EVENT, f"a marker for {name!r} in code the kernel did not compile from a cell")
        if caller.f_globals is not user_ns:
            return refuse(EVENT, f"a marker for {name!r} run outside the notebook's namespace")
        if phase == "begin":
            bindings = args[2] if len(args) > 2 and type(args[2]) is tuple else ()
            state["cell"] = (name, filename, state["refusals"], bindings)
            state["problems"] = changes(classes=False) + rebound(bindings)
            if state["problems"]:  # recorded even if the test then fails on its own
                emit("changed", name, " | ".join(state["problems"]))
            return None
        cell, state["cell"] = state["cell"], None
        if phase != "end" or cell is None or cell[:3] != (name, filename, state["refusals"]):
            emit("broken", name, "the test cell did not run straight through")
            return None
        problems = state["problems"] + changes() + rebound(cell[3]) + liars(trusted)
        digest = mac_of(b"", sources[filename], "sha256").hex()
        emit("pass", name, digest + (" " + " | ".join(problems) if problems else ""))
        return None

    def on_check(caller) -> None:
        """An ``autograder`` check starts inside a test cell: the trusted code must be intact right now."""
        cell = state["cell"]
        if cell is None or caller is None or not caller.f_code.co_filename.startswith(checkers):
            return
        found = rebound(cell[3]) if modules_intact() else changes() + rebound(cell[3])
        new = [p for p in found if p not in state["problems"]]
        if new:
            state["problems"] += new
            emit("changed", cell[0], " | ".join(new))

    def on_setattr(caller, args) -> None:
        target, name = args[0], args[1]
        if caller is None or caller.f_code.co_filename.startswith(trusted):
            return
        name = name if type(name) is str else "an attribute"
        if type(target) is fn_type and target.__code__.co_filename.startswith(trusted):
            refuse("object.__setattr__", f"a library function's {name}")
        if name == "__class__" and id(target) in module_ids:
            refuse("object.__setattr__", "a library module's __class__")
        if id(target) in class_ids:
            refuse("object.__setattr__", f"a library class's {name}")

    def decide(event: str, args: tuple) -> None:
        state["framing"] = True
        try:
            caller = getframe(2)
        except ValueError:
            caller = None
        finally:
            state["framing"] = False
        if event == EVENT:
            return on_marker(caller, args)
        if event == "compile":
            return on_compile(caller, args)
        if event == CHECK_EVENT:
            return on_check(caller)
        if event in ("object.__setattr__", "object.__delattr__"):
            return on_setattr(caller, args)
        if event in _REFUSED_FROM_LEARNER:
            if caller is not None and not caller.f_code.co_filename.startswith(trusted):
                refuse(event, "called by notebook code")
            return None
        if event == "open":
            path = args[0]
            if type(path) is str and (path.startswith(private) or path.startswith("/proc/") and "mem" in path):
                if learner_on_stack(caller):
                    refuse(event, f"opening {path[:120]!r}")
            return None
        if event in _REFUSED_ON_STACK or event.startswith("ctypes."):
            own_checker = caller is not None and caller.f_code.co_filename.startswith(checkers)
            if not own_checker and learner_on_stack(caller):  # a course detector may trace; bdb may not
                refuse(event, "with notebook code on the stack")
        return None

    def hook(event: str, args: tuple) -> None:
        if state["busy"]:  # only the hook's own reads may raise events while it runs
            if event == "builtins.id" or event == "sys._getframe" and state["framing"] or (
                    event == "compile" and state["parsing"]) or (
                    event == "object.__getattr__" and args[1] in _CODE_ATTRIBUTES):
                return
            raise PermissionError("notebook code ran inside the grader's audit hook")
        if event not in _WATCHED and not event.startswith("ctypes."):
            return
        state["busy"] = True
        try:
            decide(event, args)
        except PermissionError:
            raise
        except Exception as err:  # noqa: BLE001 - a fault here must never let a test cell pass
            state["refusals"] += 1
            emit("error", repr(event)[:80], type(err).__name__)
        finally:
            state["busy"] = False

    emit("sealed", "", f"{len(fingerprint.modules)} modules, {len(fingerprint.classes)} classes")
    return hook


def _seal(key: bytes, fd: int, kernel, private: str) -> None:
    """Take the fingerprint and install the hook: from here on, nothing can undo it."""
    from . import cell_trees  # noqa: F401 - the hook's; imported before the fingerprint, which then covers it
    from .fingerprint import Fingerprint
    from .marker_lines import MarkerLines

    kernel.shell.ast_transformers.append(MarkerLines())  # before the fingerprint, which then holds it
    fingerprint = Fingerprint(kernel, skip=("__main__", __name__))
    sys.addaudithook(_make_hook(key, fd, fingerprint, private.rstrip("/") + "/"))


def main(argv: list[str] | None = None) -> None:
    """Start the kernel (``ipykernel``'s own app) with the enclave installed; ``argv``: KEY RECORD kernel-args."""
    argv = list(sys.argv[1:] if argv is None else argv)
    key_path, record_path = argv[0], argv[1]
    with open(key_path, "rb") as f:
        key = f.read()
    os.unlink(key_path)
    fd = os.open(record_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    _no_dumping()
    _load_trusted()
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(argv[2:])
    _seal(key, fd, app.kernel, os.path.dirname(record_path))
    del key
    app.start()


if __name__ == "__main__":
    main()
