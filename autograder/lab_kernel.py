"""A kernel of ``make lab`` with JAX's compilation cache in a folder of its own, kept between sessions.

Started by path (``python .../autograder/lab_kernel.py -f CONNECTION_FILE``, from the kernel spec
that :mod:`autograder.lab` writes), never with ``-m``: importing the autograder package would start
JAX before the cache is set, and before the notebook's first cell could choose JAX's settings. It takes
the first free slot under ``$AUTOGRADER_LAB_CACHE`` (see ``compile_cache.private_cache``: two kernels
never write one folder at once), then runs ``ipykernel_launcher`` as ``python -m`` would.
"""
import importlib.util
import os
import runpy
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


def _compile_cache():
    path = os.path.join(_HERE, "grading", "compile_cache.py")
    spec = importlib.util.spec_from_file_location("_lab_compile_cache", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    """Set this kernel's cache folder, then become the ordinary IPython kernel."""
    base = os.environ.pop("AUTOGRADER_LAB_CACHE", "")
    if base:  # even when the server's environment names a cache: the server's kernels would share it
        cache = _compile_cache()
        os.environ.update(cache.cache_environment(cache.private_cache(base)))
    sys.path[0] = ""  # as `python -m ipykernel_launcher` starts: the notebook's folder, not this one
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
