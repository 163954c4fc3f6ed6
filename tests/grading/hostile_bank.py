"""Hostile and broken submissions of the fixture assignment, each with the score it must get.

The fixture has 6 points: ``ex1_double_test`` (1), ``ex1_double_test_hidden`` (2), ``ex2_total_test``
(2) and ``ex3_stderr_test`` (1, it calls ``double``). A tampering submission starts from wrong
answers (``double`` returns ``x``, ``total`` loops: 0 honest points) and tries to raise its score;
a broken one starts from the right answers where its content deserves them. ``reason`` is a piece of
the run log's reason or notes that explains the score.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Callable

import nbformat

WRONG_DOUBLE = "def double(x):\n    return x\n"
WRONG_TOTAL = "def total(xs):\n    s = 0.0\n    for v in xs:\n        s = s + v\n    return s\n"
RIGHT_DOUBLE = "def double(x):\n    return 2 * x\n"
RIGHT_TOTAL = "def total(xs):\n    return jnp.sum(xs)\n"


@dataclass
class Case:
    name: str
    score: float
    reason: str
    write: Callable[[str, nbformat.NotebookNode, dict], None]  # (folder, released notebook, course paths)


def _answers(nb: nbformat.NotebookNode, double: str, total: str) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "ex1_double":
            cell.source = double
        elif grade_id == "ex2_total":
            cell.source = total
    return nb


def _save(folder: str, nb: nbformat.NotebookNode, name: str = "00_fixture.ipynb") -> None:
    os.makedirs(folder, exist_ok=True)
    nbformat.write(nb, os.path.join(folder, name))


def _wrong_with(attack: str, where: str = "ex1_double") -> Callable:
    """Wrong answers, and ``attack`` added to a solution cell."""
    def write(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
        nb = _answers(released, WRONG_DOUBLE, WRONG_TOTAL)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == where:
                cell.source += "\n" + attack.format(**paths)
        _save(folder, nb)
    return write


def _right_with(attack: str) -> Callable:
    """Right answers, and ``attack`` (a broken or greedy but not cheating cell) after them."""
    def write(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
        nb = _answers(released, RIGHT_DOUBLE, RIGHT_TOTAL)
        nb.cells.append(nbformat.v4.new_code_cell(attack.format(**paths)))
        _save(folder, nb)
    return write


def _right_then(attack: str) -> Callable:
    """Right answers, then ``attack`` in the first solution cell, before any test runs."""
    def write(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
        nb = _answers(released, RIGHT_DOUBLE + "\n" + attack.format(**paths), RIGHT_TOTAL)
        _save(folder, nb)
    return write


def _raw(data: bytes, name: str = "00_fixture.ipynb") -> Callable:
    def write(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    return write


def _edit(change: Callable[[nbformat.NotebookNode], None], double: str = RIGHT_DOUBLE,
          total: str = RIGHT_TOTAL) -> Callable:
    def write(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
        nb = _answers(released, double, total)
        change(nb)
        _save(folder, nb)
    return write


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _retype(grade_id: str) -> Callable:
    def change(nb: nbformat.NotebookNode) -> None:
        cell = _cell(nb, grade_id)
        index = nb.cells.index(cell)
        md = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)
        nb.cells[index] = md
    return change


def _duplicate(grade_id: str) -> Callable:
    def change(nb: nbformat.NotebookNode) -> None:
        cell = _cell(nb, grade_id)
        nb.cells.insert(nb.cells.index(cell) + 1, nbformat.from_dict(json.loads(json.dumps(cell))))
    return change


def _delete(grade_id: str) -> Callable:
    def change(nb: nbformat.NotebookNode) -> None:
        nb.cells.remove(_cell(nb, grade_id))
    return change


def _old_format(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
    nb = _answers(released, RIGHT_DOUBLE, RIGHT_TOTAL)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "00_fixture.ipynb"), "w") as f:
        f.write(nbformat.writes(nbformat.convert(nb, 3), version=3))


def _unknown_format(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
    nb = json.loads(nbformat.writes(_answers(released, RIGHT_DOUBLE, RIGHT_TOTAL)))
    nb["nbformat"] = 99
    _raw(json.dumps(nb).encode())(folder, released, paths)


def _symlink_to_solutions(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
    os.makedirs(folder, exist_ok=True)
    os.symlink(paths["solution"], os.path.join(folder, "00_fixture.ipynb"))


def _shadow_module(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
    _save(folder, _answers(released, WRONG_DOUBLE, WRONG_TOTAL))
    with open(os.path.join(folder, "autograder.py"), "w") as f:
        f.write("import jax\nclass Finding:\n    def __init__(self, **k): self.__dict__.update(k)\n"
                "def iter_eqns(j): return []\ndef raise_findings(f): pass\ndef trace(f, *a): return None\n"
                "import jax.numpy as _jnp\n_jnp.allclose = lambda *a, **k: True\n")


def _wrong_name(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
    _save(folder, _answers(released, RIGHT_DOUBLE, RIGHT_TOTAL), name="00_Fixture (1).ipynb")


def _empty(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
    os.makedirs(folder, exist_ok=True)


def _fake_outputs(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
    nb = _answers(released, WRONG_DOUBLE, WRONG_TOTAL)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="all tests passed\n")]
            cell.execution_count = 1
    _save(folder, nb)


def _inflated_points(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
    nb = _answers(released, WRONG_DOUBLE, WRONG_TOTAL)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            meta.update(grade=True, points=100)
        if meta.get("grade"):
            meta["points"] = 100
    _save(folder, nb)


def _renamed_test(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
    nb = _answers(released, WRONG_DOUBLE, WRONG_TOTAL)
    cell = _cell(nb, "ex2_total_test")
    cell.metadata["nbgrader"]["grade_id"] = "my_own_test"
    cell.source = "pass"
    _save(folder, nb)


def _unlocked_test(folder: str, released: nbformat.NotebookNode, paths: dict) -> None:
    nb = _answers(released, WRONG_DOUBLE, WRONG_TOTAL)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta["locked"] = False
            cell.source = "pass"
    _save(folder, nb)


IP = "get_ipython()"
_IP_HIDDEN = "eval('get_' + 'ipython')()"
_PAYLOAD = "aW1wb3J0IGpheC5udW1weSBhcyBtCm0uYWxsY2xvc2UgPSBsYW1iZGEgKmEsICoqazogVHJ1ZQ=="  # m.allclose = ...
_SWALLOW = ("import ast as _a\nclass _S(_a.NodeTransformer):\n    def visit_Module(self, node):\n"
            "        return _a.Module(body=[_a.Try(body=node.body, handlers=[_a.ExceptHandler(body=[_a.Pass()])],"
            " orelse=[], finalbody=[])], type_ignores=[])\n")
# the same moves, hidden from a reading of the code: the kernel's enclave must catch each one
OBFUSCATED = [
    Case("obf_setattr_allclose", 0, "jax.numpy.allclose", _wrong_with(
        "setattr(__import__('jax.numpy', fromlist=['_']), 'all' + 'close', lambda *a, **k: True)")),
    Case("obf_exec_base64", 0, "jax.numpy.allclose",
         _wrong_with(f"exec(__import__('base64').b64decode({_PAYLOAD!r}))")),
    Case("obf_sys_modules", 0, "no longer is jax.numpy", _wrong_with(
        "_s = __import__('sys')\n_m = type(_s)('jax.numpy')\n_m.__dict__.update(vars(_s.modules['jax.numpy']))\n"
        "_m.allclose = lambda *a, **k: True\n_s.modules['jax.numpy'] = _m\nglobals()['j' + 'np'] = _m")),
    Case("obf_patch_at_call_time", 0, "jax.numpy.allclose", _edit(lambda nb: None, double=(
        "def double(x):\n    setattr(__import__('jax.numpy', fromlist=['_']), 'all' + 'close', lambda *a, **k: True)\n"
        "    return x\n"), total=WRONG_TOTAL)),
    Case("obf_session_patch", 0, "session.send was overridden", _wrong_with(
        f"_k = {_IP_HIDDEN}.kernel\n_send = _k.session.send\n"
        "def _quiet(stream, msg_or_type, *a, **k):\n"
        "    kind = msg_or_type if isinstance(msg_or_type, str) else msg_or_type.get('msg_type')\n"
        "    return None if kind == 'error' else _send(stream, msg_or_type, *a, **k)\n_k.session.send = _quiet")),
    Case("obf_ast_transformer", 0, "a cell's code changed between parsing and running",
         _wrong_with(_SWALLOW + f"{_IP_HIDDEN}.ast_transformers.append(_S())")),
    Case("obf_input_transformer", 0, "not in the grading enclave's sight",
         _wrong_with(f"{_IP_HIDDEN}.input_transformers_post.append(lambda lines: ['pass\\n'])")),
    Case("obf_run_code_class", 0, "run_code was added", _wrong_with(
        f"_cls = type({_IP_HIDDEN})\nasync def _run(self, code, result=None, *, async_=False):\n"
        "    try:\n        exec(code, self.user_global_ns, self.user_ns)\n    except Exception:\n        pass\n"
        "    return False\nsetattr(_cls, 'run_' + 'code', _run)")),
    Case("obf_settrace", 0, "sys.settrace", _wrong_with("getattr(__import__('sys'), 'set' + 'trace')(lambda *a: None)")),
    Case("obf_thread", 0, "a thread started by notebook code",
         _wrong_with("__import__('threading').Thread(target=__import__('time').sleep, args=(60,)).start()")),
    Case("obf_gc_walk", 0, "gc.get_referrers", _wrong_with("__import__('g' + 'c').get_referrers(jnp)")),
    Case("obf_ctypes", 0, "ctypes.", _wrong_with("__import__('ctypes').pythonapi.PyObject_Repr")),
    Case("obf_code_swap", 0, "a library function's __code__", _wrong_with(
        "(lambda f: setattr(f, '__co' + 'de__', (lambda *a, **k: None).__code__))(raise_findings)")),
    Case("obf_lying_type", 0, "defines __bool__, __float__", _edit(lambda nb: None, double=(
        "_L = type('L', (), {'__fl' + 'oat__': lambda s: 2.0, '__bo' + 'ol__': lambda s: True})\n"
        "def double(x):\n    return _L()\n"), total=WRONG_TOTAL)),
]
CASES = [
    # inside the kernel: tampering with the checks (0 honest points, must stay 0)
    Case("rebind_checker", 0, "rebinds 'raise_findings'", _wrong_with("raise_findings = lambda findings: None")),
    Case("rebind_checker_by_def", 0, "rebinds 'iter_eqns'",
         _wrong_with("def iter_eqns(jaxpr):\n    return []")),
    Case("patch_jnp_allclose", 0, "patches jnp.allclose", _wrong_with("jnp.allclose = lambda *a, **k: True")),
    Case("patch_autograder_module", 0, "imports autograder",
         _wrong_with("import autograder\nautograder.raise_findings = lambda f: None")),
    Case("patch_numpy", 0, "patches numpy.allclose",
         _wrong_with("import numpy\nnumpy.allclose = lambda *a, **k: True")),
    Case("patch_builtins", 0, "imports builtins",
         _wrong_with("import builtins\nbuiltins.bool = lambda x: True\nbuiltins.isinstance = lambda *a: True")),
    Case("patch_builtins_dunder", 0, "uses __builtins__",
         _wrong_with("__builtins__.float = lambda x: 2.0")),
    Case("patch_make_jaxpr", 0, "patches jax.make_jaxpr",
         _wrong_with("jax.make_jaxpr = lambda f, **k: (lambda *a: jax.make_jaxpr(lambda: 0)())")),
    Case("patch_monitoring", 0, "patches jax.monitoring",
         _wrong_with("jax.monitoring = None")),
    Case("ipython_custom_exc", 0, "uses get_ipython",
         _wrong_with(f"{IP}.set_custom_exc((BaseException,), lambda *a, **k: None)")),
    Case("ipython_event_hook", 0, "uses get_ipython",
         _wrong_with(f"{IP}.events.register('pre_run_cell', lambda info: None)")),
    Case("input_transformer", 0, "uses get_ipython",
         _wrong_with(f"{IP}.input_transformers_post.append(lambda lines: ['pass\\n'])")),
    Case("run_cell_override", 0, "uses get_ipython",
         _wrong_with(f"_ip = {IP}\n_orig = _ip.run_cell\n_ip.run_cell = lambda raw_cell, *a, **k: _orig('pass', *a, **k)")),
    Case("ast_transformer", 0, "uses get_ipython",
         _wrong_with("import ast\nclass Swallow(ast.NodeTransformer):\n    def visit_Module(self, node):\n"
                     "        return ast.Module(body=[ast.Try(body=node.body, handlers=[ast.ExceptHandler(body=[ast.Pass()])],"
                     " orelse=[], finalbody=[])], type_ignores=[])\n"
                     f"{IP}.ast_transformers.append(Swallow())")),
    Case("settrace", 0, "imports sys", _wrong_with("import sys\nsys.settrace(lambda *a: None)")),
    Case("session_patch", 0, "uses get_ipython",
         _wrong_with(f"_k = {IP}.kernel\n_send = _k.session.send\n"
                     "def _quiet(stream, msg_or_type, *a, **k):\n"
                     "    kind = msg_or_type if isinstance(msg_or_type, str) else msg_or_type.get('msg_type')\n"
                     "    return None if kind == 'error' else _send(stream, msg_or_type, *a, **k)\n"
                     "_k.session.send = _quiet")),
    Case("shadow_autograder", 0, "autograder.py was not given to the kernel", _shadow_module),
    Case("detect_grading", 0, "looks for nbgrader",
         _wrong_with("import os\nif os.environ.get('NBGRADER_EXECUTION'):\n    def double(x):\n        return 2 * x")),
    Case("obfuscated_import", 0, "uses __import__",
         _wrong_with("getattr(__import__('built' + 'ins'), 'bo' + 'ol')")),
    Case("exec_string", 0, "uses exec", _wrong_with("exec('jnp.allclose = lambda *a, **k: True')")),
    Case("globals_patch", 0, "uses globals", _wrong_with("globals()['raise_findings'] = lambda f: None")),
    Case("lying_dunders", 0, "defines __float__",
         _wrong_with("class Liar:\n    def __eq__(self, other): return True\n    def __bool__(self): return True\n"
                     "    def __float__(self): return 2.0\n    def __array__(self, *a, **k):\n"
                     "        import numpy\n        return numpy.zeros(3)\n"
                     "    def __jax_array__(self): return jnp.zeros(3)\n"
                     "def double(x):\n    return Liar()")),
    Case("edit_setup_cell", 0, "locked cell 'imports' was edited",
         _edit(lambda nb: setattr(_cell(nb, "imports"), "source", _cell(nb, "imports").source +
                                  "\nraise_findings = lambda f: None\njnp.allclose = lambda *a, **k: True"),
               WRONG_DOUBLE, WRONG_TOTAL)),
    Case("unlocked_tests", 0, "was edited", _unlocked_test),
    Case("renamed_test", 0, "metadata may be corrupted", _renamed_test),
    Case("fake_outputs", 0, "", _fake_outputs),
    Case("inflated_points", 0, "", _inflated_points),
    Case("ipython_magic", 0, "runs an IPython magic", _wrong_with("%alias_magic t timeit")),
    # on disk and the network: nothing of the course is visible from the jail
    Case("read_solutions", 0, "", _wrong_with(
        "import json as _j\n_src = _j.load(open({solution!r}))\n"
        "exec(''.join(c['source'] for c in _src['cells'] if c['metadata'].get('nbgrader', {{}}).get('solution')))")),
    Case("write_gradebook", 0, "uses open", _wrong_with("open({gradebook!r}, 'wb').write(b'')")),
    Case("overwrite_classmate", 0, "uses open", _wrong_with("open({classmate!r}, 'w').write('{{}}')")),
    Case("network", 0, "imports socket",
         _wrong_with("import socket\nsocket.create_connection(('127.0.0.1', 5432), 1)")),
    Case("symlink_to_solutions", 0, "symbolic link", _symlink_to_solutions),
    # broken or greedy, no cheating: graded on their content
    Case("lone_surrogate_output", 6, "", _right_with("print('\\ud800 and \\udfff')")),
    Case("huge_output", 6, "", _right_with("for _ in range(200):\n    print('x' * 200_000)")),
    Case("memory_hog", 6, "", _right_with("try:\n    _big = bytearray(20 << 30)\nexcept MemoryError:\n    print('no')")),
    Case("stray_processes", 6, "", _right_with(
        "import subprocess as sp\nfor _ in range(50):\n    sp.Popen(['sleep', '1000'], start_new_session=True)")),
    Case("kill_everything", 0, "uses os.kill", _right_then("import os\nos.kill(-1, 9)")),
    Case("kill_parent", 0, "uses os.kill", _right_then("import os\nos.kill(os.getppid(), 9)")),
    Case("exit_kernel", 0, "kernel died", _right_then("import os\nos._exit(3)")),
    Case("huge_file", 6, "", _right_then("import numpy\ntry:\n    numpy.save('big.npy', numpy.zeros(300 << 20, 'u1'))\n"
                                         "except OSError as err:\n    print(err)")),
    Case("endless_sleep", 0, "timeout", _right_with("import time\ntime.sleep(10_000)")),
    Case("empty_folder", 0, "empty submission", _empty),
    Case("wrong_file_name", 0, "wrong file name", _wrong_name),
    Case("invalid_json", 0, "not valid notebook JSON", _raw(b'{"cells": [')),
    Case("not_utf8", 0, "not UTF-8", _raw(b'{"cells": [], "metadata": {}, "nbformat": 4, "x": "\xff\xfe"}')),
    Case("unknown_nbformat", 0, "unsupported notebook format", _unknown_format),
    Case("old_nbformat_v3", 6, "", _old_format),
    Case("deleted_test", 4, "'ex2_total_test' was deleted", _edit(_delete("ex2_total_test"))),
    Case("duplicated_test", 6, "", _edit(_duplicate("ex1_double_test"))),
    Case("retyped_test", 6, "", _edit(_retype("ex1_double_test"))),
    Case("retyped_solution", 6, "", _edit(_retype("ex1_double"))),
    Case("extra_cells", 6, "", _right_with("y = double(jnp.ones(2))\nprint(y)")),
] + OBFUSCATED
