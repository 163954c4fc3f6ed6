"""The key-reuse bank (``tests/autograder/key_reuse_bank.py``), seen as a detector bank."""
from __future__ import annotations

from autograder import assert_no_key_reuse, find_key_reuse

from .. import key_reuse_bank
from ..key_reuse_bank import CASES, REUSE_MARK
from . import Case

FIND, ASSERT, CHECKS, MARK = find_key_reuse, assert_no_key_reuse, ("key-reuse",), REUSE_MARK
SOURCE = key_reuse_bank.__file__  # where the functions are written

CLEAN = [Case(c.fn, c.args, c.kwargs, label=c.name) for c in CASES if not c.offending]
OFFENDING = [Case(c.fn, c.args, c.kwargs, label=c.name) for c in CASES if c.offending]
# Reuse through a helper called twice: ``where`` is the helper's draw, and the message names the two
# calling lines (the marked one among them).
CALLED_FROM = {c.name for c in CASES if c.offending and c.via_helper}
