"""Save course notebooks with the metadata JupyterLab itself writes, so they open unmodified.

JupyterLab 4 rewrites a notebook's ``kernelspec`` and ``language_info`` from the kernel it starts
(the Python version included) and marks the notebook modified when they differ from the saved ones;
it also gives every cell an id (nbformat 4.5). A notebook saved with exactly those values asks
"Save changes?" only after a real edit.
"""
from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any

__all__ = ["KERNELSPEC", "language_info", "normalized", "course_notebooks", "normalize_command"]

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
COURSE_FOLDERS = ("notebooks", "solutions", "exercises")


def language_info() -> dict[str, Any]:
    """What the IPython kernel of this Python reports, as JupyterLab saves it."""
    return {
        "codemirror_mode": {"name": "ipython", "version": sys.version_info[0]},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": f"ipython{sys.version_info[0]}",
        "version": sys.version.split()[0],
    }


def normalized(nb: dict[str, Any]) -> dict[str, Any]:
    """A copy of the notebook JSON with JupyterLab's metadata and a unique id on every cell."""
    out = json.loads(json.dumps(nb))
    out["nbformat"], out["nbformat_minor"] = 4, max(5, int(out.get("nbformat_minor", 0)))
    out.setdefault("metadata", {})
    out["metadata"]["kernelspec"] = dict(KERNELSPEC)
    out["metadata"]["language_info"] = language_info()
    seen: set[str] = set()
    for cell in out.get("cells", []):
        if not cell.get("id") or cell["id"] in seen:
            cell["id"] = uuid.uuid4().hex[:8]
        seen.add(cell["id"])
    return out


def _serialize(nb: dict[str, Any]) -> str:
    # The layout JupyterLab and nbformat write: one-space indent, sorted keys, non-ASCII kept.
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def course_notebooks(root: Path) -> list[Path]:
    """Every notebook of the lessons, the exercise sources and the releases."""
    found: list[Path] = []
    for folder in COURSE_FOLDERS:
        found += sorted(p for p in (root / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return found


def normalize_command(paths: list[str], check: bool) -> int:
    """Normalise the given notebooks (default: all course notebooks); with ``check``, only report."""
    targets = [Path(p) for p in paths] or course_notebooks(Path.cwd())
    changed = []
    for path in targets:
        text = path.read_text(encoding="utf-8")
        fresh = _serialize(normalized(json.loads(text)))
        if fresh != text:
            changed.append(path)
            if not check:
                path.write_text(fresh, encoding="utf-8")
    verb = "would change" if check else "normalised"
    for path in changed:
        print(f"{verb} {path}")
    return 1 if check and changed else 0
