"""The enclave in a real jailed kernel: every tampering move is refused or seen, honest code is attested.

Each notebook has the course's set-up, one learner cell (a wrong ``double`` plus an attack, written
so that the static screen is not what stops it) and three test cells of the kinds the chapters use:
a raw ``jnp.allclose`` check, an ``autograder`` helper and a ``float()`` comparison. Where an attack
fools the kernel (a test cell shows no error, so plain nbgrader would award it), the enclave must
still withhold every point, and say why.
"""
from __future__ import annotations

import base64
import re

import nbformat
import pytest

from .helpers import run_attested

pytestmark = pytest.mark.slow

SETUP = "import jax\nimport jax.numpy as jnp\nfrom autograder import assert_close\n"
TESTS = {
    "t_allclose": "x = jnp.arange(3.0)\nyours, expected = double(x), 2 * x\n"
                  "if not bool(jnp.allclose(jnp.asarray(yours), expected)):\n    raise AssertionError('double is wrong')",
    "t_helper": "assert_close(double(jnp.arange(3.0)), 2 * jnp.arange(3.0))",
    "t_float": "assert float(double(jnp.float32(1.0))) == 2.0",
}
# library modules first imported by a learner's cell, whose classes hold C slots (array.array.__len__)
# and switched-off hooks (numpy's ABCPolyBase.__array_ufunc__ = None): not lies (seen in chapter 3)
LAZY_IMPORTS = "import array\nimport numpy.polynomial\nbuf = memoryview(array.array('d', [1.0]))\n"
RIGHT = "def double(x):\n    return 2 * x\n"
WRONG = "def double(x):\n    return x\n"
_PAYLOAD = base64.b64encode(b"import jax.numpy as m\nm.allclose = lambda *a, **k: True").decode()
_SWALLOW = ("import ast as _a\nclass _S(_a.NodeTransformer):\n    def visit_Module(self, node):\n"
            "        return _a.Module(body=[_a.Try(body=node.body, handlers=[_a.ExceptHandler(body=[_a.Pass()])],"
            " orelse=[], finalbody=[])], type_ignores=[])\n")
_IP = "eval('get_' + 'ipython')()"
# the kernel's own AST transformer (the marker lines) given a class that swallows a test's error but still
# runs the end marker: the marked text is unchanged, so only the changed hook gives it away
_SWAP_CLASS = ("import ast as _a\nclass _E:\n    __slots__ = ()\n    def visit(self, node):\n"
               "        node.body = [_a.Try(body=node.body[:-1], handlers=[_a.ExceptHandler(body=[_a.Pass()])],"
               " orelse=[], finalbody=[]), node.body[-1]]\n        return node\n"
               f"for _t in {_IP}.ast_transformers:\n    setattr(_t, '__cl' + 'ass__', _E)")

# takes itself off the list as it rewrites the next cell: the list of hooks looks untouched afterwards
_SELF_REMOVING = ("import ast as _a\nclass _G:\n    def visit(self, node):\n"
                  f"        {_IP}.ast_transformers.remove(self)\n"
                  "        node.body = [_a.Try(body=node.body[:-1], handlers=[_a.ExceptHandler(body=[_a.Pass()])],"
                  " orelse=[], finalbody=[]), node.body[-1]]\n        return node\n"
                  f"{_IP}.ast_transformers.append(_G())")

_REWRITTEN = "a cell's code changed between parsing and running"

