"""Friendly self-checks for the "try it" cells of the lessons."""
from __future__ import annotations

from typing import Any, Callable

from .notebook import not_counted

__all__ = ["check"]


def check(assertion: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run an ``autograder`` assertion and print a friendly verdict instead of raising.

    Example: ``check(assert_close, my_answer, expected)`` prints ``✅ ...`` when it
    passes and ``❌`` with the explanation when it fails. It returns nothing, so a
    ``check(...)`` on the last line of a cell shows only the verdict.
    """
    try:
        with not_counted():  # this verdict replaces the cell's pass line
            assertion(*args, **kwargs)
    except AssertionError as err:
        print(f"❌ Not yet.\n{err}")
        return
    print("✅ Correct!")
