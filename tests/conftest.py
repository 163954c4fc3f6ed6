"""Test-session set-up shared by every test module."""
import os

# Chapter 1 spreads arrays over 8 simulated CPU devices. JAX reads this flag once, when it
# starts its CPU backend, so it is set before any test module can start JAX.
_DEVICES = "--xla_force_host_platform_device_count=8"
if _DEVICES not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {_DEVICES}".strip()
