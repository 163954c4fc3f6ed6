"""The grader's side of the enclave: markers in, course text back, a record that cannot be forged."""
from __future__ import annotations

import hmac

import nbformat

from autograder.grading.attest import Marked, instrument, read_record, restore, setup_bindings, unattested

KEY = b"k" * 32


def _meta(grade_id: str, **kw) -> dict:
    return {"nbgrader": {"grade_id": grade_id, "schema_version": 3, "grade": False, "solution": False,
                         "locked": True, "task": False, **kw}}


def _notebook() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import jax.numpy as jnp\nfrom autograder import assert_close as close\n"
                                  "import numpy, os.path\nfrom . import nothing", metadata=_meta("imports")),
        nbformat.v4.new_code_cell("def f(x):\n    return x", metadata=_meta("answer", solution=True, locked=False)),
        nbformat.v4.new_code_cell("assert f(1) == 1", metadata=_meta("t1", grade=True, points=1)),
        nbformat.v4.new_code_cell("write here", metadata=_meta("essay", grade=True, solution=True, points=2)),
    ])


def _record(*lines: tuple[str, str, str], key: bytes = KEY) -> bytes:
    """A record written the way the enclave writes it: each line's HMAC covers the one before."""
    out, chain = b"", b""
    for number, (kind, name, detail) in enumerate(lines, 1):
        body = f"{number}\t{kind}\t{name}\t{detail}".encode()
        chain = hmac.digest(key, chain + body, "sha256")
        out += body + b"\t" + chain.hex().encode() + b"\n"
    return out


def test_setup_bindings_name_what_the_set_up_imports():
    assert setup_bindings(_notebook()) == (("jnp", "jax.numpy", ""), ("close", "autograder", "assert_close"),
                                           ("numpy", "numpy", ""), ("os", "os", ""))


def test_only_test_cells_are_marked_and_restore_gives_the_course_text_back():
    nb = _notebook()
    marked = instrument(nb, (("jnp", "jax.numpy", ""),))
    assert list(marked.digests) == ["t1"]
    lines = nb.cells[2].source.splitlines()
    assert lines[0].startswith("__import__('sys').audit('autograder.enclave', 'begin', 't1'")
    assert lines[1] == "assert f(1) == 1" and "'end', 't1'" in lines[-1]
    assert nb.cells[1].source == "def f(x):\n    return x" and nb.cells[3].source == "write here"
    restore(nb, marked)
    assert nb.cells[2].source == "assert f(1) == 1"


def test_a_clean_pass_is_read_and_any_change_to_the_record_is_caught():
    nb = _notebook()
    marked = instrument(nb, ())
    record = _record(("sealed", "", "1 modules"), ("pass", "t1", marked.digests["t1"]))
    report = read_record(KEY, record)
    assert report.sealed and report.notes == []
    assert unattested({"t1": 1.0}, marked, report) == ([], [])
    forged = record.replace(b"pass\tt1", b"pass\tt2")
    assert "altered at line 2" in read_record(KEY, forged).notes[0]
    assert "altered at line 1" in read_record(b"x" * 32, record).notes[0]
    first, second = record.splitlines(keepends=True)
    assert "altered at line 1" in read_record(KEY, second).notes[0]  # a line taken out of its chain
    assert "reported nothing" in read_record(KEY, None).notes[0]
    assert "ends mid-line" in read_record(KEY, record[:-5]).notes[-1]


def test_a_test_cell_scores_only_with_a_clean_pass_of_its_own_code():
    nb = _notebook()
    marked = instrument(nb, ())
    digest = marked.digests["t1"]
    cases = {
        "not in the grading enclave's sight": _record(("sealed", "", "")),
        "ran changed code": _record(("sealed", "", ""), ("pass", "t1", "0" * 64)),
        "ran after changes to the checks: jax.numpy.allclose": _record(
            ("sealed", "", ""), ("pass", "t1", digest + " jax.numpy.allclose")),
    }
    for why, record in cases.items():
        zeroed, notes = unattested({"t1": 1.0}, marked, read_record(KEY, record))
        assert zeroed == ["t1"] and why in notes[0], (why, notes)
    unsealed = read_record(KEY, _record(("pass", "t1", digest)))
    assert unattested({"t1": 1.0}, marked, unsealed)[0] == ["t1"]
    assert unattested({"t1": 0.0, "essay": 2.0}, marked, read_record(KEY, _record(("sealed", "", "")))) == ([], [])
    refusal = read_record(KEY, _record(("sealed", "", ""), ("refused", "'gc.get_referrers'", "with notebook code")))
    assert refusal.notes == ["tampering: refused 'gc.get_referrers' with notebook code"]
    assert unattested({"t1": 1.0}, Marked(), refusal) == ([], [])  # plain nbgrader cells: nothing to attest