# name -> (learner cell, a piece of the enclave's notes, must the attack fool the kernel's own checks?)
ATTACKS = {
    "setattr_obfuscated": (WRONG + "setattr(__import__('jax.numpy', fromlist=['_']), 'all' + 'close', "
                           "lambda *a, **k: True)", "jax.numpy.allclose", True),
    "exec_base64": (WRONG + f"exec(__import__('base64').b64decode({_PAYLOAD!r}))", "jax.numpy.allclose", True),
    "sys_modules_swap": (WRONG + "_s = __import__('sys')\n_m = type(_s)('jax.numpy')\n"
                         "_m.__dict__.update(vars(_s.modules['jax.numpy']))\n_m.allclose = lambda *a, **k: True\n"
                         "_s.modules['jax.numpy'] = _m\nglobals()['j' + 'np'] = _m", "no longer is jax.numpy", True),
    "rebind_helper_by_globals": (WRONG + "globals()['assert_' + 'close'] = lambda *a, **k: None",
                                 "no longer is autograder.assert_close", True),
    "patch_at_call_time": ("def double(x):\n    setattr(__import__('jax.numpy', fromlist=['_']), 'all' + 'close', "
                           "lambda *a, **k: True)\n    return x", "jax.numpy.allclose", True),
    # patched only when called from the helper's test cell, undone by the patched code as the check calls it
    "patch_undone_by_the_check": ("def double(x):\n    import autograder.compare as c\n"
                                  "    if 'assert_close' in __import__('sys')._getframe(1).f_code.co_names:\n"
                                  "        real = c._compare\n        def fake(*a, **k):\n            c._compare = real\n"
                                  "        c._compare = fake\n    return x", "autograder.compare._compare", True),
    "hide_errors_in_the_session": (WRONG + f"_k = {_IP}.kernel\n_send = _k.session.send\n"
                                   "def _quiet(stream, msg_or_type, *a, **k):\n"
                                   "    kind = msg_or_type if isinstance(msg_or_type, str) else msg_or_type.get('msg_type')\n"
                                   "    return None if kind == 'error' else _send(stream, msg_or_type, *a, **k)\n"
                                   "_k.session.send = _quiet", "session.send was overridden", False),
    # a rewriting hook is refused as the rewritten cell compiles (the list of hooks is compared too)
    "ast_transformer": (WRONG + _SWALLOW + f"{_IP}.ast_transformers.append(_S())", _REWRITTEN, False),
    "ast_transformer_class_swap": (WRONG + _SWAP_CLASS, _REWRITTEN, False),
    "ast_transformer_removes_itself": (WRONG + _SELF_REMOVING, _REWRITTEN, False),
    # a new list of hooks in place of the kernel's (a hook that leaves the code alone: the list is what is seen)
    "hook_list_replaced": (WRONG + f"{_IP}.ast_transformers = list({_IP}.ast_transformers) + "
                           "[type('_N', (), {'visit': lambda self, node: node})()]", "kernel hooks ast_transformers", False),
    "module_class_swap": (WRONG + "_M = type('M', (type(jnp),), {'allclose': property(lambda s: lambda *a, **k: True)})\n"
                          "setattr(jnp, '__cl' + 'ass__', _M)", "a library module's __class__", False),
    "input_transformer": (WRONG + f"{_IP}.input_transformers_post.append(lambda lines: ['pass\\n'])",
                          "not in the grading enclave's sight", True),
    "run_code_swallows": (WRONG + f"_cls = type({_IP})\n"
                          "async def _run(self, code, result=None, *, async_=False):\n"
                          "    try:\n        exec(code, self.user_global_ns, self.user_ns)\n"
                          "    except Exception:\n        pass\n    return False\n"
                          "setattr(_cls, 'run_' + 'code', _run)", "run_code was added", True),
    "event_hook": (WRONG + f"{_IP}.events.register('post_run_cell', lambda result: None)", "events.post_run_cell",
                   False),
    "lying_class": (WRONG.replace("return x", "return _L()") + "_L = type('L', (), {'__fl' + 'oat__': lambda s: 2.0,"
                    " '__bo' + 'ol__': lambda s: True, '__ar' + 'ray__': lambda s, *a, **k: __import__('numpy')"
                    ".zeros(3), '__jax_' + 'array__': lambda s: jnp.zeros(3), '__e' + 'q__': lambda s, o: True})",
                    "defines __bool__, __float__, __array__, __jax_array__", True),
    "settrace": (WRONG + "getattr(__import__('sys'), 'set' + 'trace')(lambda *a: None)", "sys.settrace", False),
    "thread_left_running": (WRONG + "__import__('threading').Thread(target=__import__('time').sleep, args=(60,)).start()",
                            "a thread started by notebook code", False),
    "gc_walk": (WRONG + "__import__('g' + 'c').get_referrers(jnp)", "gc.get_referrers", False),
    "ctypes": (WRONG + "__import__('ctypes').pythonapi.PyObject_Repr", "ctypes.", False),
    "code_swap": (WRONG + "(lambda f: setattr(f, '__co' + 'de__', (lambda *a, **k: None).__code__))(assert_close)",
                  "a library function's __code__", False),
    "marshal_code": (WRONG + "_m = __import__('marshal')\n_m.loads(_m.dumps((lambda: 0).__code__))",
                     "marshal.loads", False),
    "read_own_memory": (WRONG + "open('/proc/self/mem', 'rb')", "/proc/self/mem", False),
    "forged_markers": (WRONG + "_a = __import__('sys').audit\n_a('autograder.enclave', 'begin', 't_allclose', ())\n"
                       "_a('autograder.enclave', 'end', 't_allclose')", "'t_allclose' ran changed code", False),
}


