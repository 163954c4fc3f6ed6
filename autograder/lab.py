"""Open the course in JupyterLab at the repository root, with the landing page open.

Two faces of nbgrader: a learner gets its student side only (Validate, and the Assignment List
where an exchange exists); an instructor gets every tool (formgrader, Create Assignment). Each face
is a folder of ``jupyter-config/`` put first on ``JUPYTER_CONFIG_PATH`` for this server only, so
the user's own Jupyter configuration is never written.
"""
from __future__ import annotations

import importlib.metadata
import json
import os
import sys
from pathlib import Path

__all__ = ["LANDING_PAGE", "lab_argv", "lab_environment", "exchange_exists", "run_lab", "cached_kernel_spec"]

LANDING_PAGE = "START_HERE.md"


def exchange_exists(course_dir: Path) -> bool:
    """Whether nbgrader's exchange folder (as the course configures it) exists on this machine."""
    from nbgrader.apps.baseapp import NbGrader
    from nbgrader.exchange.default.exchange import Exchange

    here = os.getcwd()
    try:
        os.chdir(course_dir)  # nbgrader reads nbgrader_config.py from the current folder
        app = NbGrader()
        app.initialize([])
        return os.path.isdir(Exchange(config=app.config).root)
    finally:
        os.chdir(here)


def lab_environment(course_dir: Path, instructor: bool, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for ``jupyter lab``: this face's configuration first on ``JUPYTER_CONFIG_PATH``."""
    env = dict(os.environ if environ is None else environ)
    config = course_dir / "jupyter-config"
    faces = [config / "instructor"] if instructor else [config / "learner"]
    if not instructor and exchange_exists(course_dir):
        faces.insert(0, config / "exchange")
    earlier = [env["JUPYTER_CONFIG_PATH"]] if env.get("JUPYTER_CONFIG_PATH") else []
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(f) for f in faces] + earlier)
    # nbgrader starts tools by name (`alembic` makes the formgrader's gradebook): this environment's first.
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    # Kernels find the course's own kernel spec first: a program compiled once is read back later.
    env["JUPYTER_PATH"] = os.pathsep.join([cached_kernel_spec(course_dir)] + (
        [env["JUPYTER_PATH"]] if env.get("JUPYTER_PATH") else []))
    return env


def cached_kernel_spec(course_dir: Path) -> str:
    """Write the ``python3`` kernel spec of the lab: this Python, with JAX's compilation cache under
    ``.jax_cache/lab/`` (a folder per running kernel, kept between sessions); returns its Jupyter path."""
    from . import lab_kernel

    root = course_dir / ".jax_cache" / "lab"
    folder = root / "kernels" / "python3"
    folder.mkdir(parents=True, exist_ok=True)
    version = f"jax-{importlib.metadata.version('jax')}-py{sys.version_info.major}.{sys.version_info.minor}"
    spec = {"argv": [sys.executable, lab_kernel.__file__, "-f", "{connection_file}"],
            "display_name": "Python 3 (ipykernel)", "language": "python",
            "env": {"AUTOGRADER_LAB_CACHE": str(root / version)},
            "metadata": {"debugger": True}, "kernel_protocol_version": "5.5"}
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n")
    return str(root)


def _headless(environ: dict[str, str]) -> bool:
    return sys.platform.startswith("linux") and not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def lab_argv(course_dir: Path, extra: list[str], environ: dict[str, str]) -> list[str]:
    """The ``jupyter lab`` command line: rooted at the course, the landing page open."""
    argv = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={course_dir}",
            f"--LabApp.default_url=/lab/tree/{LANDING_PAGE}",
            # Default settings (the user's own still win): Markdown opens rendered, no news pop-up.
            f"--LabApp.app_settings_dir={course_dir / 'jupyter-config' / 'lab-settings'}"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        argv.append("--allow-root")  # containers and Colab-like machines run as root
    if _headless(environ) and "--no-browser" not in extra:
        argv.append("--no-browser")
    return argv + extra


def run_lab(course_dir: str = ".", instructor: bool = False, extra: list[str] | None = None) -> int:
    """Start JupyterLab for a learner (or an instructor) and wait for it to stop."""
    root = Path(course_dir).resolve()
    env = lab_environment(root, instructor)
    argv = lab_argv(root, list(extra or []), env)
    if "--no-browser" in argv:
        print(f"No display here: open the URL below that ends in /lab/tree/{LANDING_PAGE}?token=... in your browser.",
              flush=True)
    os.execve(sys.executable, argv, env)
    return 0  # not reached: execve replaces this process
