"""Implicit host <-> device transfers: run the learner's function under ``jax.transfer_guard("disallow")``.

Explicit moves (``jax.device_put``, ``jax.device_get``) stay allowed; any copy JAX would have made
behind the learner's back (a NumPy array or Python number fed to a device computation) is reported
at the learner's line.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import jax

from ..findings import Finding, raise_findings
from ..source import location_in_traceback

__all__ = ["find_implicit_transfers", "assert_no_implicit_transfers"]

CHECK = "implicit-transfer"
_DISALLOWED = re.compile(r"Disallowed (host-to-device|device-to-host|device-to-device) transfer(?:: aval=(\S+?\]))?")


def _run_guarded(fn: Callable[..., Any], args: tuple, kwargs: dict) -> tuple[Any, list[Finding]]:
    try:
        with jax.transfer_guard("disallow"):
            out = fn(*args, **kwargs)
            jax.block_until_ready(out)
    except Exception as err:  # noqa: BLE001 - the guard raises a runtime error whose class moved between versions
        match = _DISALLOWED.search(str(err))
        if match is None:
            raise
        direction, aval = match.group(1), match.group(2)
        what = f"An implicit {direction} transfer happened" + (f" (of a {aval} value)" if aval else "") + "."
        finding = Finding(
            CHECK,
            what,
            "Every implicit copy between the host and the device is slow and easy to miss; in a loop it happens "
            "on every step. A NumPy array or a Python number used in an eager jnp operation is such a copy.",
            "Move host data once, explicitly, with jax.device_put(...); create arrays on the device (jnp.*); "
            "do the work inside a jax.jit function, where Python numbers are compile-time constants.",
            location_in_traceback(err.__traceback__),
        )
        return None, [finding]
    return out, []


def find_implicit_transfers(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Finding]:
    """Run ``fn(*args, **kwargs)`` with implicit transfers forbidden; report the first one it makes."""
    return _run_guarded(fn, args, kwargs)[1]


def assert_no_implicit_transfers(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Raise ``[anti-pattern: implicit-transfer]`` if ``fn(*args, **kwargs)`` makes an implicit transfer;
    otherwise return its (finished) result."""
    out, findings = _run_guarded(fn, args, kwargs)
    raise_findings(findings)
    return out
