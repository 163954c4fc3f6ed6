"""Every course notebook launches anywhere: Colab badge and Binder link to a file that exists, Binder's
environment agreeing with pyproject.toml and environment.yml, and a Colab set-up cell that installs
only what Colab lacks."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from tests.course_layout import REPO

COLAB = re.compile(r"\[!\[Open In Colab\]\(https://colab\.research\.google\.com/assets/colab-badge\.svg\)\]"
                   r"\(https://colab\.research\.google\.com/github/open-jax-course/jax-course/blob/main/([^)\s]+)\)")
BINDER = re.compile(r"\[!\[Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]"
                    r"\(https://mybinder\.org/v2/gh/open-jax-course/jax-course/main\?labpath=([^)\s]+)\)")
# What every Colab runtime already has: the set-up cell must not install any of it again.
COLAB_SHIPS = {"jax", "jaxlib", "numpy", "matplotlib", "ipywidgets", "rich", "IPython", "ipykernel"}
INSTALL_LINE = re.compile(r'pip", "install", "-q", "([^"]+)"')


def _notebooks() -> list[Path]:
    return sorted([*REPO.glob("notebooks/[0-9][0-9]_*.ipynb"), *REPO.glob("solutions/*/*.ipynb"),
                   *REPO.glob("exercises/*/*.ipynb")])


def _expected_target(path: Path) -> str:
    """Where the badges must lead: a lesson or a release to itself, a source to its release."""
    rel = path.relative_to(REPO)
    if rel.parts[0] == "solutions":
        return f"exercises/{rel.parts[1]}/{rel.name}"
    return rel.as_posix()


NOTEBOOKS = _notebooks()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(REPO).as_posix() for p in NOTEBOOKS])
def test_notebook_opens_with_colab_badge_and_binder_link_to_an_existing_file(path):
    first_md = next(c for c in nbformat.read(path, 4).cells if c.cell_type == "markdown").source
    colab, binder = COLAB.search(first_md), BINDER.search(first_md)
    assert colab, f"{path.name}: no Colab badge in the first markdown cell (format of notebooks/03_grad.ipynb)"
    assert binder, f"{path.name}: no Binder link in the first markdown cell (format of notebooks/03_grad.ipynb)"
    for target in (colab.group(1), unquote(binder.group(1))):
        assert target == _expected_target(path), f"{path.name}: the badge leads to {target}"
        assert (REPO / target).is_file(), f"{path.name}: the badge leads to {target}, which does not exist"


def _binder_requirements() -> dict[str, Requirement]:
    env = yaml.safe_load((REPO / "binder" / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return {Requirement(r).name: Requirement(r) for r in pip}


def _python_of(path: Path) -> str:
    env = yaml.safe_load(path.read_text())
    return next(d.split("=", 1)[1] for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))


def _project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def test_binder_installs_what_the_course_declares_with_the_same_versions():
    project = _project()
    declared = {Requirement(r).name: Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["course"]}
    binder = _binder_requirements()
    assert set(binder) == set(declared), (
        f"missing on Binder: {sorted(set(declared) - set(binder))}; not in pyproject: {sorted(set(binder) - set(declared))}")
    for name, req in binder.items():
        if name == "jax":  # Binder pins one JAX; it must lie in the supported range
            pinned = next(iter(req.specifier)).version
            assert declared[name].specifier.contains(pinned), f"Binder's jax {pinned} is outside {declared[name].specifier}"
        else:
            assert req.specifier == declared[name].specifier, f"{name}: Binder {req.specifier}, pyproject {declared[name].specifier}"
    postbuild = (REPO / "binder" / "postBuild").read_text()
    assert "pip install --no-deps -e ." in postbuild, "postBuild installs the autograder without changing versions"


def test_conda_environment_agrees_with_binder_and_pyproject():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e .[course,grading]" in pip, "environment.yml installs the course from pyproject.toml"
    jax = next(Requirement(r) for r in pip if r.startswith("jax"))
    assert jax.specifier == _binder_requirements()["jax"].specifier, "environment.yml and Binder pin different JAX"
    python = _python_of(REPO / "environment.yml")
    assert python == _python_of(REPO / "binder" / "environment.yml"), "environment.yml and Binder use different Python"
    assert Version(f"{python}.0") in Requirement(f"python{_project()['requires-python']}").specifier


def _setup_cell(path: Path) -> str:
    return next(c.source for c in nbformat.read(path, 4).cells if c.cell_type == "code")


def _imported_modules(nb_path: Path) -> set[str]:
    names: set[str] = set()
    for cell in nbformat.read(nb_path, 4).cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(source)
        except SyntaxError:  # an exercise stub may not parse before the learner fills it in
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(REPO).as_posix() for p in NOTEBOOKS])
def test_colab_cell_installs_only_what_colab_lacks(path):
    setup = _setup_cell(path)
    installs = INSTALL_LINE.findall(setup)
    assert installs == ["jax-course-autograder @ git+https://github.com/open-jax-course/jax-course"], (
        f"{path.name}: the set-up cell should install the autograder alone, without extras: {installs}")
    assert 'find_spec("autograder") is None' in setup, "install only where the autograder is missing"
    pulled_in = {Requirement(r).name for r in _project()["dependencies"]}
    assert pulled_in <= COLAB_SHIPS, f"installing the autograder would pull in {sorted(pulled_in - COLAB_SHIPS)}"
    needed = _imported_modules(path) - set(sys.stdlib_module_names) - {"autograder"}
    assert needed <= COLAB_SHIPS, f"{path.name} imports {sorted(needed - COLAB_SHIPS)}, which Colab lacks"
