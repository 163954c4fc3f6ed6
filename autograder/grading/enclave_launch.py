"""How the grader starts a kernel with the :mod:`~autograder.grading.enclave` in it (grader side)."""
from __future__ import annotations

import os

__all__ = ["EVENT", "KEY_NAME", "RECORD_NAME", "with_enclave"]

EVENT = "autograder.enclave"  # the audit event of the markers the grader adds to each test cell

KEY_NAME = "enclave.key"  # read and deleted by the kernel before any notebook code runs
RECORD_NAME = "enclave.log"  # what the enclave reports, in the grader's socket folder


def with_enclave(argv: list[str], folder: str, key: bytes) -> list[str]:
    """The kernel's command ``argv`` (``python -m ipykernel_launcher ...``) started through the enclave.

    Writes ``key`` where only the kernel's start-up code reads it. ``-P``: the kernel's working
    folder (the learner's files) is not on ``sys.path`` while the trusted code is imported.
    """
    try:
        at = next(i for i in range(len(argv) - 1) if argv[i] == "-m" and argv[i + 1] == "ipykernel_launcher")
    except StopIteration:
        raise ValueError(f"not an ipykernel command: {argv}") from None
    key_path = os.path.join(folder, KEY_NAME)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return argv[:at] + ["-P", "-m", "autograder.grading.enclave", key_path, os.path.join(folder, RECORD_NAME)] \
        + argv[at + 2:]
