"""Run one notebook under ``pytest --nbval-lax`` in this Python environment (its JAX), as the suite does.

Every cell must run (cells tagged ``raises-exception`` must raise); cells tagged ``nbval-check-output``
must print what the saved notebook shows, up to the sanitizers in ``nbval_sanitize.cfg``.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.course_layout import REPO

SANITIZERS = Path(__file__).with_name("nbval_sanitize.cfg")
CELL_TIMEOUT_S = 300


def nbval_command(notebook: Path) -> list[str]:
    """The pytest command line that validates ``notebook`` with nbval."""
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.nbval_checks",
            "--nbval-lax", "--nbval-current-env", f"--nbval-sanitize-with={SANITIZERS}",
            f"--nbval-cell-timeout={CELL_TIMEOUT_S}", str(notebook)]


def run_nbval(notebook: Path) -> None:
    """Fail (AssertionError with nbval's report) unless the notebook validates."""
    done = subprocess.run(nbval_command(notebook), cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, f"nbval failed on {notebook}:\n{done.stdout[-6000:]}\n{done.stderr[-2000:]}"
