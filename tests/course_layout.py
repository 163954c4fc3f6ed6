"""Where the course's chapters live: assignments in solutions/, lessons in notebooks/."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def assignments() -> list[str]:
    """Every exercise set, by folder name (``01_arrays_devices``...)."""
    return sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def lessons() -> list[Path]:
    """Every lesson notebook."""
    return sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def source_notebook(assignment: str) -> Path:
    return REPO / "solutions" / assignment / f"{assignment}.ipynb"


def release_notebook(assignment: str) -> Path:
    return REPO / "exercises" / assignment / f"{assignment}.ipynb"
