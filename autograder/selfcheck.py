"""Friendly self-checks for the "try it" cells of the lessons."""
from __future__ import annotations

from typing import Any, Callable

__all__ = ["check"]


def check(assertion: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """Run an ``autograder`` assertion and print a friendly verdict instead of raising.

    Example: ``check(assert_close, my_answer, expected)`` prints ``✅ ...`` when it
    passes and ``❌`` with the explanation when it fails. Returns whether it passed.
    """
    try:
        assertion(*args, **kwargs)
    except AssertionError as err:
        print(f"❌ Not yet.\n{err}")
        return False
    print("✅ Correct!")
    return True