def _notebook(learner: str, tests: dict[str, str] = TESTS) -> nbformat.NotebookNode:
    def meta(grade_id: str, **kw) -> dict:
        return {"nbgrader": {"grade_id": grade_id, "schema_version": 3, "grade": False, "solution": False,
                             "locked": True, "task": False, **kw}}

    cells = [nbformat.v4.new_code_cell(SETUP, metadata=meta("imports")),
             nbformat.v4.new_code_cell(learner, metadata=meta("answer", solution=True, locked=False))]
    cells += [nbformat.v4.new_code_cell(src, metadata=meta(gid, grade=True, points=1)) for gid, src in tests.items()]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _grade(learner: str) -> tuple[list[str], list[str], list[str]]:
    """(tests the kernel showed no error for, tests the enclave withholds, its notes) for one learner cell."""
    result, marked, withheld, notes = run_attested(_notebook(learner), f"enclave/{hash(learner)}", timeout=90)
    assert sorted(marked.digests) == sorted(TESTS)
    ran = nbformat.reads(result.notebook, as_version=4)
    quiet = [c.metadata["nbgrader"]["grade_id"] for c in ran.cells
             if c.metadata["nbgrader"]["grade_id"] in TESTS and not any(o.output_type == "error" for o in c.outputs)]
    return quiet, withheld, notes


@pytest.fixture(scope="module")
def graded():
    runs = {name: _grade(cell) for name, (cell, _, _) in ATTACKS.items()}
    runs["(honest)"] = _grade(RIGHT)
    runs["(honest, lazy imports)"] = _grade(LAZY_IMPORTS + RIGHT)
    return runs


@pytest.mark.parametrize("name", ["(honest)", "(honest, lazy imports)"])
def test_an_honest_notebook_is_attested_in_full(graded, name):
    quiet, withheld, notes = graded[name]
    assert quiet == list(TESTS)
    assert withheld == [] and notes == []


@pytest.mark.parametrize("name", list(ATTACKS))
def test_each_attack_earns_nothing_and_is_recorded(graded, name):
    _, expected_note, fools_the_kernel = ATTACKS[name]
    quiet, withheld, notes = graded[name]
    assert sorted(withheld) == sorted(TESTS)  # not one point, whatever the kernel showed
    assert any(expected_note in n for n in notes), notes
    if fools_the_kernel:  # plain nbgrader would have awarded these: the enclave is what stops it
        assert quiet, "the attack no longer fools the kernel: make it sharper"


# test cells failing on a known line (each value: the cell, then the lines its error output must hold)
FAILING = {
    "f_check": ("x = 1.0\ny = 2.0\nassert_close(x, y)\nprint('not reached')",
                ["The failing check: line 3 of this cell: assert_close(x, y)"]),
    "f_plain": ("x = 1\n1/0\nx += 1", ["line 2", "----> 2 1/0"]),
    "f_def": ("def g(n):\n    return n / 0\n\ng(1)\n",
              ["line 4", "----> 4 g(1)", "line 2, in g", "----> 2     return n / 0"]),
    "f_for": ("for i in range(3):\n    if i == 2:\n        raise ValueError(i)",
              ["line 3", "----> 3         raise ValueError(i)"]),
}


def test_feedback_names_the_test_cells_own_lines():
    """The grader's marker lines shift no line number, and the code shown is the failing line's own."""
    tests = {gid: cell for gid, (cell, _) in FAILING.items()}
    tests["p_def"] = "def g(x):\n    return 2 * x\nassert g(1) == 2"  # a passing cell is still attested
    result, _, withheld, _ = run_attested(_notebook(RIGHT, tests), "enclave/lines", timeout=90)
    assert sorted(withheld) == sorted(FAILING)  # the failing ones never reach their end marker
    ran = nbformat.reads(result.notebook, as_version=4)
    for cell in ran.cells:
        gid = cell.metadata["nbgrader"]["grade_id"]
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if gid not in FAILING:
            assert errors == [], (gid, errors)
            continue
        shown = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(errors[0].traceback))
        assert "audit" not in shown, shown
        for expected in FAILING[gid][1]:
            assert expected in shown, (gid, expected, shown)
