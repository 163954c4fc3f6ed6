"""What comes in: decide whether a submission folder can be graded, and say why not in plain words."""
from __future__ import annotations

import importlib.util
import json
import os

import nbformat

__all__ = ["clean_text", "refusal", "explain", "importable_shadows"]


def clean_text(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (printable from Python) becomes U+FFFD."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def importable_shadows(relpath: str) -> bool:
    """Whether a submitted file would be imported instead of an installed module (``autograder.py``...)."""
    top = relpath.split(os.sep)[0]
    name, ext = os.path.splitext(top)
    if ext not in (".py", ".pyc", ".so", ".pth", "") or not name.isidentifier():
        return False
    if ext == ".pth" or name in ("sitecustomize", "usercustomize"):
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def refusal(folder: str, expected: list[str]) -> str | None:
    """Why a submission folder cannot be graded at all (None when it can)."""
    entries = []
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                return (f"the submission contains a symbolic link ({os.path.relpath(path, folder)}): "
                        "only plain files are graded")
            entries.append(os.path.relpath(path, folder))
    if not entries:
        return "empty submission: the folder holds no file"
    names = {os.path.splitext(e)[0] for e in entries if e.endswith(".ipynb")}
    if not names & set(expected):
        wanted = ", ".join(f"{n}.ipynb" for n in expected)
        return f"wrong file name: expected {wanted}, found {', '.join(sorted(entries)[:5])}"
    return None


def explain(err: BaseException) -> str:
    """Why a notebook could not be read or prepared, in one line for the run log and the gradebook."""
    if isinstance(err, UnicodeError):
        return "malformed notebook: the file is not UTF-8 text"
    if isinstance(err, (json.JSONDecodeError, nbformat.reader.NotJSONError)):
        return "malformed notebook: the file is not valid notebook JSON"
    text = clean_text(str(err)).strip().splitlines()
    first = text[0] if text else ""
    if isinstance(err, nbformat.NBFormatError) or "nbformat" in first.lower():
        return f"malformed notebook: unsupported notebook format ({first[:200]})"
    return f"malformed notebook: {type(err).__name__}: {first[:300]}".rstrip(": ")
