"""Test-session set-up shared by every test module."""
import importlib.metadata
import importlib.util
import os
import sys
from pathlib import Path

# Chapter 1 spreads arrays over 8 simulated CPU devices. JAX reads this flag once, when it
# starts its CPU backend, so it is set before any test module can start JAX.
_DEVICES = "--xla_force_host_platform_device_count=8"
if _DEVICES not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {_DEVICES}".strip()


def _use_compilation_cache() -> None:
    """JAX's persistent compilation cache for this test process and the kernels and nbgrader runs it
    waits for: a folder of its own under .jax_cache/tests/ (per JAX version), kept between runs, so a
    program compiled once (a lesson's, a hidden test's) is read back instead of compiled again.
    Set JAX_COMPILATION_CACHE_DIR (empty: no cache) to choose otherwise."""
    if "JAX_COMPILATION_CACHE_DIR" in os.environ:
        return
    # Loaded by path: importing the autograder package would start JAX before its cache is set.
    path = Path(__file__).resolve().parent.parent / "autograder" / "grading" / "compile_cache.py"
    spec = importlib.util.spec_from_file_location("_test_compile_cache", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    version = f"jax-{importlib.metadata.version('jax')}-py{sys.version_info.major}.{sys.version_info.minor}"
    folder = module.private_cache(str(path.parent.parent.parent / ".jax_cache" / "tests" / version))
    os.environ.update(module.cache_environment(folder))


_use_compilation_cache()
